#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# mkbootfs.sh: the boot files for U-Boot (SD card, QEMU virtio disk, TFTP).
#
# Writes into OUTDIR:
#   bootfs/       the files of the boot partition: Image, the board DTB (also as
#                 dtbs/<vendor>/<name>.dtb), initrd.img if given, boot.cmd and
#                 boot.scr (U-Boot script), extlinux/extlinux.conf
#   bootfs.img    that partition as a FAT image (mtools; no root, no loop device)
#   sdcard.img    a whole disk: MBR with one bootable FAT partition at 1 MiB
#                 holding bootfs.img (for dd to an SD card, or a QEMU disk)
#   tftp/         Image, the DTB, initrd.img if given, boot-tftp.cmd (script
#                 text) and boot.scr.uimg (that script for U-Boot's source
#                 command; the name distro boot's dhcp target fetches)
#
# POSIX sh. Needs mtools (mformat, mcopy, mmd), mkimage (u-boot-tools), and
# sfdisk (fdisk) or python3 for the partition table.

set -eu

usage() {
	cat <<EOF
usage: $0 [options] IMAGE OUTDIR
  -d DTB    board device tree (default: the StarFive VisionFive 2 v1.3B blob,
            tools/testing/dtb/$DEFAULT_DTB_NAME); 'none' for none
  -b BOARD  U-Boot \${board} value that selects the DTB file (default visionfive2)
  -i FILE   initramfs, stored as initrd.img (the disk script also loads an
            initrd.img added to the partition later)
  -a ARGS   kernel command line the scripts pass unless \${hartix_bootargs} is
            set in U-Boot (default: none)
  -s MIB    size of the FAT partition in MiB: 16 to 63 gives FAT16, 64 and
            more FAT32 (default 64)
  -n NAME   file name of the whole-disk image (default sdcard.img)
  -E        no extlinux/extlinux.conf (U-Boot's distro boot looks for it before
            boot.scr; leave it out to have boot.scr run)
  -q        quiet
EOF
	exit 2
}

die() {
	echo "mkbootfs.sh: $*" >&2
	exit 1
}

srctree=$(cd "$(dirname "$0")/../.." && pwd)
DEFAULT_DTB_NAME=jh7110-starfive-visionfive-2-v1.3b.dtb
dtb=$srctree/tools/testing/dtb/$DEFAULT_DTB_NAME
board=visionfive2
initrd=
bootargs=
size_mib=64
disk_name=sdcard.img
extlinux=y
quiet=

while getopts d:b:i:a:s:n:Eqh opt; do
	case $opt in
	d) dtb=$OPTARG ;;
	b) board=$OPTARG ;;
	i) initrd=$OPTARG ;;
	a) bootargs=$OPTARG ;;
	s) size_mib=$OPTARG ;;
	n) disk_name=$OPTARG ;;
	E) extlinux= ;;
	q) quiet=y ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 2 ] || usage
image=$1
out=$2

[ -f "$image" ] || die "no kernel image $image (build it first: make)"
[ "$dtb" = none ] && dtb=
[ -z "$dtb" ] || [ -f "$dtb" ] || die "no device tree $dtb"
[ -z "$initrd" ] || [ -f "$initrd" ] || die "no initramfs $initrd"
case $size_mib in
'' | *[!0-9]*) die "-s wants a size in MiB, not '$size_mib'" ;;
esac
[ "$size_mib" -ge 16 ] || die "-s $size_mib: the partition needs at least 16 MiB (FAT16)"
# U-Boot 2023.01's shell fails on a quote inside a quoted string.
case $bootargs in
*\"* | *\'*) die "-a: no quotes in the command line, please (U-Boot's shell trips on them)" ;;
esac
for tool in mformat mcopy mmd mkimage; do
	command -v $tool >/dev/null 2>&1 ||
		die "$tool not found: apt-get install mtools u-boot-tools (or run 'make deps')"
done

# The files must fit in the partition, with 2 MiB for the FAT itself.
kib() { echo $(( ($(wc -c <"$1") + 1023) / 1024 )); }
need_kib=$(kib "$image")
[ -z "$initrd" ] || need_kib=$((need_kib + $(kib "$initrd")))
[ -z "$dtb" ] || need_kib=$((need_kib + 2 * $(kib "$dtb")))
[ $((need_kib / 1024 + 2)) -lt "$size_mib" ] ||
	die "the files take $need_kib KiB: too much for a $size_mib MiB partition (-s)"

dtb_name=${dtb:+$(basename "$dtb")}
# dtbs/<vendor>/<name>.dtb is where U-Boot's FDTDIR looks for ${fdtfile}
# (on the VisionFive 2: starfive/jh7110-starfive-visionfive-2-v1.3b.dtb).
case $dtb_name in
jh7110-* | *starfive*) dtb_vendor=starfive ;;
*) dtb_vendor= ;;
esac
dtb_fdtdir_name=${dtb_vendor:+$dtb_vendor/}$dtb_name

