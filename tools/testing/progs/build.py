#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""Cross-build real programs from Debian's source packages for the programs tests.

Usage: build.py [--out BUILD/progs] [PROGRAM...]

The sources come from `apt-get source` (make deps adds the deb-src line) into
OUT/src, once; the programs are built with riscv64-linux-gnu-gcc against
Debian's riscv64 glibc into OUT/bin, each only when missing. Delete OUT/bin/X
to build X again, OUT/src/PKG-* to fetch PKG again. Each line of the output
says what was done and how long it took.

    busybox      static, its defconfig (see BUSYBOX_CONFIG)
    dash         static, Debian's patches, configure --host
    lua          static: the lua5.4 interpreter, the Makefile's flags
    lua-dynamic  the same objects linked dynamically (PT_INTERP, libc.so.6)
    sqlite3      static: the sqlite3 shell on the amalgamation built from
                 the full source (which needs tclsh on the host)
"""
import argparse
import concurrent.futures
import glob
import os
import shutil
import subprocess
import sys
import time

CROSS = "riscv64-linux-gnu-"
CC = CROSS + "gcc"
JOBS = 2   # CI has two cores
SRC = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))

# busybox's defconfig builds statically against glibc as it is; what changes:
# - STATIC: no shared libraries in the test's initramfs but for the one
#   dynamic program;
# - the cross prefix;
# - FEATURE_SH_STANDALONE/PREFER_APPLETS stay off: the shells find applets
#   by $PATH (symbolic links on Hartix, wrappers under qemu-riscv64, which
#   cannot exec a riscv64 program on the host by itself).
BUSYBOX_CONFIG = {
    "CONFIG_STATIC": "y",
    "CONFIG_CROSS_COMPILER_PREFIX": '"%s"' % CROSS,
}


class Failed(Exception):
    pass


def run(cmd, log, cwd=None, env=None, answers=False):
    log.write("$ %s\n" % " ".join(cmd))
    log.flush()
    full = dict(os.environ)
    for k in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "O", "V",
              "srctree", "objtree", "KCONFIG_CONFIG"):
        full.pop(k, None)
    full.update(env or {})
    # answers: the default to every question (busybox's oldconfig asks
    # about the symbols that STATIC shows).
    rc = subprocess.run(cmd, cwd=cwd, env=full, stdout=log,
                        stderr=subprocess.STDOUT,
                        input=b"\n" * 200 if answers else b"").returncode
    if rc:
        raise Failed("%s exited %d" % (cmd[0], rc))


def source(out, pkg, log):
    """The unpacked Debian source of pkg under OUT/src, fetched if missing."""
    srcdir = os.path.join(out, "src")
    found = [d for d in glob.glob(os.path.join(srcdir, pkg + "-[0-9]*"))
             if os.path.isdir(d)]
    if not found:
        os.makedirs(srcdir, exist_ok=True)
        # apt-get prints a warning when its _apt user cannot write here.
        run(["apt-get", "source", "-qq", pkg], log, cwd=srcdir)
        found = [d for d in glob.glob(os.path.join(srcdir, pkg + "-[0-9]*"))
                 if os.path.isdir(d)]
    if len(found) != 1:
        raise Failed("no single source directory for %s: %s" % (pkg, found))
    return found[0]


def build_busybox(out, bindir, log):
    src = source(out, "busybox", log)
    obj = os.path.join(out, "obj", "busybox")
    shutil.rmtree(obj, ignore_errors=True)
    os.makedirs(obj)
    run(["make", "-C", src, "O=" + obj, "defconfig"], log)
    cfg = os.path.join(obj, ".config")
    lines = []
    with open(cfg) as f:
        for line in f:
            for sym, val in BUSYBOX_CONFIG.items():
                if line.startswith(sym + "=") or line.startswith("# %s is" % sym):
                    line = "%s=%s\n" % (sym, val)
            lines.append(line)
    with open(cfg, "w") as f:
        f.writelines(lines)
    run(["make", "-C", obj, "oldconfig"], log, answers=True)
    run(["make", "-C", obj, "-j%d" % JOBS], log)
    shutil.copy(cfg, os.path.join(bindir, "busybox.config"))
    return [(os.path.join(obj, "busybox"), "busybox")]


def build_dash(out, bindir, log):
    src = source(out, "dash", log)
    # Debian's patches touch configure.ac: regenerate as its build does.
    if not os.path.exists(os.path.join(src, ".hartix-autoreconf")):
        run(["autoreconf", "-fi"], log, cwd=src)
        open(os.path.join(src, ".hartix-autoreconf"), "w").close()
    obj = os.path.join(out, "obj", "dash")
    shutil.rmtree(obj, ignore_errors=True)
    os.makedirs(obj)
    run([os.path.join(src, "configure"), "--host=" + CROSS[:-1],
         "CFLAGS=-O2", "LDFLAGS=-static"], log, cwd=obj)
    run(["make", "-j%d" % JOBS], log, cwd=obj)
    return [(os.path.join(obj, "src", "dash"), "dash")]


def build_lua(out, bindir, log):
    """Debian's src/Makefile builds a libtool library and a C++ twin; the
    interpreter is its sources compiled with that Makefile's flags."""
    src = os.path.join(source(out, "lua5.4", log), "src")
    obj = os.path.join(out, "obj", "lua")
    shutil.rmtree(obj, ignore_errors=True)
    os.makedirs(obj)
    names = sorted(os.path.basename(c)[:-2] for c in glob.glob(src + "/*.c")
                   if os.path.basename(c) != "luac.c")
    # Debian's luaconf.h includes this header, which debian/rules writes.
    with open(os.path.join(obj, "lua5.4-deb-multiarch.h"), "w") as f:
        f.write('#define DEB_HOST_MULTIARCH "%s"\n' % CROSS[:-1])
    flags = ["-std=gnu99", "-O2", "-Wall", "-DLUA_COMPAT_5_3",
             "-DLUA_USE_POSIX", "-I" + obj]

    def cc(name):
        # As the Makefile, the compiler modules with -Os.
        opt = ["-Os"] if name in ("llex", "lparser", "lcode") else []
        cmd = [CC] + flags + opt + ["-c", os.path.join(src, name + ".c"),
                                    "-o", os.path.join(obj, name + ".o")]
        return subprocess.run(cmd, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)

    with concurrent.futures.ThreadPoolExecutor(JOBS) as pool:
        for name, res in zip(names, pool.map(cc, names)):
            log.write(res.stdout)
            if res.returncode:
                raise Failed("compiling %s.c failed" % name)
    objs = [os.path.join(obj, n + ".o") for n in names]
    run([CC, "-static", "-o", os.path.join(obj, "lua")] + objs + ["-lm"], log)
    run([CC, "-o", os.path.join(obj, "lua-dynamic")] + objs + ["-lm"], log)
    return [(os.path.join(obj, "lua"), "lua"),
            (os.path.join(obj, "lua-dynamic"), "lua-dynamic")]


