#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""make test: host unit tests, Kbuild checks, config builds, in-kernel tests and boots.

Every check prints PASS/FAIL/SKIP and its name as it finishes; the last
line is "N passed, N failed, N skipped". Logs go to BUILD/test/logs/; a failure also
prints the end of its log. Exit status 1 if anything failed.
"""
import argparse
import glob
import os
import random
import re
import shlex
import shutil
import struct
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemu_run  # noqa: E402
import uboot_boot  # noqa: E402

SRC = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PYTHON = "/usr/bin/python3"
JOBS = str(os.cpu_count() or 2)
PHASES = ["host", "kbuild", "configs", "ktest", "boot", "user", "glibc", "progs", "fs"]
# What `make test` runs without TESTS=: every phase (ext2 and vfat are mounted
# into the namespace by mount(2) since the walk goes into VFS file systems).
DEFAULT_PHASES = PHASES

# Fixed seeds keep CI reproducible; RANDCONFIG_SEEDS=... tries others.
RANDCONFIG_SEEDS = os.environ.get("RANDCONFIG_SEEDS", "0x1 0x5 0x7 0x9").split()


class Runner:
    def __init__(self, out):
        self.out = out
        self.logs = os.path.join(out, "logs")
        os.makedirs(self.logs, exist_ok=True)
        self.passed = self.failed = self.skipped = 0
        self.images = {}

    def report(self, ok, name, detail="", log=None):
        if ok is None:
            self.skipped += 1
            print("SKIP %s%s" % (name, " (%s)" % detail if detail else ""))
            return
        if ok:
            self.passed += 1
        else:
            self.failed += 1
        print("%s %s%s" % ("PASS" if ok else "FAIL", name,
                           " (%s)" % detail if detail else ""), flush=True)
        if not ok and log:
            tail = log.splitlines()[-40:]
            print("\n".join("    | " + l for l in tail), flush=True)

    def logfile(self, name):
        return os.path.join(self.logs, re.sub(r"[^\w.-]", "_", name) + ".log")

    def save(self, name, text):
        with open(self.logfile(name), "w") as f:
            f.write(text)


# Set by the make that started us; each build here must start from scratch.
INHERITED = ("KCONFIG_CONFIG", "MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES",
             "srctree", "objtree", "Q", "O", "V")


def sh(cmd, env=None, cwd=SRC):
    full_env = {k: v for k, v in os.environ.items() if k not in INHERITED}
    full_env.update(env or {})
    proc = subprocess.run(cmd, cwd=cwd, env=full_env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True)
    return proc.returncode, proc.stdout


def make(objdir, *targets, env=None):
    return sh(["make", "-C", SRC, "O=" + objdir, "-j" + JOBS] + list(targets),
              env=env)


def build_variant(objdir, defconfig, settings):
    """A defconfig with some symbols changed ("FOO=y"), then built.

    Returns (status, log, Image path)."""
    rc, log = make(objdir, defconfig)
    if rc == 0:
        rc, log2 = sh([PYTHON, "-m", "setconfig", "--kconfig", "Kconfig"] +
                      list(settings),
                      env={"srctree": SRC,
                           "KCONFIG_CONFIG": os.path.join(objdir, ".config")})
        log += log2
    if rc == 0:
        rc, log2 = make(objdir, "all")
        log += log2
    return rc, log, os.path.join(objdir, "arch", "riscv", "boot", "Image")


# ---------------------------------------------------------------------------
def phase_host(r):
    hostdir = os.path.join(r.out, "host")
    rc, log = sh(["make", "-f", "tools/testing/host/Makefile", "-j" + JOBS,
                  "srctree=" + SRC, "objtree=" + hostdir])
    r.save("host-build", log)
    if rc:
        r.report(False, "host/build", "compile failed", log)
        return
    dtbdir = os.path.join(hostdir, "qemu-dtbs")
    rc, log = sh(["sh", "tools/testing/host/gen-qemu-dtbs.sh", dtbdir])
    r.report(rc == 0, "host/qemu-dtb-dumps", "", log)
    rc, progs = sh(["make", "-s", "-f", "tools/testing/host/Makefile",
                    "srctree=" + SRC, "objtree=" + hostdir, "print-progs"])
    for prog in progs.split():
        name = os.path.basename(prog)[len("test_"):]
        rc, log = sh([prog, dtbdir] if name == "fdt" else [prog])
        r.save("host-" + name, log)
        tap_report(r, "host/" + name, rc, log)
    docs_syscall_list(r)
    wasm_node_compare(r, hostdir)
    wasm_jit_spec(r, hostdir)


# The WASI programs of user/wasm/progs: (program, args, environment, stdin).
WASM_PROG_RUNS = [
    ("hello", [], {}, ""),
    ("args", ["a", "b c"], {"WASM_TEST": "yes"}, ""),
    ("files", ["{tmp}/wasm_files.txt"], {}, ""),
    ("exitcode", ["7"], {}, "abc"),
    ("trap", [], {}, ""),
    ("trap", ["oob"], {}, ""),
    ("compute", [], {}, ""),
]


def wasm_node_compare(r, hostdir):
    """Each WASI test program under the engine (wasmrt built for the host,
    ASan/UBSan) and under Node's WASI: same stdout, same exit status."""
    if not shutil.which("node") or not shutil.which("clang"):
        r.report(None, "host/wasm-node", "node or clang missing", "")
        return
    out = os.path.join(hostdir, "wasm-node")
    os.makedirs(out, exist_ok=True)
    rt = os.path.join(out, "wasmrt")
    rc, log = sh(["gcc", "-std=gnu11", "-g", "-O1", "-Wall", "-Wextra", "-Werror",
                  "-fno-math-errno", "-ffp-contract=off", "-fsanitize=address,undefined",
                  "-fno-sanitize-recover=all", "-I" + os.path.join(SRC, "include"),
                  "-o", rt, os.path.join(SRC, "user/wasm/wasmrt.c"),
                  os.path.join(SRC, "kernel/wasm/decode.c"),
                  os.path.join(SRC, "kernel/wasm/interp.c")])
    if rc:
        r.report(False, "host/wasm-node", "building wasmrt for the host failed", log)
        return
    runtimes = [("host/wasm-node/", [rt])]
    # The compiled tier too: wasmrt for riscv64 Linux under qemu-riscv64.
    if shutil.which("qemu-riscv64") and shutil.which("riscv64-linux-gnu-gcc"):
        rtjit = os.path.join(out, "wasmrt-jit")
        rc, log = sh(["riscv64-linux-gnu-gcc", "-static", "-std=gnu11", "-O1", "-Wall",
                      "-Wextra", "-Werror", "-fno-math-errno", "-ffp-contract=off", "-DWASMRT_JIT",
                      "-I" + os.path.join(SRC, "include"), "-o", rtjit,
                      os.path.join(SRC, "user/wasm/wasmrt.c"),
                      os.path.join(SRC, "kernel/wasm/decode.c"),
                      os.path.join(SRC, "kernel/wasm/interp.c"),
                      os.path.join(SRC, "kernel/wasm/jit_rv64.c")])
        if rc:
            r.report(False, "host/wasm-node-jit", "building wasmrt for riscv64 failed", log)
        else:
            runtimes.append(("host/wasm-node-jit/", ["qemu-riscv64", rtjit]))
    else:
        r.report(None, "host/wasm-node-jit", "qemu-riscv64 or riscv64-linux-gnu-gcc missing", "")
    for prog, args, env, stdin in WASM_PROG_RUNS:
        # trap runs twice: trap (divide by zero) and trap-oob.
        name = prog + ("-" + args[0] if prog == "trap" and args else "")
        for prefix, runtime in runtimes:
            wasm_node_run(r, out, runtime, prefix + name, prog, args, env, stdin)


def wasm_node_run(r, out, runtime, name, prog, args, env, stdin):
    """One program under runtime and under Node's WASI: same stdout and status."""
    mod = os.path.join(out, prog + ".wasm")
    rc, log = sh(["clang", "--target=wasm32-wasi", "--sysroot=/usr", "-O2",
                  "-o", mod, os.path.join(SRC, "user/wasm/progs", prog + ".c")])
    if rc:
        r.report(False, name, "clang failed", log)
        return
    argv = [a.format(tmp=out) for a in args]
    runs = []
    for cmd in (runtime + [mod] + argv,
                ["node", "--no-warnings", os.path.join(SRC, "tools/testing/wasi_node.js"),
                 mod] + argv):
        p = subprocess.run(cmd, input=stdin.encode(), capture_output=True, timeout=120,
                           env=dict(os.environ, **env))
        runs.append((p.returncode, p.stdout.decode(errors="replace"),
                     p.stderr.decode(errors="replace")))
    (rc1, out1, err1), (rc2, out2, err2) = runs
    log = "wasmrt: status %d\n%s%s\nnode: status %d\n%s%s" % (rc1, out1, err1,
                                                             rc2, out2, err2)
    r.report(rc1 == rc2 and out1 == out2, name,
             "" if rc1 == rc2 and out1 == out2 else "differs from node", log)


def tap_report(r, prefix, rc, log):
    """One result per TAP line of log, and a failure if the program crashed."""
    cases = re.findall(r"^(ok|not ok) \d+ (.*)$", log, re.M)
    for status, case in cases:
        case, _, skip = case.partition(" # SKIP ")
        r.report(None if skip else status == "ok", "%s/%s" % (prefix, case), skip, log)
    if rc and all(s == "ok" for s, _ in cases):
        r.report(False, prefix, "exited %d (sanitizer or crash)" % rc, log)
    if not cases:
        r.report(False, prefix, "ran no test", log)


def wasm_jit_spec(r, hostdir):
    """The spec suite on the compiled tier: test_wasm built for riscv64 Linux,
    run under qemu-riscv64 with WASM_TIER=jit (the x86 host cannot run the
    code jit_rv64.c makes)."""
    cc = "riscv64-linux-gnu-gcc"
    if not shutil.which("qemu-riscv64") or not shutil.which(cc):
        r.report(None, "host/wasm-jit", "qemu-riscv64 or %s missing" % cc, "")
        return
    out = os.path.join(hostdir, "wasm-jit")
    os.makedirs(out, exist_ok=True)
    prog = os.path.join(out, "test_wasm")
    rc, log = sh([cc, "-static", "-std=gnu11", "-g", "-O1", "-Wall", "-Wextra", "-Werror",
                  "-fno-math-errno", "-ffp-contract=off", "-DHARTIX_HOST_TEST",
                  "-I" + os.path.join(SRC, "include"),
                  "-I" + os.path.join(SRC, "include/uapi"),
                  "-I" + os.path.join(SRC, "tools/testing/host"),
                  '-DSRCTREE="%s"' % SRC, '-DWASM_OUT="%s"' % os.path.join(out, "spec"),
                  "-o", prog, os.path.join(SRC, "tools/testing/host/test_wasm.c"),
                  os.path.join(SRC, "kernel/wasm/decode.c"),
                  os.path.join(SRC, "kernel/wasm/interp.c"),
                  os.path.join(SRC, "kernel/wasm/jit_rv64.c")])
    if rc:
        r.report(False, "host/wasm-jit", "building test_wasm for riscv64 failed", log)
        return
    rc, log = sh(["qemu-riscv64", prog], env={"WASM_TIER": "jit"})
    r.save("host-wasm-jit", log)
    tap_report(r, "host/wasm-jit", rc, log)
    # Generated modules, interpreted and compiled: the same results and traps.
    rc, log = sh(["qemu-riscv64", prog, "--differential", "500"], env={"WASM_TIER": "jit"})
    r.save("host-wasm-jit-differential", log)
    tap_report(r, "host/wasm-jit", rc, log)


def docs_syscall_list(r):
    """userspace.rst lists exactly the system calls the kernel defines."""
    defined = set()
    for d in ("arch", "kernel", "fs", "mm", "drivers", "init", "lib"):
        for root, _, files in os.walk(os.path.join(SRC, d)):
            for f in files:
                if f.endswith(".c"):
                    with open(os.path.join(root, f), errors="replace") as fh:
                        defined |= set(re.findall(
                            r"SYSCALL_(?:DEFINE[0-6]|SAME_AS)\((\w+)", fh.read()))
    nums = {}
    with open(os.path.join(SRC, "include/uapi/abi/unistd.h")) as fh:
        for name, nr in re.findall(r"#define __NR_(\w+)\s+(\d+)", fh.read()):
            nums[name] = nr
    with open(os.path.join(SRC, "Documentation/userspace.rst")) as fh:
        # The literal block after "cannot fall behind)::", up to a blank line.
        m = re.search(r"cannot fall behind\)::\n\n((?:   .*\n)+)", fh.read())
    listed = dict(re.findall(r"([a-z_0-9]+) (\d+)", m.group(1) if m else ""))
    problems = ["%s is not listed" % n for n in sorted(defined - set(listed))]
    problems += ["%s is listed but not defined" % n
                 for n in sorted(set(listed) - defined)]
    problems += ["%s is %s, listed as %s" % (n, nums.get(n), listed[n])
                 for n in sorted(defined & set(listed)) if nums.get(n) != listed[n]]
    r.report(not problems, "host/docs-syscall-list", "; ".join(problems))


