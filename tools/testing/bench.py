#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""make bench: allocator costs in instructions and throughput on 1, 2 and 4 harts.

Builds qemu_virt_defconfig with the benchmarks on and the debug checks off,
boots it with bench.run=1: once on 1 hart under -icount shift=0 (each
instruction is 1 ns of guest time and rdinstret is exact, so counts repeat
from run to run), then on 1, 2 and 4 harts under multi-threaded TCG for
throughput in operations per second of guest time. Prints a table.
"""
import argparse
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemu_run  # noqa: E402
from run_tests import SRC, build_variant, make  # noqa: E402

BENCH_CONFIG = ["BENCH=y", "KTEST=n", "DEBUG_SPINLOCK=n", "DEBUG_PAGEALLOC=n", "BCACHE_MAX_KB=32768",
                "DEBUG_SLAB=n", "DEBUG_ASID=n"]


def build(out):
    rc, log, image = build_variant(os.path.join(out, "kernel"),
                                   "qemu_virt_defconfig", BENCH_CONFIG)
    if rc:
        sys.exit("bench: build failed\n" + log[-3000:])
    return image


def run(image, smp, icount, log):
    extra = ["-icount", "shift=0"] if icount else []
    res = qemu_run.boot(qemu_run.qemu_command(image, smp=smp,
                                              append="bench.run=1",
                                              extra=extra), 300, log)
    text = "\n".join(res.lines)
    if "bench: done" not in text:
        sys.exit("bench: the run on %d harts did not finish; see %s" % (smp, log))
    instr = dict(re.findall(r"bench: (\S+) (\d+) instructions/op", text))
    tput = dict(re.findall(r"bench: (\S+) throughput (\d+) ops/s", text))
    return instr, tput


# The design's goals and the reference figures (same QEMU 7.2), for the table.
GOALS = {
    "getpid": ("1,130", "187", "100"),
    "sched_yield_round_trip": ("-", "-", "-"),
    "pipe_round_trip": ("95,800", "10,600", "3,000"),
    "fork+exit+wait": ("474,700", "159,700", "60,000"),
    "thread_create+join": ("-", "-", "40,000"),
    "boot_to_init": ("~400 M", "~53 M", "2 M"),
}


def user_run(image, smp, icount, append, log, stop_on=None):
    extra = ["-icount", "shift=0"] if icount else []
    res = qemu_run.boot(qemu_run.qemu_command(image, smp=smp, append=append,
                                              extra=extra), 300, log,
                        steps=[(stop_on, None)] if stop_on else None)
    return "\n".join(res.lines)


def user_benchmarks(image, out):
    """Instructions on 1 hart (-icount), wall clock under plain QEMU, boot."""
    text = user_run(image, 1, True, "loglevel=7 init=/tests/bench",
                    os.path.join(out, "user-icount.log"))
    if "bench: done" not in text:
        sys.exit("bench: the user benchmarks did not finish; see %s/user-icount.log"
                 % out)
    instr = dict(re.findall(r"bench: (\S+) (\d+) instructions", text))
    wall = dict(re.findall(r"bench: (\S+) \d+ instructions (\d+) ns",
                           user_run(image, 1, False, "loglevel=7 init=/tests/bench",
                                    os.path.join(out, "user-wall.log"))))
    instr["boot_to_init"] = boot_to_init(image, out)
    return instr, wall


def boot_to_init(image, out):
    """Instructions from kernel entry to /init's first lines, 4 harts."""
    # Ended once /init has started: with several harts under -icount the
    # exit path can stall in an SBI remote fence (see benchmarks.rst).
    boot = user_run(image, 4, True, "loglevel=7 init=/tests/bench -- boot",
                    os.path.join(out, "boot-icount.log"),
                    stop_on=r"bench: init_started_at_tick \d+\s")
    entry = re.search(r"Kernel entered at time-CSR tick (\d+)", boot)
    started = re.search(r"bench: init_started_at_tick (\d+)", boot)
    if not (entry and started):
        return "-"
    # -icount shift=0: 1 instruction per ns; the time CSR runs at 10 MHz.
    return str((int(started.group(1)) - int(entry.group(1))) * 100)


