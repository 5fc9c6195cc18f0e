#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Dump QEMU virt device trees at several hart counts and RAM sizes for test_fdt.
#
# Usage: gen-qemu-dtbs.sh DIR
# Writes DIR/qemu-virt-smp<harts>-<MiB>M.dtb; test_fdt DIR checks that each one
# validates and that the scan finds exactly that many harts and that much RAM.
# QEMU names the emulator to run (default qemu-system-riscv64).
set -eu

dir=${1:?usage: gen-qemu-dtbs.sh DIR}
qemu=${QEMU:-qemu-system-riscv64}

command -v "$qemu" >/dev/null 2>&1 || {
	echo "gen-qemu-dtbs.sh: $qemu not found (Debian: qemu-system-misc)" >&2
	exit 1
}
mkdir -p "$dir"
for smp in 1 4 8; do
	for mib in 64 256 2048; do
		out="$dir/qemu-virt-smp$smp-${mib}M.dtb"
		# -bios none: dumping happens before any firmware would run, and
		# this way a missing OpenSBI image cannot make it fail.
		"$qemu" -machine "virt,dumpdtb=$out.tmp" -smp "$smp" -m "${mib}M" \
			-bios none -nographic >/dev/null 2>&1 || {
			echo "gen-qemu-dtbs.sh: $qemu failed for $out" >&2
			rm -f "$out.tmp"
			exit 1
		}
		mv "$out.tmp" "$out"
	done
done
