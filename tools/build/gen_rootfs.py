#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""Make an ext2 image of the user space (make rootfs), to boot with root=.

Usage:
    gen_rootfs.py -o OUT.img [--size-mib N] LIST...

Each LIST is a gen_initramfs.py list ("path-in-archive source-file mode"
lines): the files the initramfs and user/glibc.cpio hold. They are copied
into a staging directory next to OUT, with the directories a disk root
needs and the RAM root has on its own: /dev and /proc (the kernel mounts
its /dev and /proc on them), /tmp (mode 1777) and /mnt. Then
mkfs.ext2 -d makes OUT from that tree (4 KiB blocks), sized to the files
and a margin unless --size-mib says. A later list's path replaces an
earlier one's, as in the initramfs.
"""
import argparse
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_initramfs import parse_list  # noqa: E402

DIRS = (("dev", 0o755), ("proc", 0o555), ("tmp", 0o1777), ("mnt", 0o755))


def stage(lists, tree):
    shutil.rmtree(tree, ignore_errors=True)
    os.makedirs(tree)
    total = 0
    for path in lists:
        with open(path) as f:
            for name, source, mode in parse_list(f.read()):
                dst = os.path.join(tree, name)
                os.makedirs(os.path.dirname(dst), exist_ok=True)
                if os.path.lexists(dst):
                    os.unlink(dst)
                shutil.copyfile(source, dst)
                os.chmod(dst, mode)
                total += os.path.getsize(dst)
    for name, mode in DIRS:
        os.makedirs(os.path.join(tree, name), exist_ok=True)
        os.chmod(os.path.join(tree, name), mode)
    return total


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", required=True, help="the image to write")
    ap.add_argument("--size-mib", type=int, default=0,
                    help="image size (default: the files, a quarter more, and 16 MiB)")
    ap.add_argument("lists", nargs="+")
    args = ap.parse_args()
    if not shutil.which("mkfs.ext2"):
        sys.exit("gen_rootfs: mkfs.ext2 not found (Debian's e2fsprogs; make deps)")
    tree = args.o + ".d"
    total = stage(args.lists, tree)
    size = args.size_mib or (total * 5 // 4) // (1 << 20) + 16
    tmp = args.o + ".tmp"
    if os.path.exists(tmp):
        os.unlink(tmp)
    res = subprocess.run(["mkfs.ext2", "-q", "-F", "-b", "4096", "-L", "rootfs", "-d", tree,
                          tmp, "%dM" % size], capture_output=True, text=True)
    if res.returncode:
        sys.exit("gen_rootfs: mkfs.ext2 failed:\n" + res.stdout + res.stderr)
    os.replace(tmp, args.o)


if __name__ == "__main__":
    main()
