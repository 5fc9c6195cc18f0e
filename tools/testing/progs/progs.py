# The programs phase of make test: Debian's programs on Hartix against qemu-riscv64.
# SPDX-License-Identifier: BSD-2-Clause
"""The real-programs tests (make test TESTS=progs).

build.py cross-builds busybox, dash, lua, lua-dynamic and sqlite3 from
Debian's sources (cached in BUILD/progs). Every check in checks/ is run by
run.sh twice: under qemu-riscv64 on the host (Linux's behaviour; a temporary
directory stands for /, applets are wrapper scripts) and on Hartix, from an
-initrd holding the programs, on 1 and 4 harts. The two outputs must match,
but for the lines matching a check's "# machine-specific: REGEX" comments.

busybox's own testsuite/ (its runtest, for the applets in
TESTSUITE_APPLETS) runs on Hartix too, and under qemu-riscv64: a case that
fails on Hartix fails the test only if it passes under qemu-riscv64.
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
# The applets whose testsuite/ cases run (the whole suite takes too long
# under TCG): those the checks use, text tools and archives.
TESTSUITE_APPLETS = ("sed sort uniq cut tr wc head tail cat cp mv ln mkdir "
                     "find xargs expr printf seq basename dirname "
                     "tar od cmp grep").split()
CASE = re.compile(r"^(PASS|FAIL|SKIPPED|UNTESTED): (.*\S)")
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


def testsuite_dir(out):
    """busybox's testsuite/ in the unpacked source under OUT/src."""
    import build
    with open(os.devnull, "w") as log:
        return os.path.join(build.source(out, "busybox", log), "testsuite")


def initramfs_list(bindir, path, testsuite=None):
    """The gen_initramfs.py list of the test's -initrd."""
    rows = ["progs/bin/busybox.config %s 0644" % os.path.join(bindir, "busybox.config")]
    if testsuite:
        applets = path + ".applets"
        with open(applets, "w") as f:
            f.write(" ".join(TESTSUITE_APPLETS) + "\n")
        rows.append("progs/testsuite.applets %s 0644" % applets)
        for top, dirs, files in os.walk(testsuite):
            dirs.sort()
            for f in sorted(files):
                src = os.path.join(top, f)
                rows.append("progs/testsuite/%s %s %04o" % (
                    os.path.relpath(src, testsuite), src,
                    os.stat(src).st_mode & 0o777))
    rows += ["progs/bin/%s %s 0755" % (p, os.path.join(bindir, p))
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
        # argv[0] is the name the shell was given, as on Hartix.
        for prog in ("dash", "lua", "sqlite3"):
            wrappers[prog] = '"%s" -0 %s "%s"' % (qemu, prog, os.path.join(bindir, prog))
        wrappers["lua-dynamic"] = '"%s" -0 lua-dynamic -L %s "%s"' % (
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


def testsuite_cases(lines):
    """{case: PASS/FAIL...} from runtest's output (a repeated name keeps
    its worst result)."""
    cases = {}
    for line in lines:
        m = CASE.match(line.rstrip("\r\n"))
        if not m:
            continue
        # Under qemu-riscv64 the host's sh runs the cases, and its echo
        # turns a name's "\t" into a tab and "\n" into a new line: names
        # are compared up to their first backslash or control character.
        name = re.split(r"[\\\x00-\x1f]", m.group(2))[0].strip()
        if cases.get(name) != "FAIL":
            cases[name] = m.group(1)
    return cases


def host_testsuite(bindir, testsuite, timeout=1200):
    """runtest under qemu-riscv64: (status, output)."""
    qemu = shutil.which(QEMU_USER)
    with tempfile.TemporaryDirectory(prefix="hartix-bbtest-") as root:
        ts = os.path.join(root, "testsuite")
        shutil.copytree(testsuite, ts)
        tbin = os.path.join(root, "bin")
        os.makedirs(tbin)
        shutil.copy(os.path.join(bindir, "busybox.config"), os.path.join(tbin, ".config"))
        # runtest links the applets to $bindir/busybox: the wrapper passes
        # the name it was called by on as argv[0].
        with open(os.path.join(tbin, "busybox"), "w") as f:
            f.write('#!/bin/sh\nexec "%s" -0 "$0" "%s" "$@"\n' % (
                qemu, os.path.join(bindir, "busybox")))
        os.chmod(os.path.join(tbin, "busybox"), 0o755)
        # testing.sh wants an echo that knows -n and -e: busybox's.
        os.symlink("busybox", os.path.join(tbin, "echo"))
        try:
            proc = subprocess.run(
                ["sh", "runtest"] + TESTSUITE_APPLETS, cwd=ts,
                env={"bindir": tbin, "ECHO": os.path.join(tbin, "echo"),
                     "PATH": "/usr/bin:/bin", "TZ": "UTC", "LC_ALL": "C"},
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout)
            return proc.returncode, proc.stdout.decode(errors="replace")
        except subprocess.TimeoutExpired as e:
            return -1, (e.stdout or b"").decode(errors="replace") + "\n(timed out)"


def compare_testsuite(ref, got):
    """(ok, detail): Hartix's failures that qemu-riscv64 passes fail it."""
    bad = sorted(c for c, res in got.items() if res == "FAIL" and ref.get(c) != "FAIL")
    lost = sorted(c for c, res in ref.items() if res == "PASS" and c not in got)
    passed = sum(1 for r in got.values() if r == "PASS")
    failed = sum(1 for r in got.values() if r == "FAIL")
    both = sum(1 for c, r in got.items() if r == "FAIL" and ref.get(c) == "FAIL")
    detail = "%d passed, %d failed (%d fail under qemu-riscv64 too)" % (
        passed, failed, both)
    if bad:
        detail += "; only on Hartix: " + ", ".join(bad)
    if lost:
        detail += "; did not run: %d cases" % len(lost)
    return not bad and not lost, detail


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