# ---------------------------------------------------------------------------
def tree_snapshot():
    files = set()
    for root, dirs, names in os.walk(SRC):
        dirs[:] = [d for d in dirs if d != ".git" and
                   os.path.join(root, d) != os.path.join(SRC, "build")]
        files.update(os.path.relpath(os.path.join(root, n), SRC)
                     for n in names)
    return files


def compiled(log):
    """Objects compiled, without the symbol and relocation tables
    regenerated at every link."""
    return sorted(o for o in re.findall(r"^\s+CC\s+(\S+\.o)$", log, re.M)
                  if not o.startswith((".tmp_kallsyms", ".tmp_relocs")))


def cmd_deps(objdir):
    """{object: set of files it depends on}, read from the .cmd files."""
    deps = {}
    for root, _, names in os.walk(objdir):
        for n in names:
            if not (n.startswith(".") and n.endswith(".o.cmd")):
                continue
            obj = os.path.relpath(os.path.join(root, n[1:-4]), objdir)
            with open(os.path.join(root, n)) as f:
                deps[obj] = set(re.findall(r"^\s+(\S+) \\$", f.read(), re.M))
    return deps


def phase_kbuild(r):
    objdir = os.path.join(r.out, "kbuild")
    shutil.rmtree(objdir, ignore_errors=True)
    before = tree_snapshot()
    rc, log = make(objdir, "qemu_virt_defconfig")
    rc2, log2 = make(objdir, "all")
    r.save("kbuild-first", log + log2)
    r.report(rc == 0 and rc2 == 0, "kbuild/O=dir-build", "", log + log2)
    new = sorted(tree_snapshot() - before)
    r.report(not new, "kbuild/O=dir-leaves-source-clean",
             "new files: %s" % " ".join(new[:5]) if new else "")
    if rc or rc2:
        return

    rc, log = make(objdir, "all")
    r.report(rc == 0 and not compiled(log) and " LD " not in log,
             "kbuild/no-op-rebuild", " ".join(compiled(log)), log)

    env = {"srctree": SRC, "KCONFIG_CONFIG": os.path.join(objdir, ".config")}
    rc, log = sh([PYTHON, "-m", "setconfig", "--kconfig", "Kconfig",
                  "PANIC_TIMEOUT=3"], env=env)
    rc2, log2 = make(objdir, "all")
    got = compiled(log2)
    r.report(rc == 0 and rc2 == 0 and got == ["kernel/panic.o"],
             "kbuild/symbol-change-rebuilds-only-users",
             "rebuilt: %s" % " ".join(got), log + log2)

    header = os.path.join(SRC, "include", "hartix", "reboot.h")
    users = sorted(o for o, d in cmd_deps(objdir).items() if header in d)
    times = os.stat(header)
    os.utime(header)
    rc, log = make(objdir, "all")
    # Put the time back: other build directories must not rebuild for it.
    os.utime(header, ns=(times.st_atime_ns, times.st_mtime_ns))
    got = compiled(log)
    total = len(cmd_deps(objdir))
    r.report(rc == 0 and users and got == users and len(got) < total,
             "kbuild/header-edit-rebuilds-users",
             "%d users of reboot.h of %d objects; rebuilt: %s"
             % (len(users), total, " ".join(got)), log)

    in_tree_headers(r, objdir, header)

    # A bad value in .config is reported by name and replaced by the default.
    with open(os.path.join(objdir, ".config"), "a") as f:
        f.write("CONFIG_NR_CPUS=999\n")
    rc, log = make(objdir, "all")
    with open(os.path.join(objdir, ".config")) as f:
        config = f.read()
    r.report(rc == 0 and "NR_CPUS" in log and "CONFIG_NR_CPUS=999" not in config,
             "kbuild/bad-config-value-reported", "", log)


def in_tree_headers(r, objdir, header):
    """An O= build uses its own generated headers, not an in-tree build's.

    After `make` in the source tree (`make run` does that), the test
    runner's O= builds of other configurations picked up the in-tree
    include/generated/autoconf.h and failed to link."""
    gendir = os.path.join(SRC, "include", "generated")
    name = "kbuild/O=dir-ignores-in-tree-generated-headers"
    if os.path.exists(gendir):
        r.report(None, name, "the source tree has its own build: not touched")
        return
    os.makedirs(gendir)
    try:
        for h in ("autoconf.h", "asm-offsets.h", "syscall-list.h"):
            with open(os.path.join(gendir, h), "w") as f:
                f.write("#error the in-tree %s was used\n" % h)
        times = os.stat(header)
        os.utime(header)
        rc, log = make(objdir, "all")
        os.utime(header, ns=(times.st_atime_ns, times.st_mtime_ns))
    finally:
        shutil.rmtree(gendir)
    r.report(rc == 0, name, "", log)


# ---------------------------------------------------------------------------
CONFIGS = [("qemu_virt_defconfig", 4), ("qemu_virt_up_defconfig", 1),
           ("visionfive2_defconfig", 4),
           ("tiny_defconfig", 1), ("allnoconfig", 1), ("allyesconfig", 4)]


def build_config(r, name, target, env=None):
    objdir = os.path.join(r.out, name)
    shutil.rmtree(objdir, ignore_errors=True)
    rc, log = make(objdir, target, env=env)
    rc2, log2 = make(objdir, "all")
    log += log2
    r.save("build-" + name, log)
    warnings = [l for l in log.splitlines() if "warning:" in l]
    ok = rc == 0 and rc2 == 0 and not warnings
    seed = re.search(r"KCONFIG_SEED=(\S+)", log)
    r.report(ok, "build/" + name, " ".join(
        ([warnings[0]] if warnings else []) +
        (["seed " + seed.group(1)] if seed else [])), log)
    return os.path.join(objdir, "arch", "riscv", "boot", "Image") if ok else None


def check_boot(r, name, image, timeout=60, append="loglevel=7", steps=None,
               **kw):
    """Boot to "Booted in", then end QEMU (the kernel idles after boot).

    loglevel=7 shows the line whatever the configuration's level.
    """
    res = qemu_run.boot(qemu_run.qemu_command(image, append=append, **kw),
                        timeout, r.logfile(name),
                        steps=steps or [(qemu_run.BOOTED, None)])
    problems = []
    if res.timed_out:
        problems.append("timed out after %d s" % timeout)
    if not res.booted:
        problems.append("no 'Booted in'")
    if res.fatal:
        problems.append(res.fatal.strip())
    if not res.stopped and not res.timed_out:
        problems.append("QEMU exited (status %d) before the runner ended it"
                        % res.status)
    r.report(not problems, name, "; ".join(problems) or
             "%.1f s" % res.seconds, res.log)
    return res


# tiny_defconfig's bound on .text: issue 12's 64 KiB (Documentation/build.rst).
TINY_TEXT_MAX = 64 * 1024


def check_tiny_text(r):
    vmlinux = os.path.join(r.out, "tiny_defconfig", "vmlinux")
    out = subprocess.run(["riscv64-unknown-elf-size", "-A", vmlinux],
                         capture_output=True, text=True).stdout
    m = re.search(r"^\.text\s+(\d+)", out, re.M)
    r.report(m is not None and int(m.group(1)) <= TINY_TEXT_MAX,
             "build/tiny_defconfig-text-size",
             "%s bytes of .text, at most %d" % (m.group(1) if m else "?",
                                                TINY_TEXT_MAX), out)


def phase_configs(r):
    for cfg, smp in CONFIGS:
        image = r.images[cfg] = build_config(r, cfg, cfg)
        if image:
            check_boot(r, "boot/%s/smp%d" % (cfg, smp), image, smp=smp)
        if image and cfg == "tiny_defconfig":
            check_tiny_text(r)
    for seed in RANDCONFIG_SEEDS:
        name = "randconfig-" + seed
        image = build_config(r, name, "randconfig", {"KCONFIG_SEED": seed})
        if image:
            smp = 4 if "CONFIG_SMP=y" in open(
                os.path.join(r.out, name, ".config")).read() else 1
            check_boot(r, "boot/%s/smp%d" % (name, smp), image, smp=smp)


def config_image(r, cfg):
    """The Image of a defconfig, built once per run (incrementally)."""
    if cfg not in r.images:
        objdir = os.path.join(r.out, cfg)
        if os.path.exists(os.path.join(objdir, ".config")):
            rc, log = make(objdir, "all")
            r.save("build-" + cfg, log)
            image = os.path.join(objdir, "arch", "riscv", "boot", "Image")
            if rc:
                r.report(False, "build/" + cfg, "", log)
                image = None
        else:
            image = build_config(r, cfg, cfg)
        r.images[cfg] = image
    return r.images[cfg]


# ---------------------------------------------------------------------------
def run_ktest(r, tag, image, smp, append="ktest.run=1 loglevel=7",
              expect_suites=None, extra=()):
    res = qemu_run.boot(qemu_run.qemu_command(image, smp=smp, append=append,
                                              extra=extra),
                        120, r.logfile("ktest-" + tag))
    lines = res.lines
    cases = qemu_run.parse_ktap(lines)
    for case, ok, skip in cases:
        r.report(None if skip else ok, "ktest/%s/%s" % (tag, case), "",
                 res.log)
    totals = qemu_run.ktap_totals(lines)
    failed = sum(1 for _, ok, _ in cases if not ok)
    problems = []
    if not totals:
        problems.append("no KTAP totals: the run did not finish")
    if res.fatal:
        problems.append(res.fatal.strip())
    if res.status != (1 if failed else 0):
        problems.append("QEMU exit status %d with %d failures" % (res.status, failed))
    suites = sorted({c.split(".")[0] for c, _, _ in cases})
    if expect_suites is not None and suites != expect_suites:
        problems.append("suites run: %s" % " ".join(suites))
    r.report(not problems and bool(cases), "ktest/%s" % tag,
             "; ".join(problems) or "%d cases" % len(cases), res.log)
    return res


def block_disk_image(path):
    """The disks of ktest run 'block' (kernel/tests/block_test.c).

    8 MiB; every sector but the MBR starts with its own number (u64 LE);
    primary partitions at 2048 (4096 sectors) and 6144 (8192 sectors).
    """
    sectors = 16384
    img = bytearray(sectors * 512)
    for s in range(1, sectors):
        img[s * 512:s * 512 + 8] = struct.pack("<Q", s)
    for i, (start, count) in enumerate([(2048, 4096), (6144, 8192)]):
        img[446 + 16 * i:462 + 16 * i] = struct.pack("<B3sB3sII", 0, b"", 0x83,
                                                     b"", start, count)
    img[510:512] = b"\x55\xaa"
    with open(path, "wb") as f:
        f.write(img)


def block_disks(r, prefix):
    """QEMU arguments for block_disk_image()s: a writable vda and a read-only vdb."""
    extra = []
    for n, ro in (("vda", ""), ("vdb", ",readonly=on")):
        path = os.path.join(r.out, "%s-%s.img" % (prefix, n))
        block_disk_image(path)
        extra += ["-drive", "file=%s,if=none,format=raw,id=%s%s" % (path, n, ro),
                  "-device", "virtio-blk-device,drive=%s" % n]
    return extra


EXT2_BIG = 200000