def thread_benchmarks(image, out):
    """user/glibc/futex_bench: a mutex without contention, and a futex
    round trip between two threads on 2 harts and on 1, under -icount."""
    objdir = os.path.join(out, "kernel")
    rc, log = make(objdir, "user-glibc")
    if rc:
        print("# thread benchmarks skipped: make user-glibc failed")
        return {}
    cpio = os.path.join(objdir, "user", "glibc.cpio")
    instr = {}
    # aclint=on: QEMU's ACLINT SSWI, IPIs without the SBI (smp.rst).
    for smp, machine, suffix in ((2, "virt", ""), (1, "virt", ""),
                                 (2, "virt,aclint=on", "_aclint")):
        res = qemu_run.boot(qemu_run.qemu_command(
            image, smp=smp, machine=machine,
            append="loglevel=4 init=/glibc/futex_bench",
            extra=["-initrd", cpio, "-icount", "shift=0"]), 300,
            os.path.join(out, "futex-smp%d%s.log" % (smp, suffix)),
            steps=[(r"bench: done", None)])
        text = "\n".join(res.lines)
        instr.update((k + suffix, v) for k, v in
                     re.findall(r"bench: (\S+) (-?\d+) instructions", text))
        instr.update((k + suffix, v) for k, v in
                     re.findall(r"bench: (mutex_lock_unlock_syscalls) (-?\d+)", text))
    return instr


def wasm_benchmarks(image, out):
    """user/wasm/bench/run as /init on 1 hart under -icount: each compute
    kernel natively, interpreted and compiled; compile cost; start-up."""
    res = qemu_run.boot(qemu_run.qemu_command(
        image, smp=1, append="loglevel=4 init=/tests/wasm/bench/run",
        extra=["-icount", "shift=0"]), 900, os.path.join(out, "wasm-icount.log"),
        steps=[(r"bench: done", None)])
    text = "\n".join(res.lines)
    if "bench: done" not in text:
        print("# wasm benchmarks did not finish; see %s/wasm-icount.log" % out)
    for line in re.findall(r"bench: wasm .*(?:differs|not run).*", text):
        print("# " + line)
    counts = {}
    for name, tier, n in re.findall(r"bench: wasm (\S+) (native|interp|jit) (-?\d+) instr", text):
        counts.setdefault(name, {})[tier] = int(n)
    compile_cost = re.search(r"bench: wasm compile (\d+) bytes (\d+) code (\d+) "
                             r"instructions (\d+) per byte", text)
    return counts, compile_cost


def print_wasm(counts, compile_cost):
    print("%-18s %12s %12s %12s %10s %10s" % ("wasm (instr)", "native", "interp", "jit",
                                             "interp/n", "jit/n"))
    for name, c in counts.items():
        n, i, j = c.get("native", -1), c.get("interp", -1), c.get("jit", -1)
        ratio = (lambda x: "%.1f" % (x / n) if n > 0 and x > 0 else "-")
        print("%-18s %12d %12d %12d %10s %10s" % (name, n, i, j, ratio(i), ratio(j)))
    if compile_cost:
        print("compile: %s bytes of code to %s bytes of RV64 in %s instructions, %s per byte "
              "(goal 2,000)" % compile_cost.groups())
    print("# 1 hart, -icount shift=0, fork to wait; kernels: the rounds minus a run of 0 "
          "rounds; startup: execve to exit of a ~100 KiB module doing nothing, "
          "startup-again: its second execve (code cache) "
          "(goals: jit 2x native, interpreter 10x)")


def speedup_benchmark(image, out):
    """user/glibc/cpu_bench: one CPU-bound job split among as many threads
    as harts, wall clock (guest time under multi-threaded TCG) on 1 and 2."""
    cpio = os.path.join(out, "kernel", "user", "glibc.cpio")
    ns = {}
    for smp in (1, 2):
        res = qemu_run.boot(qemu_run.qemu_command(
            image, smp=smp, append="loglevel=4 init=/glibc/cpu_bench",
            extra=["-initrd", cpio]), 300,
            os.path.join(out, "cpu-smp%d.log" % smp),
            steps=[(r"bench: done", None)])
        m = re.search(r"bench: cpu_bound_threads \d+ threads (\d+) ns",
                      "\n".join(res.lines))
        if m:
            ns[smp] = int(m.group(1))
    return ns


FS_BENCH_MIB = 64