mkdir -p "$out"
out=$(cd "$out" && pwd)
stage=$out/bootfs
rm -rf "$stage" "$out/tftp"
mkdir -p "$stage" "$out/tftp"

# ---------------------------------------------------------------------------
# U-Boot scripts. Both pick the device tree the same way:
#   hartix_fdt=file     the DTB file, whatever the board
#   hartix_fdt=control  the device tree U-Boot itself runs with
#   (unset)             the DTB file if this is the board it was made for
#                       (U-Boot's ${board}, or the first compatible string of
#                       U-Boot's device tree), else U-Boot's own device tree
# On QEMU U-Boot's tree is QEMU's, which is the right one; on the board the
# file is used, with the memory node U-Boot's SPL fixed up for the RAM size.

# $1: "disk" or "tftp"
gen_script() {
	cat <<EOF
# Hartix boot script for U-Boot, made by tools/boot/mkbootfs.sh; the compiled
# form is made with: mkimage -A riscv -T script -C none -d FILE OUT
#
# Settings (U-Boot environment, optional):
#   hartix_fdt=file|control   force the DTB file or the U-Boot device tree
#   hartix_bootargs="..."     kernel command line (default: "$bootargs")
EOF
	if [ "$1" = disk ]; then
		cat <<'EOF'
# Run by distro boot, which sets devtype, devnum, distro_bootpart and prefix.
# By hand: setenv devtype mmc; setenv devnum 1; setenv distro_bootpart 1;
#          load mmc 1:1 ${scriptaddr} boot.scr; source ${scriptaddr}

if test -z "${distro_bootpart}"; then setenv distro_bootpart 1; fi
if test -z "${prefix}"; then setenv prefix /; fi
echo "Hartix: boot script on ${devtype} ${devnum}:${distro_bootpart}${prefix}"
setenv hx_where ${devtype} ${devnum}:${distro_bootpart}
EOF
	else
		cat <<'EOF'
# For network boot: the dhcp command gives the address and the TFTP server
# (or: setenv serverip 192.168.1.2; setenv ipaddr 192.168.1.50), then
#   tftpboot ${scriptaddr} boot.scr.uimg; source ${scriptaddr}
# The dhcp target of distro boot fetches boot.scr.uimg by itself.

echo "Hartix: network boot from TFTP server ${serverip}"
EOF
	fi

	cat <<EOF
setenv hx_dtb $dtb_name
setenv hx_board_dtb $board
EOF
	cat <<'EOF'
setenv hx_fdt ${fdtcontroladdr}
setenv hx_fdt_from "the U-Boot device tree"
setenv hx_want_file no
if test "${hartix_fdt}" = "file"; then setenv hx_want_file yes; fi
if test -z "${hartix_fdt}" && test -n "${hx_dtb}"; then
	if test "${board}" = "${hx_board_dtb}"; then setenv hx_want_file yes; fi
	setenv hx_compat
	if fdt addr ${fdtcontroladdr}; then fdt get value hx_compat / compatible; fi
	if test "${hx_compat}" = "starfive,visionfive-2-v1.3b" || test "${hx_compat}" = "starfive,visionfive-2-v1.2a"; then
		if test "${hx_board_dtb}" = "visionfive2"; then setenv hx_want_file yes; fi
	fi
	echo "Hartix: U-Boot board ${board}, device tree ${hx_compat}"
fi
EOF
	if [ "$1" = disk ]; then
		cat <<'EOF'
if test "${hx_want_file}" = "yes"; then
	if test -e ${hx_where} ${prefix}${hx_dtb}; then
		echo "Hartix: load ${hx_where} ${fdt_addr_r} ${prefix}${hx_dtb}"
		if load ${hx_where} ${fdt_addr_r} ${prefix}${hx_dtb}; then
			setenv hx_fdt ${fdt_addr_r}
			setenv hx_fdt_from ${hx_dtb}
		fi
	else
		echo "Hartix: no ${prefix}${hx_dtb} on ${hx_where}"
	fi
fi
EOF
	else
		cat <<'EOF'
if test "${hx_want_file}" = "yes"; then
	echo "Hartix: tftpboot ${fdt_addr_r} ${hx_dtb}"
	if tftpboot ${fdt_addr_r} ${hx_dtb}; then
		setenv hx_fdt ${fdt_addr_r}
		setenv hx_fdt_from ${hx_dtb}
	fi
fi
EOF
	fi
	cat <<'EOF'
# The DTB file describes one RAM size; the U-Boot device tree has the real one.
if test "${hx_fdt}" = "${fdt_addr_r}"; then
	fdt addr ${fdtcontroladdr}
	setenv hx_msz_from
	setenv hx_msz_to
	if fdt get size hx_msz_from /memory@40000000 reg; then fdt get addr hx_mem_from /memory@40000000 reg; fi
	fdt addr ${fdt_addr_r}
	if fdt get size hx_msz_to /memory@40000000 reg; then fdt get addr hx_mem_to /memory@40000000 reg; fi
	if test -n "${hx_msz_from}" && test "${hx_msz_from}" = "${hx_msz_to}"; then
		cp.b ${hx_mem_from} ${hx_mem_to} ${hx_msz_to}
		echo "Hartix: memory size taken from the U-Boot device tree"
	fi
fi
echo "Hartix: device tree: ${hx_fdt_from} at ${hx_fdt}"
EOF
	if [ "$1" = disk ]; then
		cat <<'EOF'
setenv hx_rd -
if test -e ${hx_where} ${prefix}initrd.img; then
	echo "Hartix: load ${hx_where} ${ramdisk_addr_r} ${prefix}initrd.img"
	if load ${hx_where} ${ramdisk_addr_r} ${prefix}initrd.img; then setenv hx_rd ${ramdisk_addr_r}:${filesize}; fi
fi
echo "Hartix: load ${hx_where} ${kernel_addr_r} ${prefix}Image"
if load ${hx_where} ${kernel_addr_r} ${prefix}Image; then
EOF
	else
		if [ -n "$initrd" ]; then
			cat <<'EOF'
setenv hx_rd -
echo "Hartix: tftpboot ${ramdisk_addr_r} initrd.img"
if tftpboot ${ramdisk_addr_r} initrd.img; then setenv hx_rd ${ramdisk_addr_r}:${filesize}; fi
EOF
		else
			echo 'setenv hx_rd -'
		fi
		cat <<'EOF'
echo "Hartix: tftpboot ${kernel_addr_r} Image"
if tftpboot ${kernel_addr_r} Image; then
EOF
	fi
	cat <<EOF
	if test -n "\${hartix_bootargs}"; then
		setenv bootargs "\${hartix_bootargs}"
	else
		setenv bootargs "$bootargs"
	fi
	echo "Hartix: booti \${kernel_addr_r} \${hx_rd} \${hx_fdt}   (bootargs: \${bootargs})"
	booti \${kernel_addr_r} \${hx_rd} \${hx_fdt}
fi
echo "Hartix: boot failed"
EOF
}