def ext2_pattern(n):
    """kernel/tests/ext2_test.c's pattern(): byte i is (i * 7 + i // 251) & 0xff."""
    return bytes((i * 7 + i // 251) & 0xff for i in range(n))


def ext2_test_images(out):
    """vdc, vdd, vde of ktest run 'block' (kernel/tests/ext2_test.c).

    vdc: mkfs.ext2 -d of a tree with the host's files; vdd: its first
    group descriptor's inode table out of the group; vde: marked not
    cleanly unmounted. Returns their paths, or None without e2fsprogs.
    """
    if not shutil.which("mkfs.ext2"):
        return None
    tree = os.path.join(out, "ext2-tree")
    shutil.rmtree(tree, ignore_errors=True)
    os.makedirs(os.path.join(tree, "sub"))
    os.makedirs(os.path.join(tree, "many"))
    with open(os.path.join(tree, "hello.txt"), "w") as f:
        f.write("hello from the host\n")
    with open(os.path.join(tree, "sub", "big"), "wb") as f:
        f.write(ext2_pattern(EXT2_BIG))
    with open(os.path.join(tree, "sparse"), "wb") as f:
        f.truncate(70 << 20)
        f.seek((70 << 20) - 3)
        f.write(b"END")
    os.symlink("hello.txt", os.path.join(tree, "fast"))
    os.symlink("sub/../" * 9 + "hello.txt", os.path.join(tree, "slow"))
    for i in range(40):
        with open(os.path.join(tree, "many", "f%d" % i), "w") as f:
            f.write(str(i))
    paths = [os.path.join(out, "ktest-%s.img" % n) for n in ("vdc", "vdd", "vde")]
    for p in paths:
        if os.path.exists(p):
            os.unlink(p)
        subprocess.run(["mkfs.ext2", "-q", "-F", "-b", "1024", "-d", tree, p, "8M"],
                       check=True, capture_output=True)
    with open(paths[1], "r+b") as f:  # 1 KiB blocks: descriptors in block 2
        f.seek(2048 + 8)
        f.write(struct.pack("<I", 8191))
    with open(paths[2], "r+b") as f:  # s_state: not clean
        f.seek(1024 + 58)
        f.write(struct.pack("<H", 0))
    return paths


def check_ext2_image(r, name, path):
    """e2fsck -fn finds the image clean, and debugfs sees what the guest wrote."""
    fsck = subprocess.run(["e2fsck", "-fn", path], capture_output=True, text=True)
    r.report(fsck.returncode == 0, name + "/e2fsck-clean",
             "e2fsck -fn: status %d" % fsck.returncode, fsck.stdout + fsck.stderr)
    cat = subprocess.run(["debugfs", "-R", "cat /guest/hello", path],
                         capture_output=True, text=True)
    big = subprocess.run(["debugfs", "-R", "cat /guest2/big-moved", path],
                         capture_output=True)
    huge = subprocess.run(["debugfs", "-R", "stat /guest/huge", path],
                          capture_output=True, text=True)
    ok = (cat.stdout == "written by the guest\n" and big.stdout == ext2_pattern(300000) and
          "Size: 5368709124" in huge.stdout)
    r.report(ok, name + "/debugfs-reads-guest-files", "", cat.stdout + cat.stderr)


def run_ktest_block(r, image):
    """virtio-blk, the block layer, the buffer cache and ext2 on the runner's disks."""
    extra = block_disks(r, "ktest")
    ext2 = ext2_test_images(r.out)
    for n, path in zip(("vdc", "vdd", "vde"), ext2 or []):
        extra += ["-drive", "file=%s,if=none,format=raw,id=%s" % (path, n),
                  "-device", "virtio-blk-device,drive=%s" % n]
    res = run_ktest(r, "block", image, 2, "ktest.filter=block* loglevel=7",
                    ["block", "block_bcache", "block_ext2"], extra=extra)
    if ext2:
        check_ext2_image(r, "ktest/block_ext2", ext2[0])
    skipped = [c for c, _, skip in qemu_run.parse_ktap(res.lines) if skip]
    r.report(not skipped and "vda2: 8192 sectors from 6144" in res.log,
             "ktest/block-disks-found", "skipped: " + " ".join(skipped) if skipped
             else "", res.log)


def phase_ktest(r):
    image = config_image(r, "qemu_virt_defconfig")
    if not image:
        return
    for smp in (1, 4, 8):
        run_ktest(r, "smp%d" % smp, image, smp)
    run_ktest_block(r, image)
    run_ktest_vfat(r, image)
    run_ktest(r, "filter", image, 2, "ktest.filter=lib loglevel=7", ["lib"])
    # A hart left offline is sent to the boot entry: it must stop itself.
    run_ktest(r, "late-boot-entry", image, 3,
              "maxcpus=2 ktest.filter=smp.late_boot_entry_stops_itself loglevel=7",
              ["smp"])
    res = qemu_run.boot(qemu_run.qemu_command(
        image, smp=1, append="ktest.filter=nosuchsuite loglevel=7"), 60,
        r.logfile("ktest-filter-no-match"))
    r.report(res.status == 1 and "no test matches ktest.filter=nosuchsuite"
             in res.log, "ktest/filter-matching-nothing-fails",
             "QEMU exit status %d" % res.status, res.log)
    up = config_image(r, "qemu_virt_up_defconfig")
    if up:
        run_ktest(r, "up", up, 1)
    # The soft-lockup detector: a case spins past a 2 s threshold.
    res = run_ktest(r, "softlockup", image, 2,
                    "ktest.filter=softlockup softlockup.timeout=2 loglevel=7",
                    ["softlockup"])
    text = "\n".join(res.lines)
    missing = [n for n in ("BUG: soft lockup - CPU#", "stuck for 2s!",
                           "interrupted in the kernel at pc", "Call trace:",
                           "softlockup_spin+", "ok 1 softlockup_spin",
                           "ok 2 softlockup_sleep_is_fine")
               if n not in text]
    r.report(not missing, "ktest/softlockup-warning-with-backtrace",
             "; ".join("missing %r" % m for m in missing), res.log)
    # The hung-task detector and DEBUG_SCHED's lost-task scan (2 s threshold).
    res = run_ktest(r, "hung-task", image, 2,
                    "ktest.filter=hung_task hung_task.timeout=2 loglevel=7",
                    ["hung_task"])
    text = "\n".join(res.lines)
    missing = [n for n in ("BUG: runnable task ktest-lost:",
                           "is on no run queue and no CPU",
                           "INFO: task ktest-lost:",
                           "runnable but not run for more than 2 seconds.",
                           "task:ktest-lost ")
               if n not in text]
    r.report(not missing, "ktest/hung-task-and-lost-task-reports",
             "; ".join("missing %r" % m for m in missing), res.log)


# ---------------------------------------------------------------------------
def phase_boot(r):
    image = config_image(r, "qemu_virt_defconfig")
    if not image:
        return
    for mem in ("16M", "64M", "2G"):
        check_boot(r, "boot/mem-%s" % mem, image, smp=4, mem=mem)
    res = check_boot(r, "boot/smp8", image, smp=8)
    r.report("smp: Brought up 8 CPUs" in "\n".join(res.lines),
             "boot/smp8-all-harts-online", "", res.log)
    res = check_boot(r, "boot/console-echo-by-interrupt", image, smp=4,
                     steps=[(qemu_run.BOOTED, b"hartix echo\r"),
                            (r"hartix echo\r*\n", None)])
    r.report(res.stopped and "console input on irq" in res.log,
             "boot/console-echo-by-interrupt-path", "", res.log)
    sifive_u(r)
    for bios in ("fw_jump", "fw_dynamic"):
        check_boot(r, "boot/debian-opensbi-%s" % bios, image, smp=2, bios=bios)
    res = check_boot(r, "boot/bootargs-bad-values", image, smp=1,
                     append="loglevel=banana nosuchparam=1 console=nowhere "
                     "loglevel=7")
    text = "\n".join(res.lines)
    r.report("Malformed value in \"loglevel=banana\"" in text and
             "Unknown kernel command line parameter \"nosuchparam=1\"" in text
             and "console=nowhere: no such" in text,
             "boot/bootargs-bad-values-reported", "", res.log)
    bad_dtb_boot(r, image)
    kaslr_boots(r, image)
    crash_boots(r, image)
    # The board's kernel, the way the board boots it: U-Boot booti.
    uboot_boot.run(r, os.path.join(r.out, "uboot"),
                   config_image(r, "visionfive2_defconfig"))


def crash_boots(r, image):
    """Each fatal path prints its report, a symbolized trace, and exits 2."""
    expect = {
        "panic": ["Kernel panic - not syncing: crashtest: deliberate panic",
                  "crashtest_panic+"],
        "bug": ["kernel BUG at kernel/tests/crashtest.c", "crashtest_bug+"],
        "fault": ["Oops: load page fault", "epc: crashtest_load_fault+",
                  "badaddr: 0000000000000008"],
        "illegal": ["Oops: illegal instruction", "epc: crashtest_illegal+"],
        "stack": ["Kernel stack pointer 0x1000 is outside this hart's stack",
                  "corrupt stack pointer", "Trapped at crashtest_bad_stack+"],
        "stack-overflow": ["kernel stack overflow on hart",
                           "(crash-overflow): sp",
                           "Trapped at crashtest_recurse",
                           "Kernel panic - not syncing: kernel stack overflow"],
        # qemu_virt_defconfig has CONFIG_DEBUG_SPINLOCK.
        "lock-recursion": ["BUG: spinlock recursion on CPU0",
                           "taken at crashtest_lock_recursion+",
                           "crashtest_lock_recursion+"],
        "lock-unowned": ["BUG: spinlock unlocked by a CPU that does not hold it",
                         "held by nobody", "crashtest_lock_unowned+"],
        # qemu_virt_defconfig has DEBUG_PAGEALLOC and DEBUG_SLAB too.
        "page-double-free": ["BUG: page_alloc: free_pages(",
                             "double free: the block is already free",
                             "crashtest_page_double_free+"],
        "page-wrong-order": ["BUG: page_alloc: free_pages(",
                             "wrong order: the block was allocated with another",
                             "crashtest_page_wrong_order+"],
        "page-use-after-free": ["BUG: page_alloc: use after free:",
                                "was written while free: 0x01, expected 0xaa",
                                "crashtest_page_use_after_free+"],
        "slab-double-free": ["BUG: slab kmalloc-32: kfree(",
                             "double free: the object is already free",
                             "crashtest_slab_double_free+"],
        "slab-bad-free": ["BUG: slab kmalloc-64: kfree(",
                          "not the start of an object", "crashtest_slab_bad_free+"],
        "slab-overrun": ["BUG: slab kmalloc-32: kfree(", "redzone overwritten: byte at",
                         "(object+20) is 0x78 (overrun)", "crashtest_slab_overrun+"],
        "slab-use-after-free": ["BUG: slab kmalloc-64: alloc(",
                                "free object modified (use after free)",
                                "(object+3) is 0x01", "crashtest_slab_use_after_free+"],
        # qemu_virt_defconfig has CONFIG_STACKPROTECTOR.
        "canary": ["Kernel panic - not syncing: stack-protector: Kernel stack "
                   "is corrupted in: crashtest_canary+", "__stack_chk_fail+"],
    }
    for kind, needles in expect.items():
        res = qemu_run.boot(qemu_run.qemu_command(
            image, smp=2, append="crashtest=%s loglevel=7" % kind),
            60, r.logfile("crash-" + kind))
        text = "\n".join(res.lines)
        common = ["Call trace:", "---[ end Kernel panic"]
        if not kind.startswith("stack"):  # no frames to walk from a bad stack
            common.append("start_kernel+")
        missing = [n for n in needles + common if n not in text]
        problems = ["missing %r" % m for m in missing]
        if res.timed_out:
            problems.append("hung")
        elif res.status != 2:
            problems.append("QEMU exit status %d, expected 2" % res.status)
        r.report(not problems, "boot/crash-%s" % kind, "; ".join(problems),
                 res.log)


def sifive_u(r):
    """QEMU sifive_u: hart 0 has no MMU, the console is a SiFive UART."""
    image = config_image(r, "qemu_virt_defconfig")
    if not image:
        return
    res = check_boot(r, "boot/sifive_u-smp5", image, smp=5, machine="sifive_u")
    text = "\n".join(res.lines)
    r.report("smp: Brought up 4 CPUs" in text and
             "hart 0 skipped: " in text,
             "boot/sifive_u-4-cpus-hart0-skipped", "", res.log)


def qemu_dts(r, work, name):
    """QEMU virt's device tree (-smp 2 -m 256M) as source, or None (reported)."""
    os.makedirs(work, exist_ok=True)
    good, dts = os.path.join(work, "virt.dtb"), os.path.join(work, "virt.dts")
    rc, log = sh(["qemu-system-riscv64", "-M", "virt,dumpdtb=" + good,
                  "-smp", "2", "-m", "256M", "-nographic"])
    rc2, log2 = sh(["dtc", "-q", "-I", "dtb", "-O", "dts", "-o", dts, good])
    if rc or rc2:
        r.report(False, name, "could not make the DTB", log + log2)
        return None
    with open(dts) as f:
        return f.read()


def compile_dts(work, text, name):
    """Writes text to work/name.dts and compiles it: (dtc status, log, dtb path)."""
    dts, dtb = os.path.join(work, name + ".dts"), os.path.join(work, name + ".dtb")
    with open(dts, "w") as f:
        f.write(text)
    rc, log = sh(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", dtb, dts])
    return rc, log, dtb


def bad_dtb_boot(r, image):
    """A tree without /memory must stop boot with a clear message, not hang."""
    work = os.path.join(r.out, "baddtb")
    text = qemu_dts(r, work, "boot/fdt-without-memory")
    if text is None:
        return
    text = re.sub(r"\n\tmemory@[0-9a-f]+ \{.*?\n\t\};", "", text, flags=re.S)
    rc, log, bad = compile_dts(work, text, "no-memory")
    res = qemu_run.boot(qemu_run.qemu_command(image, smp=2, append="loglevel=7",
                                              extra=["-dtb", bad]),
                        60, r.logfile("boot-fdt-without-memory"))
    text = "\n".join(res.lines)
    r.report(rc == 0 and not res.timed_out and not res.booted and
             "Kernel panic - not syncing: device tree" in text and
             "memory" in text, "boot/fdt-without-memory-rejected",
             "" if not res.timed_out else "hung", res.log)


KASLR_LINE = re.compile(r"KASLR: kernel virtual base (0x[0-9a-f]+) \(offset "
                        r"(0x[0-9a-f]+|0), ([^)]*)\)")


def kaslr_boots(r, image):
    """KASLR: a /chosen/kaslr-seed decides the base, so a seed repeats its
    base and two seeds give two bases; every relocated kernel must run and
    name its functions in a backtrace. nokaslr keeps the link address."""
    work = os.path.join(r.out, "kaslr")
    text = qemu_dts(r, work, "boot/kaslr")
    if text is None:
        return
    bases = {}
    runs = [("seed-a", 0x1234, None), ("seed-a-again", 0x1234, None),
            ("seed-b", 0x5678, None), ("nokaslr", 0x1234, "nokaslr")]
    for name, seed, append in runs:
        seeded = re.sub(r"(\n\tchosen \{)", r"\1\n\t\tkaslr-seed = <0x0 %#x>;"
                        % seed, text, count=1)
        rc, log, dtb = compile_dts(work, seeded, name)
        res = qemu_run.boot(qemu_run.qemu_command(
            image, smp=2, append="crashtest=panic loglevel=7 " + (append or ""),
            extra=["-dtb", dtb]), 60, r.logfile("kaslr-" + name))
        out = "\n".join(res.lines)
        m = KASLR_LINE.search(out)
        want = "disabled by nokaslr" if append else "seed from /chosen/kaslr-seed"
        problems = [] if rc == 0 else ["dtc failed: " + log]
        if not m or m.group(3) != want:
            problems.append("no 'KASLR: ... (%s)' line" % want)
        else:
            bases[name] = int(m.group(1), 16)
        problems += ["missing %r" % n for n in
                     ("crashtest_panic+", "start_kernel+", "---[ end Kernel panic")
                     if n not in out]
        if res.timed_out or res.status != 2:
            problems.append("hung" if res.timed_out else
                            "QEMU exit status %d, expected 2" % res.status)
        r.report(not problems, "boot/kaslr-" + name, "; ".join(problems), res.log)
    if len(bases) == len(runs):
        same = bases["seed-a"] == bases["seed-a-again"]
        r.report(same, "boot/kaslr-same-seed-same-base", "" if same else
                 "%#x then %#x" % (bases["seed-a"], bases["seed-a-again"]), "")
        other = bases["seed-a"] != bases["seed-b"]
        r.report(other, "boot/kaslr-other-seed-other-base", "" if other else
                 "both %#x" % bases["seed-a"], "")
        r.report(bases["nokaslr"] == 0xffffffff80000000 and
                 all(b % (2 << 20) == 0 and b >= 0xffffffff80000000
                     for b in bases.values()),
                 "boot/kaslr-bases-2mib-aligned-in-top-2gib",
                 " ".join("%s=%#x" % kv for kv in sorted(bases.items())), "")



def kptr_boots(r, image):
    """/proc/kallsyms under each kptr_restrict: a 32-bit hash, the real
    (relocated) address, zero."""
    system_map = os.path.join(os.path.dirname(image), "..", "..", "..",
                              "System.map")
    with open(system_map) as f:
        linked = int(next(l for l in f if l.endswith(" start_kernel\n")).split()[0], 16)
    for mode in (0, 1, 2):
        name = "user/proc-kallsyms-kptr_restrict-%d" % mode
        res = qemu_run.boot(qemu_run.qemu_command(
            image, smp=2, append="loglevel=7 kptr_restrict=%d init=/bin/cat -- "
            "/proc/kallsyms" % mode), 60, r.logfile(name))
        out = "\n".join(res.lines)
        shown = re.search(r"(?m)^([0-9a-f]{16}) t start_kernel\r?$", out)
        base = KASLR_LINE.search(out)
        if not shown or not base:
            r.report(False, name, "no start_kernel line or no KASLR line", res.log)
            continue
        value, real = int(shown.group(1), 16), linked + int(base.group(2), 16)
        ok = {0: 0 < value < 1 << 32, 1: value == real, 2: value == 0}[mode]
        r.report(ok, name, "" if ok else "start_kernel shown as %#x, at %#x"
                 % (value, real), res.log)


# ---------------------------------------------------------------------------
def user_boot(r, name, image, append, expect, status=0, smp=4, stop_on=None,
              extra=(), absent=()):
    """Boot with a user program as init; check its output and exit status.

    With stop_on the kernel is expected to keep running: the runner ends
    QEMU once that pattern appears.
    """
    res = qemu_run.boot(qemu_run.qemu_command(image, smp=smp, append=append,
                                              extra=extra),
                        90, r.logfile(name),
                        steps=[(stop_on, None)] if stop_on else None)
    text = "\n".join(res.lines)
    problems = ["missing %r" % e for e in expect if e not in text]
    problems += ["unexpected %r" % e for e in absent if e in text]
    if res.timed_out:
        problems.append("hung")
    elif stop_on:
        if not res.stopped:
            problems.append("QEMU exited (status %d)" % res.status)
    elif status is not None and res.status != status:
        problems.append("QEMU exit status %d, expected %d" % (res.status, status))
    if res.fatal:
        problems.append(res.fatal.strip())
    r.report(not problems, name, "; ".join(problems), res.log)


# The shell's prompt: "$ " or "# " at the end of the output so far.
PROMPT = r"[#$] $"


def shell_boot(r, name, image, dialogue, status, smp=2):
    """Boot the default /init and type into its shell on the console.

    dialogue: [(command line, regex its output must match)]; a regex
    anchored with (?m)^ cannot match the echo of the typed line (which
    follows the prompt). The last command makes the shell exit: QEMU must
    then exit by itself with 'status'.
    """
    steps = []
    for cmd, expect in dialogue:
        steps.append((PROMPT, cmd.encode() + b"\n"))
        if expect:
            steps.append((expect, None))
    res = qemu_run.boot(qemu_run.qemu_command(image, smp=smp,
                                              append="loglevel=4"),
                        90, r.logfile(name), steps=steps, stop=False)
    text = "\n".join(res.lines)
    problems = ["no output for %r" % cmd for cmd, expect in dialogue
                if expect and not re.search(expect, text)]
    if res.timed_out:
        problems.append("hung")
    elif res.status != status:
        problems.append("QEMU exit status %d, expected %d" % (res.status, status))
    if res.fatal:
        problems.append(res.fatal.strip())
    r.report(not problems, name, "; ".join(problems), res.log)


def shell_step6_session(r, image):
    """Step 6's 'done when', typed into the shell on 4 harts."""
    tok = "tok%08x" % random.getrandbits(32)
    line = lambda x: r"(?m)^" + x + r"\r?$"
    # / holds bin dev init proc tests tmp usr.
    session = [("ls / | wc -l", line("7")),
               ("echo hi%s > /tmp/x && cat /tmp/x" % tok, line("hi" + tok)),
               ("yes %s | head -n 3" % tok,
                r"(?m)^%s\r?\n%s\r?\n%s\r?$" % (tok, tok, tok)),
               ("sleep 1 &", line(r"\[\d+\]")),
               ("yes", r"(?m)^y\r?\ny\r?\ny\r?$")]
    steps = []
    for cmd, expect in session:
        steps += [(PROMPT, cmd.encode() + b"\n"), (expect, None)]
    steps[-1] = (steps[-1][0], b"\x03")  # Ctrl-C once yes is running
    steps += [(PROMPT, b"echo st=$?\n"), (line("st=130"), None),
              (PROMPT, b"exit 6\n")]
    res = qemu_run.boot(qemu_run.qemu_command(image, smp=4, append="loglevel=4"),
                        120, r.logfile("user/shell-step6-smp4"), steps=steps,
                        stop=False)
    text = "\n".join(res.lines)
    problems = ["no output for %r" % c for c, e in session if not re.search(e, text)]
    if not re.search(line("st=130"), text):
        problems.append("Ctrl-C did not end yes with status 130")
    if res.timed_out:
        problems.append("hung")
    elif res.status != 6:
        problems.append("QEMU exit status %d, expected 6" % res.status)
    r.report(not problems, "user/shell-step6-smp4", "; ".join(problems), res.log)


def shell_tests(r, image):
    """/init runs /bin/sh on the console: drive it as a user would."""
    tok = "tok%08x" % random.getrandbits(32)
    line = lambda s: r"(?m)^" + s + r"\r?$"  # a whole output line
    shell_boot(r, "user/shell-console", image, [
        ("echo %s" % tok, line(tok)),
        ("echo  'a  b'   \"c $HOME\"  \\$x %s" % tok, line(r"a  b c / \$x " + tok)),
        ("uname -s -m", line("Hartix riscv64")),
        ("echo 1%s > /tmp/f; echo 2%s >> /tmp/f; wc -l < /tmp/f; cat /tmp/f" % (tok, tok),
         r"(?m)^2\r?\n1%s\r?\n2%s\r?$" % (tok, tok)),
        ("ls /nosuch", line("ls: /nosuch: No such file or directory")),
        ("nosuch%s" % tok, line("sh: nosuch%s: command not found" % tok)),
        ("echo st=$?", line("st=127")),
        ("false || echo or-%s && echo and-%s" % (tok, tok),
         r"(?m)^or-%s\r?\nand-%s\r?$" % (tok, tok)),
        ("cd /tmp; pwd; mkdir -p d%s/e; ls d%s" % (tok, tok), r"(?m)^/tmp\r?\ne\r?$"),
        ("sleep 1 &", line(r"\[\d+\]")),
        ("sleep 2", r"(?m)^\[\d+\] Done\s+sleep 1\r?$"),
        ("exit 3", None),
    ], 3)
    shell_boot(r, "user/shell-pipeline", image, [
        ("echo a b c | wc -w; yes %s | head -n 2; echo x | cat | cat | wc -c; exit 7" % tok,
         r"(?m)^3\r?\n%s\r?\n%s\r?\n2\r?$" % (tok, tok)),
    ], 7)
    shell_boot(r, "user/shell-mv-rm", image, [
        ("cd /tmp; echo %s > a; mv a b; cat b; mkdir -p d/e; mv b d/e; cat d/e/b; "
         "rm -r d; ls | wc -l; exit 5" % tok,
         r"(?m)^%s\r?\n%s\r?\n0\r?$" % (tok, tok)),
    ], 5)
    shell_step6_session(r, image)
    # Ctrl-C: SIGINT to the foreground job's group only, the shell survives.
    steps = [(PROMPT, b"sh -c 'echo started; sleep 20'\n"), (r"(?m)^started", b"\x03"),
             (PROMPT, b"echo st=$?\n"), (r"(?m)^st=130\r?$", None),
             (PROMPT, b"exit 0\n")]
    res = qemu_run.boot(qemu_run.qemu_command(image, smp=2, append="loglevel=4"),
                        90, r.logfile("user/shell-ctrl-c"), steps=steps, stop=False)
    ok = (not res.timed_out and res.status == 0 and res.seconds < 20 and
          re.search(r"(?m)^st=130\r?$", "\n".join(res.lines)))
    r.report(bool(ok), "user/shell-ctrl-c", "" if ok else
             "no st=130, or the sleep was not interrupted", res.log)


def initrd_hello42(r):
    """A cpio with /hello42, built by the Linux toolchain outside the tree."""
    d = os.path.join(r.out, "initrd-hello42")
    os.makedirs(d, exist_ok=True)
    exe, lst, cpio = (os.path.join(d, f) for f in ("hello42", "list",
                                                    "hello42.cpio"))
    rc, log = sh(["riscv64-linux-gnu-gcc", "-static", "-nostdlib",
                  "-fno-stack-protector", "-O2", "-o", exe,
                  "user/examples/linux_static_exit.c"])
    if rc == 0:
        with open(lst, "w") as f:
            f.write("hello42 %s 0755\n" % exe)
        rc, log2 = sh([PYTHON, "tools/build/gen_initramfs.py", "-o", cpio, lst])
        log += log2
    if rc:
        r.report(False, "user/initrd-build", "building the initrd failed", log)
        return None
    return cpio


def hostile_initrds(r, image):
    """Initrds made to hurt the unpacker (tools/testing/hostile_cpio.py)."""
    d = os.path.join(r.out, "initrd-hostile")
    os.makedirs(d, exist_ok=True)
    ran = ["Hello, world!", "init: /bin/hello exited with status 0"]
    cases = {
        # 2000 levels, then removed whole by a file of the same name.
        "deep": ran,
        # Targets of PATH_MAX bytes or more are refused, as Linux does.
        "longlink": ran + ["initrd: cannot create /l4096: error -36",
                           "initrd: cannot create /l8000: error -36",
                           "initrd: cannot create /proc: error -16"],
        # 20,000 names in one directory, each looked up again.
        "bigdir": ran,
        "deepdot": ran,
    }
    for kind, expect in cases.items():
        cpio = os.path.join(d, kind + ".cpio")
        rc, log = sh([PYTHON, "tools/testing/hostile_cpio.py", kind, cpio])
        if rc:
            r.report(False, "user/initrd-hostile-" + kind, "no archive", log)
            continue
        user_boot(r, "user/initrd-hostile-" + kind, image,
                  "loglevel=7 init=/bin/hello", expect, smp=2,
                  extra=("-initrd", cpio),
                  absent=["soft lockup", "cannot create /l4095"])


def user_reference_checks(r, objdir):
    """The programs under qemu-riscv64, the real Linux ABI: the reference."""
    rc, log = sh(["sh", "tools/testing/user_qemu_check.sh", objdir])
    r.save("user-qemu", log)
    cases = re.findall(r"^(ok|not ok) \d+ (.*)$", log, re.M)
    for status, case in cases:
        name, _, skip = case.partition(" # SKIP ")
        if skip:
            r.report(None, "user/qemu-user/" + name, skip)
        else:
            r.report(status == "ok", "user/qemu-user/" + name, "", log)
    if not cases:
        r.report(False, "user/qemu-user", "ran no check", log)
    elif rc and all(s == "ok" for s, _ in cases):
        r.report(False, "user/qemu-user", "exited %d" % rc, log)


KSHELL_PROMPT = "kshell> "
NEVER = r"(?!)"  # a last step that never matches: QEMU runs to its end


def kshell_session(r, image, name, append, inputs, smp=4, until=None,
                   start=None, timeout=120):
    """Boot, then type each of inputs at a kernel shell prompt.

    start: (regex, bytes) typed first (a BREAK to enter); until: the regex
    that ends the session (default: the prompt after the last input).
    Returns (Result, outputs): outputs[i] is what inputs[i] printed, up to
    the next prompt.
    """
    steps = [start] if start else []
    steps += [(re.escape(KSHELL_PROMPT), i) for i in inputs]
    steps.append((until or re.escape(KSHELL_PROMPT), None))
    res = qemu_run.boot(qemu_run.qemu_command(
        image, smp=smp, append=append), timeout,
        r.logfile(name), steps=steps)
    text = res.log.replace("\r", "")
    parts = text.split(KSHELL_PROMPT)[1:]
    return res, parts + [""] * (len(inputs) - len(parts))


def kshell_commands(r, image):
    """Every command of the kernel shell on 4 harts, and bad input."""
    boot_token = "tok%08x" % random.getrandbits(32)
    run_token = "tok%08x" % random.getrandbits(32)
    cmds = [  # (typed, [facts its output must hold])
        (b"help\r", ["bt <cpu>", "run <program>", "kill <pid> [signal]"]),
        (b"version\r", ["Hartix ", " SMP"]),
        (b"cpus\r", ["4 of 4 harts online"]),
        (b"bootargs\r", [boot_token]),
        (b"run /tests/hello_token %s\r" % run_token.encode(),
         ["hello_token: " + run_token, "argc=2",
          "/tests/hello_token (pid ", "exited with status 0"]),
        (b"run /nosuch\r", ["run: /nosuch: no such file"]),
        (b"ps\r", ["[kshell]", "PID STATE"]),
        (b"top -n 1\r", ["CPU  HART  USER%"]),
        (b"top -x\r", ["usage: top [-n rounds]"]),
        (b"free\r", ["Free blocks by order: 0:", "kmalloc-64", "task"]),
        (b"meminfo\r", ["Free blocks by order: 0:"]),
        (b"irqs\r", ["uart_rx_irq+"]),
        (b"dmesg 6\r", ["Booted in "]),
        (b"dmesg loud\r", ["dmesg: 'loud' is not a level"]),
        (b"devices\r", ["/soc/serial@10000000", "-> uart8250", "-> plic"]),
        (b"dt /cpus\r", ["cpu@3 {", "riscv,isa = \"rv64"]),
        (b"dt /nosuch\r", ["dt: no node '/nosuch'"]),
        (b"uptime\r", ["4 harts online"]),
        (b"date\r", [" UTC ("]),
        (b"ktest lib\r", ["ok 1 lib", "ktest: all passed"]),
        (b"bt 2\r", ["CPU2 (hart ", ") running pid", "Call trace:"]),
        (b"bt 9\r", ["bt: CPU9 is not online"]),
        (b"bt\r", ["bt: expects 1 argument", "usage: bt <cpu>"]),
        (b"kill 9999\r", ["kill: no process with pid 9999"]),
        # Pid 1 is init's alone; the shell's thread is the first task after.
        (b"kill 2 TERM\r", ["is a kernel thread"]),
        (b"kill x\r", ["kill: 'x' is not a process id"]),
        (b"frobnicate\r", ["kshell: unknown command 'frobnicate'"]),
        (b"A" * 300 + b"\r", ["line longer than 255 bytes, ignored"]),
        (b"he\x07lp\r", ["byte 0x07 is not printable ASCII"]),
        (b"\xff\xfeversion\r", ["byte 0xff is not printable ASCII"]),
        (b"bogus\x15uptime\r", ["harts online"]),  # Ctrl-U
        (b"verx\x7fsion\r", ["Hartix "]),  # DEL
        (b"bogus\x03", ["^C"]),  # Ctrl-C: no error for "bogus"
        (b"\x1b[A\r", ["Hartix "]),  # up: "version" again
        (b"\x1b[A\x1b[A\x1b[B\r", ["Hartix "]),  # up: uptime, down: version
    ]
    res, outs = kshell_session(
        r, image, "user/kshell-commands", "kshell loglevel=4 test.token=%s" % boot_token,
        [c for c, _ in cmds] + [b"exit\r"], until=r"init starting /bin/sh")
    for (typed, facts), out in zip(cmds, outs):
        shown = typed.decode("latin-1").strip()[:24].encode(
            "unicode_escape").decode()
        missing = [f for f in facts if f not in out]
        if "unknown command" in out and b"frob" not in typed:
            missing.append("no 'unknown command'")
        r.report(not missing and not res.timed_out,
                 "user/kshell-cmd/" + re.sub(r"[^\w.-]+", "_", shown),
                 "; ".join("missing %r" % m for m in missing), out)
    r.report(res.stopped and not res.fatal and
             "kshell: left" in res.log and "init starting /bin/sh" in res.log,
             "user/kshell-exit-starts-init",
             res.fatal or ("timed out" if res.timed_out else ""), res.log)


def kshell_break(r, image, smp):
    """A BREAK enters the shell while a user program runs; it goes on.

    On 1 hart the shell shares it with the program."""
    token = "tok%08x" % random.getrandbits(32)
    brk = b"\x01b"  # QEMU's -serial mon:stdio: Ctrl-A b sends a break
    res, outs = kshell_session(
        r, image, "user/kshell-break-smp%d" % smp,
        "loglevel=4 init=/tests/busy_token -- %s 10" % token,
        [b"ps\r", b"top -n 1\r", b"ps\r", brk], smp=smp,
        start=(r"busy_token: started", brk),
        until=r"busy_token: %s done after \d+" % token)
    cpu = [re.findall(r"running\s+\d+\s+([\d.]+)\s+[\d.]+ busy_token|"
                      r"runnable\s+\d+\s+([\d.]+)\s+[\d.]+ busy_token", o)
           for o in outs[:3]]
    times = [float(a or b) for m in (cpu[0], cpu[2]) for a, b in m[:1]]
    problems = []
    if "kernel shell on CPU" not in res.log or "(BREAK)" not in res.log:
        problems.append("no shell after the BREAK")
    if len(times) != 2 or times[1] <= times[0]:
        problems.append("busy_token's CPU time did not grow: %r" % times)
    if "kshell: left" not in res.log:
        problems.append("the second BREAK did not leave")
    if not res.stopped:
        problems.append("busy_token did not finish")
    r.report(not problems and not res.fatal,
             "user/kshell-break-user-goes-on-smp%d" % smp,
             "; ".join(problems) or (res.fatal or ""), res.log)


def kshell_crashes(r, image):
    """panic and fault reach the crash paths; reboot boots again; poweroff."""
    token = "tok%08x" % random.getrandbits(32)
    for cmd, needles in (
            (b"panic %s now\r" % token.encode(),
             ["Kernel panic - not syncing: %s now" % token, "cmd_panic+"]),
            (b"fault\r", ["Oops: load page fault", "epc: cmd_fault+"])):
        name = "user/kshell-" + cmd.split()[0].decode().strip()
        res, _ = kshell_session(r, image, name, "kshell loglevel=4", [cmd],
                                until=NEVER)
        text = "\n".join(res.lines)
        problems = ["missing %r" % n for n in needles if n not in text]
        if res.status != 2:
            problems.append("QEMU exit status %d, expected 2" % res.status)
        r.report(not problems, name, "; ".join(problems), res.log)
    res, _ = kshell_session(r, image, "user/kshell-reboot-poweroff",
                            "kshell loglevel=4", [b"reboot\r", b"poweroff\r"],
                            until=NEVER)
    boots = res.log.count("OpenSBI v")
    r.report(boots == 2 and res.status == 0 and not res.fatal,
             "user/kshell-reboot-then-poweroff",
             "%d boots, QEMU exit status %d" % (boots, res.status), res.log)


def phase_user(r):
    image = config_image(r, "qemu_virt_defconfig")
    if not image:
        return
    user_reference_checks(r, os.path.join(r.out, "qemu_virt_defconfig"))
    user_boot(r, "user/init-hello", image, "loglevel=7 init=/bin/hello",
              ["Hello, world!", 'argv[0] = "/bin/hello"',
               "init: /bin/hello exited with status 0"])
    shell_tests(r, image)
    # A random token a fixed string cannot match.
    token = "tok%08x" % random.getrandbits(32)
    user_boot(r, "user/init-args-token", image,
              "loglevel=4 init=/tests/hello_token -- %s" % token,
              ["hello_token: %s" % token, "argc=2"])
    # The libc's checks, on one hart and on four.
    for smp in (1, 4):
        user_boot(r, "user/libc-selftest-smp%d" % smp, image,
                  "loglevel=4 init=/tests/libc_selftest",
                  ["ok %d %s" % c for c in enumerate(
                      ["startup_argv_envp_auxv", "strings", "snprintf", "malloc",
                       "brk", "mmap", "ids", "fork_wait", "fork_kill", "time",
                       "uname", "getrandom", "exec_open_missing"], 1)], smp=smp)
    kptr_boots(r, image)
    # A static binary from the Linux toolchain, passed by the boot loader.
    initrd = initrd_hello42(r)
    if initrd:
        user_boot(r, "user/initrd-linux-static-exit", image,
                  "loglevel=7 init=/hello42",
                  ["initrd: ", "init: /hello42 exited with status 42"],
                  status=42, extra=("-initrd", initrd))
    hostile_initrds(r, image)
    user_boot(r, "user/init-missing", image, "init=/nosuch loglevel=7",
              ["No init program found (tried /nosuch)",
               "kernel shell on CPU0 (no init program)"],
              stop_on=re.escape(KSHELL_PROMPT))
    kshell_commands(r, image)
    for smp in (4, 1):
        kshell_break(r, image, smp)
    kshell_crashes(r, image)
    # PID 1 killed by SIGSEGV: QEMU exits with 128 + 11.
    for smp in (1, 4):
        user_boot(r, "user/init-killed-exit-status-smp%d" % smp, image,
                  "loglevel=4 init=/bin/store_fault",
                  ["store page fault at 0x0", "killed (SIGSEGV)"], status=139,
                  smp=smp)

    user_discovered(r, image)

    objdir = os.path.join(r.out, "batch")
    shutil.rmtree(objdir, ignore_errors=True)
    rc, log, batch_image = build_variant(objdir, "qemu_virt_defconfig",
                                         ["SCHED_BATCH=y"])
    r.report(rc == 0, "build/batch", "", log)
    if rc:
        return
    # rCore chapter 2: the bad apps are killed and the next one runs.
    user_boot(r, "user/batch-rcore-ch2", batch_image, "",
              ["Hello, world!", "Test power OK!",
               "(store_fault): store page fault at 0x0",
               "killed (SIGSEGV)",
               "(sret_in_user): illegal instruction 0x10200073",
               "(csr_read): illegal instruction", "killed (SIGILL)",
               "batch: /bin/csr_read was killed by signal 4",
               "batch: all apps done"], smp=2)


# ---------------------------------------------------------------------------
# User tests found in user/tests/*.c by their "utest:" line (testing.rst,
# "Adding a user test"): each prints KTAP, one case per line, and the runner
# needs no list of them nor of their results.
UTEST_DECL = re.compile(r"^\s*\*?\s*utest:\s*(.*?)\s*(\*/)?\s*$")
# Reports the kernel prints without an oops: they fail the run too.
KERNEL_BUG = re.compile(r"BUG: |WARNING: ")


def discover_user_tests(subdir="tests"):
    """[(program, {key: value})] for each user/<subdir>/*.c declaring itself.

    Each "utest:" line is one way to run the program (a variant=NAME key
    tells several apart in the results' names).
    """
    tests = []
    for path in sorted(glob.glob(os.path.join(SRC, "user", subdir, "*.c"))):
        with open(path) as f:
            head = [f.readline() for _ in range(40)]
        for line in head:
            m = UTEST_DECL.match(line)
            if m:
                opts = dict(w.split("=", 1) for w in shlex.split(m.group(1)))
                tests.append((os.path.basename(path)[:-2], opts))
    return tests


def fuzz_seeds():
    """FUZZ_SEEDS: the seeds of {seed} in make test (fixed, so reproducible)."""
    return os.environ.get("FUZZ_SEEDS", "1").split()


def tty_typing(token):
    """tty_test's keystrokes, each typed once its prompt shows (tty_test.c)."""
    return [(r"tty_test: type a line\r*\n", b"junk\x15" + token.encode() + b"Z\x7f\r"),
            (r"tty_test: type EOF\r*\n", b"part\x04"),
            (r"tty_test: got 'part'\r*\n", b"\x04"),
            (r"tty_test: raw mode\r*\n", b"ab\x03"),
            (r"tty_test: raw vmin 2\r*\n", b"cd"),
            (r"tty_test: press Ctrl-C\r*\n", b"\x03")]


# "typing=NAME" in a utest: line: what the runner types at the program's
# prompts. The keystrokes are bytes after regexes, which a utest: line
# cannot hold readably, so each script lives here under its name.
UTEST_TYPING = {"tty": tty_typing}


def utest_args(opts, seed, token=None):
    """The command-line arguments a declared test asks for."""
    token = token or "tok%08x" % random.getrandbits(32)
    # {now}: the host's time, for tests of the wall clock.
    return opts.get("args", "").format(seed=seed, token=token, now=int(time.time()))


def ktap_plan(lines):
    """The number of cases the (first) KTAP subtest announced, or None."""
    for line in lines:
        m = re.match(r"^\s+1\.\.(\d+)\s*$", line)
        if m:
            return int(m.group(1))
    return None


def run_user_ktap(r, image, prog, opts, smp, seed, subdir="tests", initrd=None):
    """Boot with prog as init; each KTAP case is a result, the run one more.

    The run fails if fewer cases than the plan announced were reported (the
    program died in one), if a {token} it was given is not in the output (so
    no fixed text can pass), or if an expect= string ('|' between several;
    {smp} and {lastcpu} are the hart count and the last hart's number,
    {token} the token) is missing from the console. With typing=NAME the
    runner types UTEST_TYPING[NAME]'s keystrokes at the program's prompts.
    """
    token = "tok%08x" % random.getrandbits(32)
    args = utest_args(opts, seed, token)
    append = "%s init=/%s/%s%s" % (opts.get("append", "loglevel=4"), subdir,
                                   prog, " -- " + args if args else "")
    tag = "%s/%s%s-smp%d%s" % ("user" if subdir == "tests" else "user/" + subdir, prog,
                               "-" + opts["variant"] if "variant" in opts else "", smp,
                               "-seed%s" % seed if "{seed}" in opts.get("args", "") else "")
    # disks=block: the block_disk_image() pair, fresh for each run.
    extra = (["-initrd", initrd] if initrd else []) + \
        (block_disks(r, prog) if opts.get("disks") == "block" else [])
    res = qemu_run.boot(qemu_run.qemu_command(image, smp=smp,
                                              mem=opts.get("mem", "256M"),
                                              append=append,
                                              extra=tuple(extra)),
                        int(opts.get("timeout", 90)),
                        r.logfile(tag),
                        steps=UTEST_TYPING[opts["typing"]](token)
                        if "typing" in opts else None, stop=False)
    lines = res.lines
    cases = qemu_run.parse_ktap(lines)
    for case, ok, skip in cases:
        r.report(None if skip else ok, "%s/%s" % (tag, case.split(".", 1)[1]),
                 "", res.log)
    failed = sum(1 for _, ok, skip in cases if not ok)
    problems = []
    if res.timed_out:
        problems.append("hung")
    elif not qemu_run.ktap_totals(lines):
        problems.append("no KTAP totals: the run did not finish")
    elif res.status != (1 if failed else 0):
        problems.append("QEMU exit status %d with %d failures" % (res.status, failed))
    plan = ktap_plan(lines)
    if plan is not None and plan != len(cases):
        problems.append("%d of %d cases reported" % (len(cases), plan))
    if "{token}" in opts.get("args", "") and token not in "\n".join(lines):
        problems.append("token %s not in the output" % token)
    problems += ["no %r in the output" % e for e in
                 opts.get("expect", "").format(smp=smp, lastcpu=smp - 1,
                                               token=token).split("|")
                 if e and e not in res.log]
    if res.fatal:
        problems.append(res.fatal.strip())
    bug = next((l for l in lines if KERNEL_BUG.search(l)), None)
    if bug:
        problems.append(bug.strip())
    r.report(not problems and bool(cases), tag,
             "; ".join(problems) or "%d cases, %s" % (len(cases), append), res.log)
    return not problems


def user_discovered(r, image, seeds=None):
    """Every declared user test on each of its hart counts (and seeds)."""
    ok = True
    for prog, opts in discover_user_tests():
        uses_seed = "{seed}" in opts.get("args", "")
        for smp in [int(n) for n in opts.get("smp", "1").split(",")]:
            for seed in (seeds or fuzz_seeds()) if uses_seed else [None]:
                ok = run_user_ktap(r, image, prog, opts, smp, seed) and ok
    return ok


GLIBC_SYSROOT = "/usr/riscv64-linux-gnu"


def glibc_reference_run(r, prog, exe, opts):
    """A glibc test under qemu-riscv64, Linux's behaviour: every case passes.

    It runs in an empty temporary directory; "linux=no" in its utest line
    skips this for tests only meaningful on Hartix.
    """
    tag = "user/glibc-linux/" + prog
    if opts.get("linux", "yes") == "no":
        return
    if not shutil.which("qemu-riscv64"):
        r.report(None, tag, "qemu-riscv64 not installed")
        return
    with tempfile.TemporaryDirectory() as tmp:
        try:
            proc = subprocess.run(["qemu-riscv64", exe] +
                                  shlex.split(utest_args(opts, 1)), cwd=tmp,
                                  # ld.so and libc.so.6 for dynamically linked tests
                                  env=dict(os.environ, QEMU_LD_PREFIX=GLIBC_SYSROOT),
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  timeout=int(opts.get("timeout", 90)))
            out, rc = proc.stdout.decode(errors="replace"), proc.returncode
        except subprocess.TimeoutExpired as e:
            out, rc = (e.stdout or b"").decode(errors="replace") + "\n(timed out)", -1
    lines = out.splitlines()
    cases = qemu_run.parse_ktap(lines)
    bad = ["%s" % c for c, ok, _ in cases if not ok]
    r.report(bool(cases) and not bad and rc == 0 and qemu_run.ktap_totals(lines) is not None,
             tag, "failing under Linux: " + ", ".join(bad) if bad else
             "" if cases and rc == 0 else "exit status %d" % rc, out)


def user_glibc(r, image, objdir):
    """The glibc-built tests (user/glibc): on Hartix from an -initrd, and on Linux.

    GLIBC_TESTS=name,name runs only those.
    """
    only = os.environ.get("GLIBC_TESTS", "").split(",")
    tests = [t for t in discover_user_tests("glibc") if only == [""] or t[0] in only]
    if not tests:
        return
    if not shutil.which("riscv64-linux-gnu-gcc"):
        r.report(None, "user/glibc", "riscv64-linux-gnu-gcc not installed")
        return
    rc, log = make(objdir, "user-glibc")
    r.save("build-user-glibc", log)
    if rc:
        r.report(False, "user/glibc-build", "", log)
        return
    cpio = os.path.join(objdir, "user", "glibc.cpio")
    for prog, opts in tests:
        glibc_reference_run(r, prog, os.path.join(objdir, "user", "glibc", prog), opts)
        for smp in [int(n) for n in opts.get("smp", "1").split(",")]:
            run_user_ktap(r, image, prog, opts, smp, None, "glibc", cpio)


def phase_glibc(r):
    """The programs built against Debian's glibc (user/glibc)."""
    image = config_image(r, "qemu_virt_defconfig")
    if image:
        user_glibc(r, image, os.path.join(r.out, "qemu_virt_defconfig"))


# ---------------------------------------------------------------------------
# Disk file systems (phase fs): user/glibc/fs_workload on an image the host
# made, then the host's checker. One row per file system type; {image} and
# {tree} are filled in. "check": (command, text its output must contain),
# run on the image after the workload unmounted it.
FS_TYPES = [
    {
        "type": "ext2",
        "mkfs": ["mkfs.ext2", "-q", "-F", "-b", "4096", "-d", "{tree}", "{image}", "64M"],
        "fsck": ["e2fsck", "-fn", "{image}"],
        "repair": ["e2fsck", "-fy", "{image}"],
        "check": [(["debugfs", "-R", "cat /w/l-second", "{image}"], "linked\n"),
                  (["debugfs", "-R", "cat /persist/note", "{image}"], "persisted across boots\n"),
                  (["debugfs", "-R", "stat /w/sparse", "{image}"], "Size: 52428803"),
                  (["debugfs", "-R", "ls /w/many", "{image}"], "file-0999")],
        "pc_check": [(["debugfs", "-R", "cat /pc/note", "{image}"], "written through mmap\n")],
        # Bytes to overwrite: (offset, or (command printing a block number,
        # block size, offset in it)). "corrupt": the super block's
        # s_inodes_per_group and the first group descriptor's inode table;
        # "corrupt_dir": the root directory's ".." record length.
        "corrupt": [(1024 + 40, b"\xff\xff\xff\x0f"), (4096 + 8, b"\xff\xff\xff\xff")],
        "corrupt_dir": [((["debugfs", "-R", "bmap / 0", "{image}"], 4096, 16), b"\xff\xff")],
    },
]
FS_DEVICE = "/dev/vda"
FS_LARGE_MIB = 8  # the large-file case; make bench writes more


def fs_tree(out):
    """The files the workload's host_files case expects under host/."""
    tree = os.path.join(out, "fs-tree")
    shutil.rmtree(tree, ignore_errors=True)
    os.makedirs(os.path.join(tree, "host", "many"))
    with open(os.path.join(tree, "host", "hello.txt"), "w") as f:
        f.write("hello from the host\n")
    with open(os.path.join(tree, "host", "big"), "wb") as f:
        f.write(ext2_pattern(200000))
    for i in range(40):
        with open(os.path.join(tree, "host", "many", "f%d" % i), "w") as f:
            f.write(str(i))
    return tree


def fs_cmd(cmd, **kw):
    return [c.format(**kw) for c in cmd]


def fs_boot(r, image, cpio, disk, fstype, tag, mode, smp=2, steps=None, timeout=240,
            prog="fs_workload"):
    # loglevel=5: the file system's warnings (a read-only mount) are shown.
    append = "loglevel=5 init=/glibc/%s -- %s /mnt %s %s %d" % (
        prog, FS_DEVICE, fstype, mode, FS_LARGE_MIB)
    extra = ("-initrd", cpio, "-drive", "file=%s,if=none,format=raw,id=d0" % disk,
             "-device", "virtio-blk-device,drive=d0")
    res = qemu_run.boot(qemu_run.qemu_command(image, smp=smp, append=append, extra=extra),
                        timeout, r.logfile("fs-" + tag.replace("/", "-")), steps=steps)
    cases = qemu_run.parse_ktap(res.lines)
    bug = next((l for l in res.lines if KERNEL_BUG.search(l)), None)
    if steps:
        return res, bug
    for case, ok, skip in cases:
        r.report(None if skip else ok, "%s/%s" % (tag, case.split(".", 1)[1]), "", res.log)
    failed = any(not ok for _, ok, _ in cases)
    problems = [p for p in ("hung" if res.timed_out else None, res.fatal, bug) if p]
    if not qemu_run.ktap_totals(res.lines):
        problems.append("no KTAP totals")
    r.report(not problems and not failed and bool(cases), tag, "; ".join(problems), res.log)
    return res, bug


def fs_host_check(r, row, disk, tag):
    fsck = subprocess.run(fs_cmd(row["fsck"], image=disk), capture_output=True, text=True)
    r.report(fsck.returncode == 0, tag + "/fsck-clean", " ".join(row["fsck"]),
             fsck.stdout + fsck.stderr)
    for cmd, want in row["check"]:
        out = subprocess.run(fs_cmd(cmd, image=disk), capture_output=True, text=True)
        r.report(want in out.stdout, "%s/host-check/%s" % (tag, cmd[-2] if len(cmd) > 2 else cmd[0]),
                 "expected %r" % want, out.stdout + out.stderr)


def fs_type_tests(r, image, cpio, row):
    t = row["type"]
    missing = [c for c in row.get("needs", row["mkfs"][:1]) if not shutil.which(c)]
    if missing:
        r.report(None, "fs/" + t, " ".join(missing) + " not installed")
        return
    tree = fs_tree(r.out)
    disk = os.path.join(r.out, "fs-%s.img" % t)

    def fresh():
        if os.path.exists(disk):
            os.unlink(disk)
        subprocess.run(fs_cmd(row["mkfs"], image=disk, tree=tree), check=True,
                       capture_output=True)

    for smp in (1, 4):
        fresh()
        tag = "fs/%s/smp%d" % (t, smp)
        fs_boot(r, image, cpio, disk, t, tag, "full", smp=smp)
        fs_host_check(r, row, disk, tag)
    # Persistence: the smp4 run's image, read back by a second boot.
    fs_boot(r, image, cpio, disk, t, "fs/%s/persistence" % t, "verify")
    # Power cut in the middle of writes: the next boot still mounts
    # (read-only: the image says it was not unmounted), then fsck repairs it.
    res, bug = fs_boot(r, image, cpio, disk, t, "fs/%s/powercut" % t, "powercut",
                       steps=[(r"powercut: written 40\b", None)])
    r.report(not bug and not res.fatal and "powercut: written 40" in res.log,
             "fs/%s/powercut-killed-while-writing" % t, bug or res.fatal or "", res.log)
    res, _ = fs_boot(r, image, cpio, disk, t, "fs/%s/after-powercut" % t, "verify")
    r.report("mounting read-only" in res.log, "fs/%s/after-powercut-mounted-read-only" % t,
             "", res.log)
    rep = subprocess.run(fs_cmd(row["repair"], image=disk), capture_output=True, text=True)
    fsck = subprocess.run(fs_cmd(row["fsck"], image=disk), capture_output=True, text=True)
    r.report(rep.returncode in (0, 1) and fsck.returncode == 0,
             "fs/%s/powercut-repaired" % t, "repair %d, then check %d" % (
                 rep.returncode, fsck.returncode), rep.stdout + fsck.stdout)
    # The page cache (user/glibc/fs_pagecache): mmap, exec, sendfile; the note it
    # wrote through a shared mapping, read on the host.
    fresh()
    fs_boot(r, image, cpio, disk, t, "fs/%s/pagecache" % t, "full", smp=4, prog="fs_pagecache")
    fs_host_check(r, dict(row, check=row["pc_check"]), disk, "fs/%s/pagecache" % t)
    # Corrupt images: an error, never a crash.
    for key in ("corrupt", "corrupt_dir"):
        fresh()
        for off, data in row[key]:
            if isinstance(off, tuple):
                cmd, bs, within = off
                out = subprocess.run(fs_cmd(cmd, image=disk), capture_output=True, text=True)
                off = int(out.stdout.split()[-1]) * bs + within
            with open(disk, "r+b") as f:
                f.seek(off)
                f.write(data)
        fs_boot(r, image, cpio, disk, t, "fs/%s/%s" % (t, key.replace("_", "-")), "corrupt")


# A root file system on a disk (root=, fs/do_mounts.c): make rootfs's image
# booted as "/", glibc programs run from it, then e2fsck must find it clean.
ROOT_GLIBC_TESTS = ("dev_nodes", "threads_pthread", "exec_test", "dyn_hello", "exec_txtbsy")


def root_boot(r, image, disks, append, tag, timeout=120):
    """Boot with the disks attached (vda first); KTAP cases are results. The Result."""
    extra = []
    for i, disk in enumerate(disks):
        extra += ["-drive", "file=%s,if=none,format=raw,id=r%d" % (disk, i),
                  "-device", "virtio-blk-device,drive=r%d" % i]
    res = qemu_run.boot(qemu_run.qemu_command(image, smp=2, append=append, extra=tuple(extra)),
                        timeout, r.logfile(tag.replace("/", "-")))
    cases = qemu_run.parse_ktap(res.lines)
    for case, ok, skip in cases:
        r.report(None if skip else ok, "%s/%s" % (tag, case.split(".", 1)[1]), "", res.log)
    bug = next((l for l in res.lines if KERNEL_BUG.search(l)), None)
    problems = [p for p in ("hung" if res.timed_out else None, res.fatal, bug) if p]
    if not qemu_run.ktap_totals(res.lines):
        problems.append("no KTAP totals")
    r.report(not problems and bool(cases) and all(ok for _, ok, _ in cases), tag,
             "; ".join(problems), res.log)
    return res


def fs_root_tests(r, image, objdir):
    rc, log = make(objdir, "rootfs")
    built = os.path.join(objdir, "build", "rootfs.img")
    r.report(rc == 0 and os.path.exists(built), "fs/root/make-rootfs", "", log)
    if rc or not os.path.exists(built):
        return
    disk = os.path.join(r.out, "root.img")

    def fresh():
        shutil.copyfile(built, disk)

    def clean(tag):
        fsck = subprocess.run(["e2fsck", "-fn", disk], capture_output=True, text=True)
        r.report(fsck.returncode == 0, tag + "/fsck-clean", "init ended: the root remounted read-only",
                 fsck.stdout + fsck.stderr)

    vfat = os.path.join(r.out, "root-vfat.img")
    disks, dev = [disk], "-"
    if shutil.which("mkfs.vfat"):
        with open(vfat, "wb") as f:
            f.truncate(40 << 20)
        subprocess.run(["mkfs.vfat", "-F", "32", vfat], check=True, capture_output=True)
        disks, dev = [disk, vfat], "/dev/vdb"
    fresh()
    root_boot(r, image, disks, "loglevel=4 root=/dev/vda rootfstype=ext2 rw "
              "init=/glibc/root_disk -- rw " + dev, "fs/root/rw")
    clean("fs/root/rw")
    if dev != "-":
        fsck = subprocess.run(["fsck.vfat", "-n", vfat], capture_output=True, text=True)
        out = subprocess.run(["mtype", "-i", vfat, "::/new.txt"], capture_output=True, text=True)
        r.report(fsck.returncode == 0 and out.stdout == "again", "fs/root/rw/vfat-remounted",
                 "fsck.vfat -n, then new.txt written after the remount", fsck.stdout + out.stdout)
    for prog in ROOT_GLIBC_TESTS:
        root_boot(r, image, [disk], "loglevel=4 root=/dev/vda rw init=/glibc/" + prog,
                  "fs/root/glibc/" + prog, timeout=180)
    clean("fs/root/glibc")
    # Read-only (Linux's default without rw), then an image the host marked dirty.
    fresh()
    root_boot(r, image, [disk], "loglevel=4 root=/dev/vda init=/glibc/root_disk -- ro -",
              "fs/root/ro")
    fresh()
    subprocess.run(["debugfs", "-w", "-R", "ssv state 0", disk], check=True, capture_output=True)
    root_boot(r, image, [disk], "loglevel=4 root=/dev/vda rw init=/glibc/root_disk -- dirty -",
              "fs/root/dirty")
    # A bad root=: Linux's message with the devices and types, a panic, no hang.
    for tag, args in (("no-device", "root=/dev/vdz"), ("wrong-type", "root=/dev/vda rootfstype=vfat"),
                      ("corrupt", "root=/dev/vda rootfstype=ext2")):
        fresh()
        if tag == "corrupt":
            with open(disk, "r+b") as f:
                f.seek(1024 + 40)  # s_inodes_per_group
                f.write(b"\xff\xff\xff\x0f")
        res = qemu_run.boot(qemu_run.qemu_command(
            image, smp=2, append="loglevel=4 %s init=/glibc/root_disk" % args,
            extra=("-drive", "file=%s,if=none,format=raw,id=r0" % disk,
                   "-device", "virtio-blk-device,drive=r0")), 60,
            r.logfile("fs-root-bad-" + tag))
        want = ("VFS: Cannot open root device", "here are the available block devices",
                "  vda ", "  ext2", "Kernel panic - not syncing: VFS: Unable to mount root fs")
        missing = [w for w in want if w not in res.log]
        r.report(not res.timed_out and not missing, "fs/root/bad-root/" + tag,
                 "hung" if res.timed_out else "missing: %s" % missing if missing else "", res.log)


def phase_fs(r):
    """Disk file systems: fs_workload on host-made images, then the host's fsck.

    FS_TESTS=ext2,vfat,root runs only those types' rows (root: the disk root).
    """
    image = config_image(r, "qemu_virt_defconfig")
    objdir = os.path.join(r.out, "qemu_virt_defconfig")
    if not image:
        return
    if not shutil.which("riscv64-linux-gnu-gcc"):
        r.report(None, "fs", "riscv64-linux-gnu-gcc not installed")
        return
    rc, log = make(objdir, "user-glibc")
    if rc:
        r.report(False, "fs/glibc-build", "", log)
        return
    cpio = os.path.join(objdir, "user", "glibc.cpio")
    only = os.environ.get("FS_TESTS", "").split(",")
    for row in FS_TYPES:
        if only == [""] or row["type"] in only:
            fs_type_tests(r, image, cpio, row)
    if only != [""] and "root" not in only:
        return
    if shutil.which("mkfs.ext2") and shutil.which("e2fsck") and shutil.which("debugfs"):
        fs_root_tests(r, image, objdir)
    else:
        r.report(None, "fs/root", "e2fsprogs not installed")


def phase_progs(r):
    """Debian's programs, cross-built and cached (tools/testing/progs/)."""
    sys.path.insert(0, os.path.join(SRC, "tools", "testing", "progs"))
    import build as progs_build  # noqa: E402
    import progs  # noqa: E402
    if not shutil.which("riscv64-linux-gnu-gcc"):
        r.report(None, "progs", "riscv64-linux-gnu-gcc not installed")
        return
    out = os.path.join(os.path.dirname(r.out), "progs")
    built = progs_build.build(out, say=lambda s: print(s, flush=True))
    for prog, (ok, detail, log) in built.items():
        with open(log) as f:
            r.report(ok, "progs/build-" + prog, detail, f.read())
    if not all(ok for ok, _, _ in built.values()):
        return
    bindir = os.path.join(out, "bin")
    status, text = progs.host_run(bindir)
    r.save("progs-qemu-riscv64", text)
    ref = progs.sections(text.splitlines())
    missing = [c for c in progs.checks() if c not in ref]
    if missing:
        r.report(False, "progs/qemu-riscv64", "no output for " + ", ".join(missing), text)
        return
    image = config_image(r, "qemu_virt_defconfig")
    if not image:
        return
    lst, cpio = os.path.join(out, "initrd.list"), os.path.join(out, "initrd.cpio")
    testsuite = progs.testsuite_dir(out)
    progs.initramfs_list(bindir, lst, testsuite)
    rc, log = sh([PYTHON, "tools/build/gen_initramfs.py", "-o", cpio, lst])
    if rc:
        r.report(False, "progs/initrd", "", log)
        return
    for smp in (1, 4):
        name = "progs/smp%d" % smp
        res = qemu_run.boot(qemu_run.qemu_command(
            image, smp=smp, append="loglevel=4 init=/progs/bin/busybox -- sh /progs/init.sh",
            extra=("-initrd", cpio)), 900, r.logfile(name),
            steps=[(r"@@@ all done", None)])
        got = progs.sections(res.lines)
        for check in progs.checks():
            if check not in got:
                r.report(False, "%s/%s" % (name, check), "no output (%s)" % (
                    "hung" if res.timed_out else "QEMU status %d" % res.status), res.log)
                continue
            diff = progs.compare(check, ref[check], got[check])
            r.report(diff is None, "%s/%s" % (name, check), "output differs" if diff else "",
                     diff)
    # busybox's testsuite: only the cases that pass under qemu-riscv64 count.
    status, text = progs.host_testsuite(bindir, testsuite)
    r.save("progs-testsuite-qemu-riscv64", text)
    ref = progs.testsuite_cases(text.splitlines())
    name = "progs/busybox-testsuite"
    res = qemu_run.boot(qemu_run.qemu_command(
        image, smp=4, append="loglevel=4 init=/progs/bin/busybox -- sh /progs/init.sh testsuite",
        extra=("-initrd", cpio)), 1800, r.logfile(name), steps=[(r"@@@ testsuite end", None)])
    if not ref:
        r.report(False, name, "no case ran under qemu-riscv64", text)
    else:
        ok, detail = progs.compare_testsuite(ref, progs.testsuite_cases(res.lines))
        r.report(ok, name, detail + (" (hung)" if res.timed_out else ""), res.log)


def soak(r, seconds):
    """make soak: the declared tests again and again with random seeds."""
    image = config_image(r, "qemu_virt_defconfig")
    if not image:
        return
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        seed = str(random.getrandbits(32) or 1)
        print("# soak: seed %s, %.0f s left" % (seed, end - time.monotonic()),
              flush=True)
        user_discovered(r, image, [seed])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.path.join(SRC, "build", "test"))
    ap.add_argument("--only", help="comma-separated phases: " + ",".join(PHASES))
    ap.add_argument("--soak", type=int, metavar="SECONDS",
                    help="only run the user tests with random seeds this long")
    args = ap.parse_args()
    phases = args.only.split(",") if args.only else DEFAULT_PHASES
    unknown = [p for p in phases if p not in PHASES]
    if unknown:
        sys.exit("unknown test phase %s (phases: %s)" % (",".join(unknown),
                                                         ",".join(PHASES)))
    r = Runner(os.path.abspath(args.out))
    start = time.monotonic()
    for p in phases if args.soak is None else []:
        print("==== %s" % p, flush=True)
        globals()["phase_" + p](r)
    if args.soak is not None:
        soak(r, args.soak)
    print("# %.0f s, logs in %s" % (time.monotonic() - start, r.logs))
    print("%d passed, %d failed, %d skipped" % (r.passed, r.failed,
                                               r.skipped))
    sys.exit(1 if r.failed else 0)



# --- vfat (s10-fat): ktest suite 'vfat' on disks made by mkfs.vfat and mtools ---

VFAT_BIG = 200000


def vfat_test_images(out):
    """vdc..vdh of ktest run 'vfat' (kernel/tests/vfat_test.c).

    vdc: mkfs.vfat -F 32, vdd: -F 16 (4 MiB), both with the host's files written by
    mcopy; vde: vdc with its root cluster out of range; vdf: vdc with its
    root directory's chain looping; vdg: vdd with random bytes over its
    boot sector, FATs and root directory (seeded: reproducible); vdh: vdd
    marked not cleanly unmounted.
    Returns their paths, or None without dosfstools and mtools.
    """
    if not (shutil.which("mkfs.vfat") and shutil.which("mcopy") and shutil.which("mmd")):
        return None
    src = os.path.join(out, "vfat-src")
    shutil.rmtree(src, ignore_errors=True)
    os.makedirs(src)
    files = {"hello.txt": b"hello from the host\n", "latin": b"latin\n",
             "big": ext2_pattern(VFAT_BIG)}
    for name, data in files.items():
        with open(os.path.join(src, name), "wb") as f:
            f.write(data)
    paths = [os.path.join(out, "ktest-vfat-%s.img" % n)
             for n in ("vdc", "vdd", "vde", "vdf", "vdg", "vdh")]
    env = dict(os.environ, MTOOLS_SKIP_CHECK="1", LC_ALL="C.UTF-8")
    # FAT16 with 512-byte clusters: 4 MiB are enough clusters, and quick to fill.
    for path, fat, size in ((paths[0], ["-F", "32"], "40M"), (paths[1], ["-F", "16", "-s", "1"], "4M")):
        if os.path.exists(path):
            os.unlink(path)
        with open(path, "wb") as f:
            f.truncate(int(size[:-1]) << 20)
        subprocess.run(["mkfs.vfat"] + fat + [path], check=True, capture_output=True)

        def mt(*args):
            subprocess.run(list(args), check=True, capture_output=True, env=env)
        mt("mmd", "-i", path, "::/Sub Dir", "::/many")
        mt("mcopy", "-i", path, os.path.join(src, "hello.txt"), "::/hello.txt")
        mt("mcopy", "-i", path, os.path.join(src, "latin"), "::/na\u00efve caf\u00e9.txt")
        mt("mcopy", "-i", path, os.path.join(src, "big"), "::/Sub Dir/A long file name.bin")
        for i in range(40):
            mt("mcopy", "-i", path, os.path.join(src, "hello.txt"), "::/many/f%d" % i)
    for path, base in zip(paths[2:], (paths[0], paths[0], paths[1], paths[1])):
        shutil.copyfile(base, path)
    with open(paths[0], "rb") as f:
        boot = f.read(512)
    reserved, nfats, fat_size, root = (struct.unpack_from("<H", boot, 14)[0], boot[16],
                                       struct.unpack_from("<I", boot, 36)[0],
                                       struct.unpack_from("<I", boot, 44)[0])
    with open(paths[2], "r+b") as f:  # BPB_RootClus
        f.seek(44)
        f.write(struct.pack("<I", 0x0ffffff0))
    with open(paths[3], "r+b") as f:  # FAT[root] = root in each FAT: a loop
        for k in range(nfats):
            f.seek((reserved + k * fat_size) * 512 + 4 * root)
            f.write(struct.pack("<I", root))
    with open(paths[1], "rb") as f:
        boot16 = f.read(512)
    with open(paths[5], "r+b") as f:  # FAT[1]'s clean bit (0x8000) cleared, in the first FAT
        f.seek(struct.unpack_from("<H", boot16, 14)[0] * 512 + 3)
        byte = f.read(1)[0] & 0x7f
        f.seek(-1, 1)
        f.write(bytes([byte]))
    rng = random.Random(2026)
    for path in paths[4:5]:  # vdg
        with open(path, "r+b") as f:
            meta = f.read(40 * 512)
            img = bytearray(meta)
            for _ in range(60):
                img[rng.randrange(0 if rng.random() < 0.3 else 512, len(img))] = rng.randrange(256)
            f.seek(0)
            f.write(img)
    return paths


def check_vfat_image(r, name, path):
    """fsck.vfat -n finds the image clean, and mtools reads what the guest wrote."""
    fsck = subprocess.run(["fsck.vfat", "-n", path], capture_output=True, text=True)
    r.report(fsck.returncode == 0, name + "/fsck-clean",
             "fsck.vfat -n: status %d" % fsck.returncode, fsck.stdout + fsck.stderr)
    env = dict(os.environ, MTOOLS_SKIP_CHECK="1", LC_ALL="C.UTF-8")
    hello = subprocess.run(["mtype", "-i", path, "::/guest/hello"], capture_output=True, env=env)
    big = subprocess.run(["mtype", "-i", path, "::/guest2/big-moved"], capture_output=True, env=env)
    listing = subprocess.run(["mdir", "-i", path, "-b", "::/guest"], capture_output=True,
                             text=True, env=env)
    ok = (hello.stdout == b"written by the guest\n" and big.stdout == ext2_pattern(300000)
          and "Long Name With Spaces And \u00fcnicode \u2665.txt" in listing.stdout
          and "CASETEST.txt" in listing.stdout)
    r.report(ok, name + "/mtools-reads-guest-files", "",
             listing.stdout + hello.stderr.decode(errors="replace"))


# The vfat row of phase fs: 4 KiB sectors (buffers as large as ext2's
# blocks) on 300 MiB, enough clusters for mtools to call it FAT32; the
# host's files go in with mcopy. "corrupt": the root cluster out of range;
# "corrupt_dir": the cluster of host/'s entry (the root's first).
VFAT_ROOT_ENTRY = """
import struct, sys
b = open(sys.argv[1], 'rb').read(8 << 20)
ss, spc, rs, nf = struct.unpack_from('<H', b, 11)[0], b[13], struct.unpack_from('<H', b, 14)[0], b[16]
fz, rc = struct.unpack_from('<I', b, 36)[0], struct.unpack_from('<I', b, 44)[0]
i = (rs + nf * fz + (rc - 2) * spc) * ss
while b[i] == 0xe5 or b[i + 11] & 0x3f == 0x0f:
    i += 32
print(i)
"""
FS_TYPES.append({
    "type": "vfat",
    "needs": ["mkfs.vfat", "mcopy", "fsck.vfat"],
    "mkfs": ["sh", "-c", "truncate -s 300M {image} && mkfs.vfat -F 32 -S 4096 {image} >/dev/null"
             " && MTOOLS_SKIP_CHECK=1 mcopy -s -i {image} {tree}/host ::/"],
    "fsck": ["fsck.vfat", "-n", "{image}"],
    "repair": ["fsck.vfat", "-a", "{image}"],
    "check": [(["mtype", "::/w/l-second", "-i", "{image}"], "linked\n"),
              (["mtype", "::/persist/note", "-i", "{image}"], "persisted across boots\n"),
              (["mdir", "::/w/sparse", "-i", "{image}"], "1048579"),
              (["mdir", "::/w/many", "-b", "-i", "{image}"], "file-0999")],
    "pc_check": [(["mtype", "::/pc/note", "-i", "{image}"], "written through mmap\n")],
    "corrupt": [(44, b"\xf0\xff\xff\x0f")],
    "corrupt_dir": [((["python3", "-c", VFAT_ROOT_ENTRY, "{image}"], 1, 20), b"\xff\x0f"),
                    ((["python3", "-c", VFAT_ROOT_ENTRY, "{image}"], 1, 26), b"\xff\xff")],
})


def run_ktest_vfat(r, image):
    """vfat on FAT32 and FAT16 disks mkfs.vfat and mtools made, and damaged ones."""
    paths = vfat_test_images(r.out)
    if not paths:
        r.report(None, "ktest/vfat", "mkfs.vfat or mtools missing: skipped", "")
        return
    extra = []
    disks = [("vda", os.path.join(r.out, "ktest-vfat-vda.img"), ""),
             ("vdb", os.path.join(r.out, "ktest-vfat-vdb.img"), ",readonly=on")]
    for _, path, _ in disks:
        block_disk_image(path)
    disks += [(n, p, "") for n, p in zip(("vdc", "vdd", "vde", "vdf", "vdg", "vdh"), paths)]
    for n, path, ro in disks:
        extra += ["-drive", "file=%s,if=none,format=raw,id=%s%s" % (path, n, ro),
                  "-device", "virtio-blk-device,drive=%s" % n]
    res = run_ktest(r, "vfat", image, 2, "ktest.filter=vfat loglevel=7", ["vfat"], extra=extra)
    for n, path in (("vdc", paths[0]), ("vdd", paths[1])):
        check_vfat_image(r, "ktest/vfat/" + n, path)
    skipped = [c for c, _, skip in qemu_run.parse_ktap(res.lines) if skip]
    r.report(not skipped, "ktest/vfat-disks-found", " ".join(skipped), res.log)

if __name__ == "__main__":
    main()