def fs_benchmarks(image, out):
    """user/glibc/fs_bench on an ext2 image mkfs.ext2 makes: 1 hart under
    -icount (instructions per KiB and per operation, guest-time rates)."""
    import shutil
    import subprocess
    objdir = os.path.join(out, "kernel")
    if not shutil.which("mkfs.ext2") or make(objdir, "user-glibc")[0]:
        print("# file system benchmarks skipped: no mkfs.ext2 or make user-glibc failed")
        return {}
    disk = os.path.join(out, "fs-bench.img")
    if os.path.exists(disk):
        os.unlink(disk)
    subprocess.run(["mkfs.ext2", "-q", "-F", "-b", "4096", disk, "256M"], check=True,
                   capture_output=True)
    res = qemu_run.boot(qemu_run.qemu_command(
        image, smp=1, append="loglevel=4 init=/glibc/fs_bench -- /dev/vda /mnt ext2 %d"
        % FS_BENCH_MIB,
        extra=["-initrd", os.path.join(objdir, "user", "glibc.cpio"), "-icount", "shift=0",
               "-drive", "file=%s,if=none,format=raw,id=d0" % disk,
               "-device", "virtio-blk-device,drive=d0"]), 600,
        os.path.join(out, "fs-icount.log"), steps=[(r"bench: done", None)])
    return {m[0]: m[1:] for m in re.findall(
        r"bench: (\S+) (\d+) instructions/\S+ \d+ ns(?: (\d+) KiB/s)?", "\n".join(res.lines))}


def print_fs(fs):
    print("%-24s %14s %12s" % ("ext2 (%d MiB file)" % FS_BENCH_MIB, "instr", "KiB/s"))
    for name, unit in (("seq_write", "/KiB"), ("seq_read_warm", "/KiB"),
                       ("seq_read_cold", "/KiB"), ("create_10000_files", "/op"),
                       ("stat_cached", "/op"), ("stat_cached_tmpfs", "/op"),
                       ("fork_execve_disk", "/op"),
                       ("fork_execve_initramfs", "/op")):
        instr, rate = fs.get(name, ("-", ""))
        print("%-24s %14s %12s" % (name, instr + unit if instr != "-" else "-", rate or "-"))
    print("# 1 hart, -icount shift=0 (1 instruction = 1 ns of guest time); write "
          "includes fsync; cold: after a remount; fork_execve: a static program "
          "over 1 MiB, the parent's and child's instructions")


def poll_benchmarks(image, out):
    """user/glibc/poll_bench: select() and ppoll() over 100 pipes, on 1
    hart under -icount and under plain QEMU, and the same binary under
    qemu-riscv64 (best of three: the host's load varies)."""
    import shutil
    import subprocess
    objdir = os.path.join(out, "kernel")
    if make(objdir, "user-glibc")[0]:
        print("# poll benchmarks skipped: make user-glibc failed")
        return {}, {}, {}
    pattern = r"bench: (\S+) (\d+) instructions (\d+) ns"
    runs = []
    for icount in (True, False):
        res = qemu_run.boot(qemu_run.qemu_command(
            image, smp=1, append="loglevel=4 init=/glibc/poll_bench",
            extra=["-initrd", os.path.join(objdir, "user", "glibc.cpio")] +
            (["-icount", "shift=0"] if icount else [])), 300,
            os.path.join(out, "poll-%s.log" % ("icount" if icount else "wall")),
            steps=[(r"bench: done", None)])
        runs.append({m[0]: m[1:] for m in re.findall(pattern, "\n".join(res.lines))})
    user = {}
    if shutil.which("qemu-riscv64"):
        for _ in range(3):
            run = subprocess.run(["qemu-riscv64", os.path.join(objdir, "user", "glibc",
                                                               "poll_bench")],
                                 capture_output=True, text=True, timeout=120)
            for m in re.findall(pattern, run.stdout):
                user[m[0]] = min(user.get(m[0], int(m[2])), int(m[2]))
    return runs[0], runs[1], user


def print_poll(icount, wall, user):
    print("%-24s %12s %14s %16s" % ("poll (100 pipes)", "instr/call", "ns plain QEMU",
                                    "ns qemu-riscv64"))
    for name in ("select_100_none", "ppoll_100_none", "select_100_one_ready",
                 "ppoll_100_one_ready"):
        print("%-24s %12s %14s %16s" % (name, icount.get(name, ("-",))[0],
                                        wall.get(name, ("-", "-"))[1],
                                        user.get(name, "-")))
    print("# Hartix: 1 hart, user and kernel instructions under -icount shift=0, "
          "guest ns under plain QEMU; qemu-riscv64: the host's Linux kernel runs "
          "the system calls natively, so its ns are no kernel's cost under QEMU; "
          "none: timeout 0, one_ready: no timeout")


