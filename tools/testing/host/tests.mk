# SPDX-License-Identifier: BSD-2-Clause
# Host test programs: add a name to hosttests and list its sources in <name>-srcs.

# lib/string.c and lib/vsprintf.c define libc's names; libc_rename.h moves them aside.
hosttests += string
string-srcs := lib/string.c
string-cflags := -include $(srctree)/tools/testing/host/libc_rename.h

hosttests += vsprintf
vsprintf-srcs := lib/vsprintf.c lib/string.c
vsprintf-cflags := -include $(srctree)/tools/testing/host/libc_rename.h

hosttests += sort
sort-srcs := lib/sort.c

hosttests += cmdline
cmdline-srcs := lib/cmdline.c

hosttests += memblock
memblock-srcs := mm/memblock.c

# fuzz_fdt.c is linked in too: the tests feed malformed blobs through its
# walker, which also keeps the fuzz target building.
hosttests += fdt
fdt-srcs := lib/fdt.c lib/fdt_scan.c tools/testing/host/fuzz_fdt.c
fdt-cflags := -DFDT_TEST_DTB_DIR='"$(abspath $(srctree))/tools/testing/dtb"'

# QEMU virt dumps for test_fdt's directory mode (needs qemu-system-riscv64):
# 'fdt-qemu-dtbs' makes them, 'fdt-qemu-check' also runs test_fdt over them.
fdt-dtbdir := $(hostobj)/qemu-dtbs
# These must not become the default goal of the makefile including this one.
fdt-saved-goal := $(.DEFAULT_GOAL)
$(fdt-dtbdir)/.stamp: $(srctree)/tools/testing/host/gen-qemu-dtbs.sh
	sh $< $(@D)
	touch $@
fdt-qemu-dtbs: $(fdt-dtbdir)/.stamp
fdt-qemu-check: $(fdt-dtbdir)/.stamp $(hostobj)/test_fdt
	$(hostobj)/test_fdt $(fdt-dtbdir)
.PHONY: fdt-qemu-dtbs fdt-qemu-check
.DEFAULT_GOAL := $(fdt-saved-goal)

hosttests += time64
time64-srcs := lib/time64.c

# Platform discovery on the real blobs and made-up ones (compiled with dtc at
# run time), and tools/dtcheck, which the test builds with the sanitizers
# into its own directory here.
hosttests += platform
platform-srcs := lib/fdt.c lib/fdt_scan.c lib/fdt_platform.c
platform-cflags := -DFDT_TEST_DTB_DIR='"$(abspath $(srctree))/tools/testing/dtb"' \
	-DDTCHECK='"$(abspath $(srctree))/tools/dtcheck"' \
	-DDTCHECK_BUILD='"$(abspath $(hostobj))/dtcheck"'

# struct page comes from <hartix/mm.h>, which needs <asm/page.h>.
hosttests += buddy
buddy-srcs := mm/buddy.c
buddy-cflags := -I$(srctree)/arch/riscv/include

# The slab core, with the buddy core as its page provider.
hosttests += slab
slab-srcs := mm/slab_core.c mm/buddy.c
slab-cflags := -I$(srctree)/arch/riscv/include

# The VMA tree (user address-space regions) against a sorted-array model.
hosttests += vma
vma-srcs := mm/vma.c

# The initramfs cpio reader, on made-up archives and on GNU cpio's (if installed).
hosttests += cpio
cpio-srcs := lib/cpio.c

# execve's ELF checks, on binaries built at run time with the RISC-V compilers
# that are installed (riscv64-unknown-elf-gcc, riscv64-linux-gnu-gcc) and on
# mutated and made-up headers.
hosttests += elf
elf-srcs := lib/elf.c

# Partition tables: images sfdisk writes (if installed), made-up and random ones.
hosttests += partitions
partitions-srcs := block/partitions.c

# The WebAssembly engine against the core spec tests: each .wast of
# ../shared/wasm-testsuite is converted with wast2json into wasm-spec/ here
# at run time (skipped with a message when the suite or wabt is missing).
hosttests += wasm
wasm-srcs := kernel/wasm/decode.c kernel/wasm/interp.c kernel/wasm/jit_rv64.c
wasm-cflags := -fno-math-errno -ffp-contract=off -DSRCTREE='"$(abspath $(srctree))"' \
	-DWASM_OUT='"$(abspath $(hostobj))/wasm-spec"'

# ext2's on-disk checks on images mkfs.ext2 -d makes at run time from a tree
# it writes (skipped with a message without e2fsprogs), corrupt and randomly
# mutated ones; fuzz_ext2.c is linked in, as fuzz_fdt.c is for fdt.
hosttests += ext2
ext2-srcs := fs/ext2/disk.c tools/testing/host/fuzz_ext2.c

# FAT's on-disk layer on images mkfs.vfat and mcopy make at run time (when
# dosfstools and mtools are installed), written back through it and checked
# with fsck.vfat -n and mtools; made-up corrupt ones; mutated ones through
# fuzz_fat.c, which is linked in as fuzz_fdt.c is for fdt.
hosttests += fat
fat-srcs := fs/fat/ondisk.c lib/time64.c tools/testing/host/fuzz_fat.c
