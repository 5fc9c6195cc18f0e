#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""Write a cpio "newc" archive (the Linux initramfs format) from a list of files.

Usage:
    gen_initramfs.py -o OUT.cpio LIST      (LIST "-" reads standard input)
    gen_initramfs.py --list ARCHIVE.cpio   (print what an archive holds)

Each line of LIST is "path-in-archive source-file mode", e.g.

    bin/hello  build/user/apps/hello  0755

with the mode in octal (permission bits only; every entry is a regular
file). Blank lines and lines starting with '#' are skipped. Names are
stored without a leading '/'. Each directory a name needs (bin, tests, ...)
is added once, mode 0755, just before the first entry inside it.

The output is deterministic: uid, gid and mtime 0, inode numbers 1, 2, 3...
in archive order, nlink 2 for directories and 1 for files, device numbers 0,
check 0, entries in the order of LIST. Each header is the 110-byte ASCII
header (magic 070701, thirteen 8-digit hex fields); the header plus the name
(with its NUL) is padded with NULs to a multiple of 4, and so is the data.
The last entry is "TRAILER!!!" (all fields 0 but nlink 1). The archive is
not padded further.

The data of a file of PAGE_SIZE bytes or more starts on a PAGE_SIZE
boundary of the archive: NULs are put before its header, which Linux's
unpacker, GNU cpio and Hartix's skip between entries. The kernel then
takes those pages into its RAM file system as they are instead of copying
them (fs_install() in fs/ramfs.c), when the archive itself is page-aligned.
"""
import argparse
import os
import stat
import sys

MAGIC = b"070701"
TRAILER = "TRAILER!!!"
HEADER_LEN = 110
PAGE_SIZE = 4096


def pad4(n):
    return (4 - n % 4) % 4


def header(ino, mode, nlink, size, name):
    fields = [ino, mode, 0, 0, nlink, 0, size, 0, 0, 0, 0,
              len(name.encode()) + 1, 0]
    h = MAGIC + b"".join(b"%08X" % f for f in fields)
    assert len(h) == HEADER_LEN
    raw = h + name.encode() + b"\0"
    return raw + b"\0" * pad4(len(raw))


def check_name(name, lineno):
    parts = name.split("/")
    if not name or any(p in ("", ".", "..") for p in parts):
        sys.exit("gen_initramfs: line %d: bad path in archive '%s'" %
                 (lineno, name))
    if name == TRAILER:
        sys.exit("gen_initramfs: line %d: '%s' is reserved" % (lineno, name))


def parse_list(text):
    """[(name, source, mode)] from the list text; exits on errors."""
    entries, seen = [], set()
    for lineno, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        fields = line.split()
        if len(fields) != 3:
            sys.exit("gen_initramfs: line %d: expected 'path source mode', "
                     "got '%s'" % (lineno, line))
        name, source, mode_s = fields
        name = name.lstrip("/")
        check_name(name, lineno)
        try:
            mode = int(mode_s, 8)
        except ValueError:
            mode = -1
        if not 0 <= mode <= 0o7777:
            sys.exit("gen_initramfs: line %d: mode '%s' is not octal 0-7777"
                     % (lineno, mode_s))
        if name in seen:
            sys.exit("gen_initramfs: line %d: '%s' listed twice" %
                     (lineno, name))
        if not os.path.isfile(source):
            sys.exit("gen_initramfs: line %d: no file %s" % (lineno, source))
        seen.add(name)
        entries.append((name, source, mode))
    # A file may not also be a directory another entry needs.
    dirs = {"/".join(n.split("/")[:i]) for n, _, _ in entries
            for i in range(1, n.count("/") + 1)}
    clash = sorted(dirs & seen)
    if clash:
        sys.exit("gen_initramfs: '%s' is both a file and a directory" % clash[0])
    return entries


def build(entries):
    out, ino, made, off = [], 0, set(), 0
    for name, source, mode in entries:
        parts = name.split("/")
        for i in range(1, len(parts)):
            d = "/".join(parts[:i])
            if d not in made:
                made.add(d)
                ino += 1
                out.append(header(ino, stat.S_IFDIR | 0o755, 2, 0, d))
                off += len(out[-1])
        with open(source, "rb") as f:
            data = f.read()
        ino += 1
        h = header(ino, stat.S_IFREG | mode, 1, len(data), name)
        gap = -(off + len(h)) % PAGE_SIZE if len(data) >= PAGE_SIZE else 0
        out += [b"\0" * gap, h, data + b"\0" * pad4(len(data))]
        off += gap + len(h) + len(data) + pad4(len(data))
    out.append(header(0, 0, 1, 0, TRAILER))
    return b"".join(out)


def list_archive(path):
    """Print 'mode ino size name' per entry; exits non-zero if malformed."""
    with open(path, "rb") as f:
        blob = f.read()
    off = 0
    while True:
        while blob[off:off + 4] == b"\0\0\0\0":
            off += 4  # padding between entries
        h = blob[off:off + HEADER_LEN]
        if len(h) < HEADER_LEN or h[:6] != MAGIC:
            sys.exit("gen_initramfs: %s: bad header at offset %d" % (path, off))
        try:
            fields = [int(h[6 + 8 * i:14 + 8 * i], 16) for i in range(13)]
        except ValueError:
            sys.exit("gen_initramfs: %s: bad header at offset %d" % (path, off))
        ino, mode, size, namesize = fields[0], fields[1], fields[6], fields[11]
        name_end = off + HEADER_LEN + namesize
        if namesize < 1 or name_end > len(blob) or blob[name_end - 1] != 0:
            sys.exit("gen_initramfs: %s: bad name at offset %d" % (path, off))
        name = blob[off + HEADER_LEN:name_end - 1].decode()
        off = name_end + pad4(name_end)
        if name == TRAILER:
            break
        if off + size > len(blob):
            sys.exit("gen_initramfs: %s: '%s' runs past the end" % (path, name))
        print("%06o %3d %8d %s" % (mode, ino, size, name))
        off += size + pad4(size)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output", help="archive to write")
    ap.add_argument("--list", metavar="ARCHIVE", help="list an archive instead")
    ap.add_argument("listfile", nargs="?", help='file list, "-" for stdin')
    args = ap.parse_args()
    if args.list:
        list_archive(args.list)
        return
    if not args.output or not args.listfile:
        ap.error("need -o OUT and a LIST file")
    if args.listfile == "-":
        text = sys.stdin.read()
    else:
        with open(args.listfile) as f:
            text = f.read()
    blob = build(parse_list(text))
    tmp = args.output + ".tmp"
    with open(tmp, "wb") as f:
        f.write(blob)
    os.replace(tmp, args.output)


if __name__ == "__main__":
    main()