def print_threads(tinstr):
    print("%-28s %12s %12s" % ("threads (glibc)", "instr", "goal"))
    for name, goal in (("mutex_lock_unlock", "-"),
                       ("getpid_syscall", "-"),
                       ("mutex_lock_unlock_syscalls", "0"),
                       ("futex_round_trip_2harts", "6,000"),
                       ("futex_round_trip_2harts_aclint", "6,000"),
                       ("futex_round_trip_1hart", "-")):
        print("%-28s %12s %12s" % (name, tinstr.get(name, "-"), goal))
    print("# -icount shift=0, where instret counts every hart's instructions: "
          "the 2-hart round trip is both harts' work (_aclint: QEMU virt,aclint=on, IPIs through the "
          "SSWI); syscalls: 0 when a lock/unlock pair retires fewer "
          "instructions than one getpid()")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.path.join(SRC, "build", "bench"))
    ap.add_argument("--only", choices=["boot_to_init", "threads", "wasm", "fs", "poll"],
                    help="build and measure only this (make bench BENCH=wasm)")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    image = build(args.out)
    if args.only == "boot_to_init":
        print("boot_to_init %s" % boot_to_init(image, args.out))
        return
    if args.only == "threads":
        print_threads(thread_benchmarks(image, args.out))
        return
    if args.only == "wasm":
        print_wasm(*wasm_benchmarks(image, args.out))
        return
    if args.only == "fs":
        print_fs(fs_benchmarks(image, args.out))
        return
    if args.only == "poll":
        print_poll(*poll_benchmarks(image, args.out))
        return
    instr, _ = run(image, 1, True, os.path.join(args.out, "icount.log"))
    tputs = {n: run(image, n, False, os.path.join(args.out, "smp%d.log" % n))[1]
             for n in (1, 2, 4)}
    names = list(instr)
    print("%-26s %14s %14s %14s %14s" % ("operation", "instr/op", "ops/s 1 hart",
                                         "ops/s 2 harts", "ops/s 4 harts"))
    for name in names:
        print("%-26s %14s %14s %14s %14s" % (
            name, instr[name], *(tputs[n].get(name, "-") for n in (1, 2, 4))))
    print("# instructions: 1 hart, QEMU -icount shift=0; throughput: guest "
          "time under multi-threaded TCG on a host with %d cores" %
          (os.cpu_count() or 1))
    print()
    uinstr, uwall = user_benchmarks(image, args.out)
    print("%-24s %12s %12s %12s %12s %14s" % ("user-visible", "instr", "goal",
                                             "xv6", "Linux 6.1", "ns plain QEMU"))
    for name in ("getpid", "sched_yield_round_trip", "pipe_round_trip",
                 "fork+exit+wait", "thread_create+join",
                 "boot_to_init"):
        xv6, linux, goal = GOALS[name]
        print("%-24s %12s %12s %12s %12s %14s" % (
            name, uinstr.get(name, "-"), goal, xv6, linux, uwall.get(name, "-")))
    print("# instructions retired on the hart (user and kernel, both processes "
          "for the round trips); boot_to_init: kernel entry to /init's first "
          "instructions, 4 harts")
    print()
    print_threads(thread_benchmarks(image, args.out))
    print()
    print_wasm(*wasm_benchmarks(image, args.out))
    ns = speedup_benchmark(image, args.out)
    if 1 in ns and 2 in ns:
        print("cpu_bound_threads: 1 hart %.3f s, 2 harts %.3f s, "
              "speed-up %.2fx (goal >= 1.9x)" %
              (ns[1] / 1e9, ns[2] / 1e9, ns[1] / ns[2]))
    else:
        print("cpu_bound_threads: did not finish; see %s/cpu-smp*.log" % args.out)
    print("# wall clock (guest time, multi-threaded TCG, no -icount): one job "
          "split among as many threads as harts, on a host with %d cores "
          "(other load on the host lowers the speed-up)" % (os.cpu_count() or 1))
    print_fs(fs_benchmarks(image, args.out))
    print()
    print_poll(*poll_benchmarks(image, args.out))


if __name__ == "__main__":
    main()