gen_script disk >"$stage/boot.cmd"
gen_script tftp >"$out/tftp/boot-tftp.cmd"

mkimage_script() {
	mkimage -A riscv -O linux -T script -C none -n "$1" -d "$2" "$3" >/dev/null
}
mkimage_script "Hartix boot script" "$stage/boot.cmd" "$stage/boot.scr"
mkimage_script "Hartix TFTP boot script" "$out/tftp/boot-tftp.cmd" "$out/tftp/boot.scr.uimg"

# extlinux.conf: FDTDIR makes U-Boot load ${fdtfile} from /dtbs when the board
# names one (the VisionFive 2's U-Boot does), and otherwise fall back to its
# own device tree (QEMU).
if [ -n "$extlinux" ]; then
	mkdir -p "$stage/extlinux"
	{
		echo "# Hartix, for U-Boot's extlinux/sysboot (made by tools/boot/mkbootfs.sh)"
		echo "default hartix"
		echo "timeout 1"
		echo "menu title Hartix"
		echo ""
		echo "label hartix"
		echo "	menu label Hartix"
		echo "	kernel /Image"
		[ -z "$initrd" ] || echo "	initrd /initrd.img"
		[ -z "$dtb" ] || echo "	fdtdir /dtbs"
		# An empty "append" makes U-Boot 2023.01 crash: leave it out.
		[ -z "$bootargs" ] || echo "	append $bootargs"
	} >"$stage/extlinux/extlinux.conf"