def build_sqlite3(out, bindir, log):
    src = source(out, "sqlite3", log)
    obj = os.path.join(out, "obj", "sqlite3")
    shutil.rmtree(obj, ignore_errors=True)
    os.makedirs(obj)
    # The amalgamation and shell.c are generated by host tools (lemon,
    # mkkeywordhash, tclsh scripts): configure for the host for that only.
    run([os.path.join(src, "configure"), "--disable-tcl", "--disable-readline"],
        log, cwd=obj)
    run(["make", "sqlite3.c", "shell.c"], log, cwd=obj)
    # The two files compile at the same time (the amalgamation is most).
    with concurrent.futures.ThreadPoolExecutor(JOBS) as pool:
        jobs = [pool.submit(subprocess.run, [
            CC, "-O2", "-DSQLITE_OMIT_LOAD_EXTENSION", "-I" + obj, "-c",
            os.path.join(obj, f + ".c"), "-o", os.path.join(obj, f + ".o")],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            for f in ("sqlite3", "shell")]
        for job in jobs:
            log.write(job.result().stdout)
            if job.result().returncode:
                raise Failed("compiling %s failed" % job.result().args[-3])
    run([CC, "-static", "-o", os.path.join(obj, "sqlite3"),
         os.path.join(obj, "shell.o"), os.path.join(obj, "sqlite3.o"), "-lm"],
        log)
    return [(os.path.join(obj, "sqlite3"), "sqlite3")]


# Program -> the builder that makes it (one builder may make two).
BUILDERS = {
    "busybox": build_busybox,
    "dash": build_dash,
    "lua": build_lua,
    "lua-dynamic": build_lua,
    "sqlite3": build_sqlite3,
}
PROGRAMS = list(BUILDERS)


def build(out, programs=None, say=print):
    """Build what is missing; returns {program: (ok, detail, log path)}."""
    bindir = os.path.join(out, "bin")
    logdir = os.path.join(out, "logs")
    os.makedirs(bindir, exist_ok=True)
    os.makedirs(logdir, exist_ok=True)
    results = {}
    for prog in programs or PROGRAMS:
        if prog in results:
            continue
        builder = BUILDERS[prog]
        logpath = os.path.join(logdir, builder.__name__[6:] + ".log")
        if os.path.exists(os.path.join(bindir, prog)):
            results[prog] = (True, "cached", logpath)
            continue
        start = time.monotonic()
        with open(logpath, "w") as log:
            try:
                made = builder(out, bindir, log)
                for path, name in made:
                    shutil.copy(path, os.path.join(bindir, name + ".tmp"))
                    os.rename(os.path.join(bindir, name + ".tmp"),
                              os.path.join(bindir, name))
                detail = "built in %.0f s" % (time.monotonic() - start)
                for _, name in made:
                    results[name] = (True, detail, logpath)
            except (Failed, OSError) as e:
                log.write("*** %s\n" % e)
                results[prog] = (False, str(e), logpath)
        for name in [prog] + [n for n in PROGRAMS
                              if BUILDERS[n] is builder and n != prog]:
            if name in results:
                say("  PROG    %-12s %s" % (name, results[name][1]))
    return results


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.path.join(SRC, "build", "progs"))
    ap.add_argument("programs", nargs="*", help=", ".join(PROGRAMS))
    args = ap.parse_args()
    bad = [p for p in args.programs if p not in BUILDERS]
    if bad:
        ap.error("unknown program %s (known: %s)" % (", ".join(bad),
                                                     ", ".join(PROGRAMS)))
    start = time.monotonic()
    res = build(os.path.abspath(args.out), args.programs or None)
    print("  PROG    %.0f s in all" % (time.monotonic() - start))
    sys.exit(0 if all(ok for ok, _, _ in res.values()) else 1)


if __name__ == "__main__":
    main()
