#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""Check the Linux RISC-V Image header of arch/riscv/boot/Image (what U-Boot booti reads)."""
import struct
import sys


def check(path):
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 64:
        return "shorter than the 64-byte header"
    (code0, code1, text_offset, image_size, flags, version, _res1, _res2,
     magic, magic2, _res3) = struct.unpack("<IIQQQIIQ8s4sI", data[:64])
    if magic2 != b"RSC\x05":
        return "magic2 is %r, expected 'RSC\\x05'" % magic2
    if magic != b"RISCV\0\0\0":
        return "magic is %r" % magic
    if text_offset != 0x200000:
        return "text_offset %#x, expected 0x200000" % text_offset
    if image_size < len(data):
        return "image_size %d is smaller than the file (%d)" % (image_size,
                                                              len(data))
    if version != 2:
        return "header version %#x, expected 0.2" % version
    if flags != 0:
        return "flags %#x, expected 0 (little endian)" % flags
    if code0 & 0x7f != 0x6f:
        return "code0 %#x is not a jal/j instruction" % code0
    return None


def main():
    error = check(sys.argv[1])
    if error:
        sys.exit("%s: bad Image header: %s" % (sys.argv[1], error))


if __name__ == "__main__":
    main()
