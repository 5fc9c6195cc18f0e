# The programs phase of make test: Debian's programs on Hartix against qemu-riscv64.
# SPDX-License-Identifier: BSD-2-Clause
"""The real-programs tests (make test TESTS=progs).

build.py cross-builds busybox, dash, lua, lua-dynamic and sqlite3 from
Debian's sources (cached in BUILD/progs). Every check in checks/ is run by
run.sh twice: under qemu-riscv64 on the host (Linux's behaviour; a temporary
directory stands for /, applets are wrapper scripts) and on Hartix, from an
-initrd holding the programs, on 1 and 4 harts. The two outputs must match,
but for the lines matching a check's "# machine-specific: REGEX" comments.
"""
import difflib
import os
import re
import shutil
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SYSROOT = "/usr/riscv64-linux-gnu"
# What lua-dynamic needs in /lib, as ld.so's search path has it.
DYNAMIC_LIBS = ["ld-linux-riscv64-lp64d.so.1", "libc.so.6", "libm.so.6"]
QEMU_USER = "qemu-riscv64"
BEGIN = re.compile(r"^@@@ begin (\S+)$")
END = re.compile(r"^@@@ end (\S+) status (\d+)$")
# The kernel's console messages ("[    1.234567][hart0] ...") are not output.
KMSG = re.compile(r"^\[\s*\d+\.\d+\]")


def checks():
    return sorted(os.listdir(os.path.join(HERE, "checks")))


def machine_specific(name):
    """The regexes a check names for lines that differ between machines."""
    pats = []
    with open(os.path.join(HERE, "checks", name)) as f:
        for line in f:
            m = re.match(r"#\s*machine-specific:\s*(.*\S)", line)
            if m:
                pats.append(re.compile(m.group(1)))
    return pats


def sections(lines):
    """{check: (output lines, status)} from run.sh's output."""
    out, cur, body = {}, None, []
    for line in lines:
        line = line.rstrip("\r\n")
        m = BEGIN.match(line)
        if m:
            cur, body = m.group(1), []
            continue
        m = END.match(line)
        if m and cur == m.group(1):
            out[cur] = (body, int(m.group(2)))
            cur = None
            continue
        if cur is not None and not KMSG.match(line):
            body.append(line)
    return out


def initramfs_list(bindir, path):
    """The gen_initramfs.py list of the test's -initrd."""
    rows = ["progs/bin/%s %s 0755" % (p, os.path.join(bindir, p))
            for p in ("busybox", "dash", "lua", "lua-dynamic", "sqlite3")]
    for sub in ("checks", "data"):
        for f in sorted(os.listdir(os.path.join(HERE, sub))):
            rows.append("progs/%s/%s %s 0644" % (sub, f, os.path.join(HERE, sub, f)))
    rows += ["progs/run.sh %s 0644" % os.path.join(HERE, "run.sh"),
             "progs/init.sh %s 0644" % os.path.join(HERE, "init.sh")]
    rows += ["lib/%s %s 0755" % (l, os.path.join(SYSROOT, "lib", l))
             for l in DYNAMIC_LIBS]
    with open(path, "w") as f:
        f.write("\n".join(rows) + "\n")


def host_run(bindir, timeout=900):
    """run.sh under qemu-riscv64: (status, output with the root's path gone)."""
    qemu = shutil.which(QEMU_USER)
    bb = os.path.join(bindir, "busybox")
    applets = subprocess.run([qemu, bb, "--list"], stdout=subprocess.PIPE,
                             text=True, check=True).stdout.split()
    with tempfile.TemporaryDirectory(prefix="hartix-progs-") as root:
        p = os.path.join(root, "progs")
        pbin = os.path.join(p, "bin")
        os.makedirs(pbin)
        os.makedirs(os.path.join(root, "tmp"))
        for sub in ("checks", "data"):
            shutil.copytree(os.path.join(HERE, sub), os.path.join(p, sub))
        shutil.copy(os.path.join(HERE, "run.sh"), p)
        # qemu-riscv64 cannot exec another riscv64 program by itself: each
        # program the shells run by $PATH is a host script starting it.
        wrappers = {a: '"%s" "%s" %s' % (qemu, bb, a) for a in applets}
        wrappers["busybox"] = '"%s" "%s"' % (qemu, bb)
        for prog in ("dash", "lua", "sqlite3"):
            wrappers[prog] = '"%s" "%s"' % (qemu, os.path.join(bindir, prog))
        wrappers["lua-dynamic"] = '"%s" -L %s "%s"' % (
            qemu, SYSROOT, os.path.join(bindir, "lua-dynamic"))
        for name, cmd in wrappers.items():
            w = os.path.join(pbin, name)
            with open(w, "w") as f:
                f.write('#!/bin/sh\nexec %s "$@"\n' % cmd)
            os.chmod(w, 0o755)
        try:
            proc = subprocess.run(
                [qemu, bb, "sh", os.path.join(p, "run.sh")], cwd=root,
                env={"P": p, "W": os.path.join(root, "tmp", "w"), "PATH": "/usr/bin:/bin"},
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                timeout=timeout)
            status, text = proc.returncode, proc.stdout.decode(errors="replace")
        except subprocess.TimeoutExpired as e:
            status, text = -1, (e.stdout or b"").decode(errors="replace") + "\n(timed out)"
        return status, text.replace(root, "")


def compare(name, ref, got):
    """None when the outputs agree; else a unified diff (reference first)."""
    pats = machine_specific(name)

    def keep(lines):
        return [l for l in lines if not any(p.search(l) for p in pats)]

    want, have = keep(ref[0]), keep(got[0])
    if want == have and ref[1] == got[1]:
        return None
    diff = list(difflib.unified_diff(want, have, "qemu-riscv64", "hartix",
                                     lineterm=""))
    if ref[1] != got[1]:
        diff.append("exit status: qemu-riscv64 %d, hartix %d" % (ref[1], got[1]))
    return "\n".join(diff)
