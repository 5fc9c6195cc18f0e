#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""Boot Hartix in QEMU the way the VisionFive 2 boots it: OpenSBI -> U-Boot -> booti.

run(r, out_dir, image) is called from run_tests.py's boot phase. It makes the
boot media with tools/boot/mkbootfs.sh, checks the disk image's layout, and
boots QEMU virt with Debian's S-mode U-Boot (u-boot-qemu) as the payload of
QEMU's OpenSBI. U-Boot's distro boot then finds the boot files by itself
(nothing is typed into U-Boot; its 2 s autoboot countdown just runs out):

  boot/sdcard-image          MBR, FAT and files of sdcard.img are as documented
  boot/uboot-booti           virtio disk -> boot.scr -> booti with U-Boot's FDT
  boot/uboot-booti-initrd    the same with an initrd.img on the disk (a
                             one-file newc cpio, zero-padded): the kernel's
                             memory map reserves it as "initrd", whole
  boot/uboot-extlinux        the board's card, extlinux.conf first (FDTDIR
                             falls back to U-Boot's FDT on QEMU)
  boot/uboot-tftp            no disk: dhcp -> TFTP boot.scr.uimg -> Image
                             (QEMU's own user-mode network, restricted)
"""
import os
import re
import struct
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemu_run  # noqa: E402

SRC = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
MKBOOTFS = os.path.join(SRC, "tools", "boot", "mkbootfs.sh")
UBOOT_BIN = "/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin"
DTB_NAME = "jh7110-starfive-visionfive-2-v1.3b.dtb"
TIMEOUT = 90
SMP = 4
PART_START = 2048          # sectors: the partition starts at 1 MiB
PART_MIB = 64              # mkbootfs.sh's default: FAT32
BOOTARGS = "loglevel=7"    # "Booted in" shows whatever the configuration's level
# U-Boot failing: a script or extlinux error, or U-Boot itself crashing and
# resetting (which would loop until the timeout).
UBOOT_TROUBLE = re.compile(r"SCRIPT FAILED|EXTLINUX FAILED|Unhandled exception|"
                           r"resetting \.\.\.|Hartix: boot failed|"
                           r"Bad Linux RISCV Image magic")


def sh(cmd):
    proc = subprocess.run(cmd, cwd=SRC, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True)
    return proc.returncode, proc.stdout


def mkbootfs(r, name, image, out, *opts):
    """Run mkbootfs.sh; report a failure as NAME. True if it worked."""
    rc, log = sh(["sh", MKBOOTFS] + list(opts) + [image, out])
    r.save(name + "-mkbootfs", log)
    if rc:
        r.report(False, name, "mkbootfs.sh failed", log)
    return rc == 0


def check_sdcard(r, out, image):
    """The MBR, the FAT boot sector and the files, as mkbootfs.sh documents."""
    disk = os.path.join(out, "sdcard.img")
    problems = []
    with open(disk, "rb") as f:
        mbr = f.read(512)
        f.seek(PART_START * 512)
        boot = f.read(512)
    size = os.path.getsize(disk)
    if mbr[510:512] != b"\x55\xaa":
        problems.append("no MBR signature")
    status, ptype, start, count = struct.unpack("<B3xB3xII", mbr[446:462])
    if status != 0x80:
        problems.append("partition 1 not bootable (0x%02x)" % status)
    if ptype != 0x0c:
        problems.append("partition type 0x%02x, not 0x0c (FAT32 LBA)" % ptype)
    if start != PART_START or count != PART_MIB * 2048:
        problems.append("partition at %d+%d sectors" % (start, count))
    if size != (PART_START + PART_MIB * 2048) * 512:
        problems.append("disk image is %d bytes" % size)
    if any(mbr[462:510]):
        problems.append("more than one partition")
    if boot[510:512] != b"\x55\xaa" or boot[82:87] != b"FAT32":
        problems.append("partition 1 is not FAT32")
    elif struct.unpack("<I", boot[28:32])[0] != PART_START:
        problems.append("FAT hidden sectors is not the partition start")
    rc, listing = sh(["mdir", "-/", "-b", "-i", disk + "@@1M", "::"])
    files = set(listing.split())
    for want in ["::/Image", "::/boot.scr", "::/boot.cmd", "::/" + DTB_NAME,
                 "::/extlinux/extlinux.conf",
                 "::/dtbs/starfive/" + DTB_NAME]:
        if want not in files:
            problems.append("%s missing" % want[2:])
    copy = os.path.join(out, "Image.from-fat")
    rc, log = sh(["mcopy", "-n", "-i", disk + "@@1M", "::/Image", copy])
    with open(image, "rb") as a:
        same = rc == 0 and open(copy, "rb").read() == a.read()
    if not same:
        problems.append("Image on the FAT differs from the kernel's")
    for f in ["bootfs.img", "tftp/Image", "tftp/" + DTB_NAME, "tftp/boot-tftp.cmd",
              "tftp/boot.scr.uimg"]:
        if not os.path.exists(os.path.join(out, f)):
            problems.append("%s missing" % f)
    r.report(not problems, "boot/sdcard-image", "; ".join(problems),
             listing)


def boot(r, name, extra, needles):
    """Boot U-Boot with EXTRA media; pass if every needle shows in order."""
    cmd = qemu_run.qemu_command(UBOOT_BIN, smp=SMP, mem="256M", extra=extra)
    # End QEMU at "Booted in", and also at the first sign of failure rather
    # than at the timeout: U-Boot goes on to its other boot targets and
    # waits at its prompt, or resets and loops.
    stop = "|".join("(?:%s)" % p for p in (qemu_run.BOOTED, UBOOT_TROUBLE.pattern,
                                           r"---\[ end [^\n]*\n"))
    res = qemu_run.boot(cmd, TIMEOUT, r.logfile(name), steps=[(stop, None)])
    text = res.log.replace("\r", "")
    problems = []
    pos = 0
    for needle in needles:
        m = re.compile(needle).search(text, pos)
        if not m:
            problems.append("no '%s' after the previous check"
                            % needle.replace("\\", ""))
            break
        pos = m.end()
    trouble = UBOOT_TROUBLE.search(text)
    if trouble:
        problems.append("U-Boot: %r" % trouble.group(0))
    if res.fatal:
        problems.append(res.fatal.strip())
    if res.timed_out:
        problems.append("timed out after %d s" % TIMEOUT)
    r.report(not problems, name, "; ".join(problems) or "%.1f s" % res.seconds,
             res.log)
    return res


# What every boot through U-Boot must show, in this order.
KERNEL = [r"Starting kernel \.\.\.", r"\] Hartix \d+\.\d+\.\d+",
          r"Kernel command line: " + re.escape(BOOTARGS),
          r"smp: Brought up %d CPUs" % SMP, r"Booted in "]


def run(r, out_dir, image):
    if not image:
        return  # the build failure is reported already
    if not os.path.exists(UBOOT_BIN):
        r.report(False, "boot/uboot-booti",
                 "%s missing: apt-get install u-boot-qemu" % UBOOT_BIN)
        return
    image = os.path.abspath(image)
    disk_opts = ["-q", "-a", BOOTARGS]

    # The board's card, extlinux.conf included.
    card = os.path.join(out_dir, "sdcard")
    if mkbootfs(r, "boot/sdcard-image", image, card, *disk_opts):
        check_sdcard(r, card, image)
        boot(r, "boot/uboot-extlinux", virtio_disk(card),
             [r"Found /extlinux/extlinux\.conf", r"Retrieving file: /Image"]
             + KERNEL)

    # boot.scr (no extlinux.conf, which distro boot would take first).
    plain = os.path.join(out_dir, "bootscr")
    if mkbootfs(r, "boot/uboot-booti", image, plain, "-E", *disk_opts):
        boot(r, "boot/uboot-booti", virtio_disk(plain),
             [r"Found U-Boot script /boot\.scr",
              r"Hartix: device tree: the U-Boot device tree",
              r"Hartix: booti \S+ - \S+"] + KERNEL)
        boot(r, "boot/uboot-tftp",
             ["-netdev", "user,id=n0,restrict=on,tftp=%s"
              % os.path.join(plain, "tftp"),
              "-device", "virtio-net-device,netdev=n0"],
             [r"Filename 'boot\.scr\.uimg'", r"Hartix: network boot",
              r"Hartix: tftpboot \S+ Image", r"Hartix: booti \S+ - \S+"]
             + KERNEL)

    # With an initramfs: U-Boot puts it in /chosen, the kernel reserves it.
    initrd_dir = os.path.join(out_dir, "initrd")
    os.makedirs(initrd_dir, exist_ok=True)
    initrd = os.path.join(initrd_dir, "dummy-initrd")
    size = 100000  # not a multiple of the page size
    with open(initrd, "wb") as f:
        f.write(dummy_cpio(size))
    if mkbootfs(r, "boot/uboot-booti-initrd", image, initrd_dir, "-E",
                "-i", initrd, *disk_opts):
        res = boot(r, "boot/uboot-booti-initrd", virtio_disk(initrd_dir),
                   [r"Hartix: load \S+ \S+ \S+ /initrd\.img",
                    r"Hartix: booti \S+ \S+:%x \S+" % size] + KERNEL)
        m = re.search(r"reserved \[0x([0-9a-f]+)-0x([0-9a-f]+)\] .*\(initrd\)",
                      res.log)
        got = int(m.group(2), 16) - int(m.group(1), 16) + 1 if m else None
        r.report(got == size, "boot/uboot-booti-initrd-reserved",
                 "memory map has no (initrd)" if not m else
                 "" if got == size else "initrd reserved %d bytes, file is %d"
                 % (got, size), res.log)


def dummy_cpio(size):
    """A newc cpio archive with one small text file, zero-padded to SIZE."""
    def entry(name, data, mode):
        name = name.encode() + b"\0"
        fields = [1, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(name), 0]
        head = b"070701" + b"".join(b"%08X" % v for v in fields) + name
        head += b"\0" * (-len(head) % 4)
        return head + data + b"\0" * (-len(data) % 4)
    archive = (entry("hartix-test-initrd.txt", b"Hartix U-Boot test initrd\n",
                     0o100644) + entry("TRAILER!!!", b"", 0))
    return archive + b"\0" * (size - len(archive))


def virtio_disk(out):
    return ["-drive", "file=%s,format=raw,if=none,id=hd0"
            % os.path.join(out, "sdcard.img"),
            "-device", "virtio-blk-device,drive=hd0"]


if __name__ == "__main__":
    # Standalone: uboot_boot.py IMAGE [OUT_DIR]
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import run_tests  # noqa: E402

    if len(sys.argv) not in (2, 3):
        sys.exit("usage: uboot_boot.py IMAGE [OUT_DIR]")
    out = os.path.abspath(sys.argv[2] if len(sys.argv) == 3 else "build/test-uboot")
    runner = run_tests.Runner(out)
    run(runner, os.path.join(out, "uboot"), sys.argv[1])
    print("%d passed, %d failed, %d skipped" % (runner.passed, runner.failed,
                                               runner.skipped))
    sys.exit(1 if runner.failed else 0)
