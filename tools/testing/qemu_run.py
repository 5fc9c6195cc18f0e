#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""Boot a Hartix Image in QEMU with a timeout, keep the console log, parse KTAP.

As a program: qemu_run.py IMAGE [--smp N] [--mem M] [--append ARGS] ...
prints the console as it arrives and one line per KTAP case, and exits 0
only if the kernel reached "Booted in", did not panic, every KTAP case
passed, and QEMU's exit status was the expected one.
"""
import argparse
import os
import re
import selectors
import subprocess
import sys
import time

OPENSBI_DIR = "/usr/lib/riscv64-linux-gnu/opensbi/generic"
BIOS = {
    "default": "default",
    "fw_jump": os.path.join(OPENSBI_DIR, "fw_jump.bin"),
    "fw_dynamic": os.path.join(OPENSBI_DIR, "fw_dynamic.bin"),
}

# "[    0.123456][hart1] text" -> "text"
PRINTK_PREFIX = re.compile(r"^\[\s*\d+\.\d+\]\[hart\d+\] ?")
FATAL = re.compile(r"Kernel panic|Oops:|recursive panic")
# The end of boot; the kernel then idles until there is something to run.
BOOTED = r"Booted in [^\n]*\n"


class Result:
    def __init__(self, status, log, timed_out, seconds, stopped=False):
        self.status = status
        self.log = log
        self.timed_out = timed_out
        self.seconds = seconds
        self.stopped = stopped  # the runner ended QEMU after its last step

    @property
    def lines(self):
        return [PRINTK_PREFIX.sub("", l.rstrip("\r"))
                for l in self.log.splitlines()]

    @property
    def booted(self):
        return any(l.startswith("Booted in ") for l in self.lines)

    @property
    def fatal(self):
        return next((l for l in self.lines if FATAL.search(l)), None)


def qemu_command(image, smp=1, mem="256M", append=None, bios="default",
                 machine="virt", extra=()):
    cmd = ["qemu-system-riscv64", "-M", machine, "-smp", str(smp), "-m", mem,
           "-nographic", "-bios", BIOS.get(bios, bios), "-kernel", image]
    if append:
        cmd += ["-append", append]
    return cmd + list(extra)


def boot(cmd, timeout=60, log_path=None, echo=False, steps=None, stop=True):
    """Run QEMU, streaming its output; kill it after timeout seconds.

    steps: [(regex, bytes or None)]: wait for each regex in the console
    output (after the previous step's match), then type the bytes. After the
    last step QEMU is ended (Result.stopped); the kernel keeps running
    otherwise, waiting for input. With stop=False QEMU is left to exit by
    itself after the last step (or to time out).
    """
    start = time.monotonic()
    steps = list(steps or [])
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE if steps else
                            subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    chunks, timed_out, stopped, seen = [], False, False, 0
    log = open(log_path, "wb") if log_path else None
    try:
        while True:
            left = timeout - (time.monotonic() - start)
            if left <= 0:
                timed_out = True
                proc.kill()
                break
            if not sel.select(min(left, 1.0)):
                continue
            data = os.read(proc.stdout.fileno(), 65536)
            if not data:
                break
            chunks.append(data)
            text = b"".join(chunks).decode("utf-8", "replace")
            while steps:
                m = re.compile(steps[0][0]).search(text, seen)
                if not m:
                    break
                seen = m.end()
                if steps[0][1] is not None:
                    proc.stdin.write(steps[0][1])
                    proc.stdin.flush()
                steps.pop(0)
                if not steps:
                    stopped = stop
            if stopped:
                time.sleep(0.2)  # let the line being printed finish
                proc.kill()
            if log:
                log.write(data)
                log.flush()
            if echo:
                sys.stdout.buffer.write(data)
                sys.stdout.flush()
        while True:
            data = os.read(proc.stdout.fileno(), 65536)
            if not data:
                break
            chunks.append(data)
            if log:
                log.write(data)
        status = proc.wait()
    finally:
        if log:
            log.close()
        proc.stdout.close()
        if proc.stdin:
            proc.stdin.close()
    text = b"".join(chunks).decode("utf-8", "replace")
    return Result(status, text, timed_out, time.monotonic() - start, stopped)


def parse_ktap(lines):
    """Return [(suite.case, ok, skip)] for every KTAP subtest case."""
    cases, suite = [], None
    subtest = re.compile(r"^\s+# Subtest: (\S+)")
    result = re.compile(r"^(\s+)(not ok|ok) \d+ (\S+)(.*)$")
    for line in lines:
        m = subtest.match(line)
        if m:
            suite = m.group(1)
            continue
        m = result.match(line)
        if m and suite:
            skip = "# SKIP" in m.group(4)
            cases.append(("%s.%s" % (suite, m.group(3)), m.group(2) == "ok",
                          skip))
    return cases


def ktap_totals(lines):
    for line in lines:
        m = re.match(r"# Totals: pass:(\d+) fail:(\d+) skip:(\d+)", line)
        if m:
            return tuple(int(x) for x in m.groups())
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("image")
    ap.add_argument("--smp", type=int, default=1)
    ap.add_argument("--mem", default="256M")
    ap.add_argument("--append")
    ap.add_argument("--bios", default="default")
    ap.add_argument("--machine", default="virt")
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--expect-status", type=int, default=0)
    ap.add_argument("--log")
    ap.add_argument("--initrd", help="a cpio archive unpacked after the embedded one")
    ap.add_argument("--stop-after-boot", action="store_true",
                    help="end QEMU once the kernel printed 'Booted in'")
    args = ap.parse_args()
    res = boot(qemu_command(args.image, args.smp, args.mem, args.append,
                            args.bios, args.machine,
                            ("-initrd", args.initrd) if args.initrd else ()),
               args.timeout, args.log, echo=True,
               steps=[(BOOTED, None)] if args.stop_after_boot else None)
    ok = res.booted and not res.fatal and not res.timed_out and \
        (res.stopped or res.status == args.expect_status)
    for name, passed, skip in parse_ktap(res.lines):
        print("%s %s" % ("SKIP" if skip else "PASS" if passed else "FAIL",
                         name))
        ok = ok and passed
    print("qemu: status %d%s, %.1f s" % (res.status,
                                         " (timed out)" if res.timed_out else "",
                                         res.seconds))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
