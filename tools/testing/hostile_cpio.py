#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""Write hostile initrd archives (cpio "newc") for the boot-input tests.

Usage: hostile_cpio.py KIND OUT.cpio

KIND is one of:
  deep      a directory tree DEPTH levels deep (d/d/d/...), then the same
            top directory replaced by a file, which removes the whole tree
  longlink  symlinks whose targets are 4095, 4096 and 8000 bytes, and a
            regular file after them (the slab must survive the long ones);
            then a file named proc, which must not replace /proc
  bigdir    20,000 files in one directory, then each replaced once more
  deepdot   a 2000-component name of the form d/./d/./... (a long walk)

The kernel must unpack each without a panic, hang or soft-lockup report;
run_tests.py boots them with init=/bin/hello.
"""
import stat
import sys

MAGIC = b"070701"


def entry(ino, mode, name, data=b""):
    fields = [ino, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0,
              len(name.encode()) + 1, 0]
    raw = MAGIC + b"".join(b"%08X" % f for f in fields) + name.encode() + b"\0"
    raw += b"\0" * (-len(raw) % 4)
    return raw + data + b"\0" * (-len(data) % 4)


def archive(members):
    out = [entry(i + 1, m, n, d) for i, (n, m, d) in enumerate(members)]
    out.append(entry(0, 0, "TRAILER!!!"))
    return b"".join(out)


DIR, REG, LNK = stat.S_IFDIR | 0o755, stat.S_IFREG | 0o644, stat.S_IFLNK | 0o777


def deep(depth=2000):
    # Each level's name is one byte: the deepest path is 2 * depth bytes,
    # within PATH_MAX, so every level is really made.
    members, path = [], ""
    for _ in range(depth):
        path = path + "/d" if path else "d"
        members.append((path, DIR, b""))
    members.append((path + "/leaf", REG, b"deep\n"))
    members.append(("d", REG, b"the tree is gone\n"))
    return members


def longlink():
    return [("l4095", LNK, b"t" * 4095), ("l4096", LNK, b"t" * 4096),
            ("l8000", LNK, b"t" * 8000), ("after", REG, b"after\n"),
            ("proc", REG, b"not /proc\n")]


def bigdir(n=20000):
    names = ["big/f%05d" % i for i in range(n)]
    return ([("big", DIR, b"")] + [(p, REG, b"") for p in names] +
            [(p, REG, b"x") for p in names[::7]])


def deepdot(n=2000):
    return [("d", DIR, b""), ("/".join(["d"] + ["."] * n) + "/f", REG, b"f\n")]


KINDS = {"deep": deep, "longlink": longlink, "bigdir": bigdir,
         "deepdot": deepdot}


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in KINDS:
        sys.exit(__doc__)
    with open(sys.argv[2], "wb") as f:
        f.write(archive(KINDS[sys.argv[1]]()))


if __name__ == "__main__":
    main()