fi

cp "$image" "$stage/Image"
cp "$image" "$out/tftp/Image"
if [ -n "$dtb" ]; then
	cp "$dtb" "$stage/$dtb_name"
	mkdir -p "$(dirname "$stage/dtbs/$dtb_fdtdir_name")"
	cp "$dtb" "$stage/dtbs/$dtb_fdtdir_name"
	cp "$dtb" "$out/tftp/$dtb_name"
fi
if [ -n "$initrd" ]; then
	cp "$initrd" "$stage/initrd.img"
	cp "$initrd" "$out/tftp/initrd.img"
fi

# ---------------------------------------------------------------------------
# The FAT partition, built as a file. The hidden-sector count is the
# partition's first sector, as in a partition formatted in place.
part_start=2048
part_sectors=$((size_mib * 2048))
fat=$out/bootfs.img
rm -f "$fat"
dd if=/dev/zero of="$fat" bs=512 count=0 seek=$part_sectors 2>/dev/null
if [ "$size_mib" -ge 64 ]; then
	fat_opt=-F
	part_type=c	# FAT32, LBA
else
	fat_opt=
	part_type=e	# FAT16, LBA
fi
# A fixed volume serial number keeps the image reproducible.
mformat -i "$fat" $fat_opt -T $part_sectors -h 64 -s 32 -H $part_start \
	-N 48415254 -v HARTIX ::
export MTOOLS_SKIP_CHECK=1
# Directories first, then files, all with their modification times (-m).
(cd "$stage" && find . -type d ! -name . | sort) | while read -r d; do
	mmd -i "$fat" "::${d#.}"
done
(cd "$stage" && find . -type f | sort) | while read -r f; do
	mcopy -m -i "$fat" "$stage/${f#./}" "::${f#.}"
done

# ---------------------------------------------------------------------------
# The whole disk: 1 MiB for the MBR (and alignment), then the partition.
disk=$out/$disk_name
rm -f "$disk"
dd if=/dev/zero of="$disk" bs=512 count=0 seek=$((part_start + part_sectors)) 2>/dev/null
if command -v sfdisk >/dev/null 2>&1 && [ "${MKBOOTFS_MBR:-}" != python ]; then
	printf 'label: dos\nlabel-id: 0x48415254\nunit: sectors\n\nstart=%d, size=%d, type=%s, bootable\n' \
		$part_start $part_sectors $part_type |
		sfdisk --no-reread --no-tell-kernel -q "$disk" >/dev/null
else
	command -v python3 >/dev/null 2>&1 ||
		die "neither sfdisk nor python3 found: apt-get install fdisk"
	python3 - "$disk" $part_start $part_sectors $part_type <<'EOF'
# The MBR sfdisk would write: disk signature, one bootable partition, CHS
# addresses for a 255-head, 63-sector geometry (saturated past cylinder 1023).
import struct, sys
disk, start, count, ptype = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4], 16)
def chs(lba):
    c, h, s = lba // (255 * 63), (lba // 63) % 255, lba % 63 + 1
    if c > 1023:
        return b"\xfe\xff\xff"
    return bytes([h, ((c >> 2) & 0xc0) | s, c & 0xff])
entry = struct.pack("<B3sB3sII", 0x80, chs(start), ptype, chs(start + count - 1),
                    start, count)
mbr = bytearray(512)
mbr[440:444] = struct.pack("<I", 0x48415254)
mbr[446:462] = entry
mbr[510:512] = b"\x55\xaa"
with open(disk, "r+b") as f:
    f.write(mbr)
EOF
fi
dd if="$fat" of="$disk" bs=1M seek=1 conv=notrunc 2>/dev/null

if [ -z "$quiet" ]; then
	echo "Boot partition ($size_mib MiB, $(if [ -n "$fat_opt" ]; then echo FAT32; else echo FAT16; fi)):"
	mdir -/ -b -i "$fat" :: | sed 's|^::|    |'
	echo "Wrote $out/bootfs.img, $disk and $out/tftp/"
fi
