#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""The shell's job control on a real terminal: Linux's, under qemu-riscv64.

Usage: sh_pty_check.py BINDIR  (BINDIR/sh and the commands, as
user_apps_check.sh makes them). Starts an interactive sh on a pseudo
terminal, runs a foreground job, types Ctrl-C: the job's process group
alone must get SIGINT ($? = 130, well before the job's 20 s), the shell
must survive it, and 'exit 4' must end it with status 4. Exit status 0 if
so; otherwise 1, with what was seen.
"""
import os
import pty
import re
import select
import sys
import time


def main():
    bindir = sys.argv[1]
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(os.path.join(bindir, "sh"), ["sh"],
                  {"PATH": bindir, "HOME": "/"})
    out = b""

    def expect(regex, timeout=20):
        nonlocal out
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            m = re.search(regex, out)
            if m:
                out = out[m.end():]
                return True
            if select.select([fd], [], [], 0.2)[0]:
                try:
                    out += os.read(fd, 4096)
                except OSError:
                    break
        sys.stdout.write("no %r in %r\n" % (regex, out[-200:]))
        return False

    ok = expect(rb"[#$] $")
    os.write(fd, b"sh -c 'echo started; sleep 20'\n")
    ok = ok and expect(rb"\nstarted")
    start = time.monotonic()
    os.write(fd, b"\x03")
    ok = ok and expect(rb"[#$] $")
    took = time.monotonic() - start
    os.write(fd, b"echo st=$?\n")
    ok = ok and expect(rb"\nst=130\r?\n") and took < 10
    os.write(fd, b"exit 4\n")
    _, status = os.waitpid(pid, 0)
    if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 4:
        sys.stdout.write("shell ended with wait status %#x\n" % status)
        ok = False
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
