# SPDX-License-Identifier: BSD-2-Clause
# libFuzzer target for the FDT reader: run as make -f fuzz.mk, or include it.
#
# 'fuzz-fdt' builds tools/testing/host/fuzz_fdt.c with clang's libFuzzer,
# ASan and UBSan, and runs it for $(FUZZ_SECONDS) seconds from the real blobs
# in tools/testing/dtb plus tools/testing/dtb/fuzz-seed.dts built with dtc
# (byte-level mutations find far more in a small seed). Any crash, sanitizer
# report, broken invariant, timeout or OOM makes libFuzzer, and so make, fail;
# the input is left in $(objtree)/tools/testing/fuzz/fdt-artifacts/. The
# corpus it grows stays in .../fdt-corpus and seeds the next run.
# Needs: srctree, objtree; clang, dtc and (Debian 12) libclang-rt-14-dev.

FUZZ_SECONDS ?= 300
FUZZ_CC ?= clang
FUZZ_FLAGS ?=
DTC ?= dtc

fuzzobj := $(objtree)/tools/testing/fuzz
fuzz-cflags := -std=gnu11 -g -O1 -Wall -Wextra -Werror -fno-omit-frame-pointer \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-DHARTIX_HOST_TEST -I$(srctree)/include -I$(srctree)/include/uapi
fuzz-fdt-srcs := $(addprefix $(srctree)/,tools/testing/host/fuzz_fdt.c \
	lib/fdt.c lib/fdt_scan.c)

fuzz-saved-goal := $(.DEFAULT_GOAL)

$(fuzzobj)/fuzz_fdt: $(fuzz-fdt-srcs) $(srctree)/include/hartix/fdt.h \
		     $(srctree)/include/hartix/fdt_scan.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(fuzz-cflags) -o $@ $(fuzz-fdt-srcs)

$(fuzzobj)/fdt-seed.dtb: $(srctree)/tools/testing/dtb/fuzz-seed.dts
	@mkdir -p $(@D)
	$(DTC) -q -I dts -O dtb -o $@ $<

fuzz-fdt: $(fuzzobj)/fuzz_fdt $(fuzzobj)/fdt-seed.dtb
	@mkdir -p $(fuzzobj)/fdt-corpus $(fuzzobj)/fdt-artifacts
	cp $(srctree)/tools/testing/dtb/*.dtb $(fuzzobj)/fdt-seed.dtb \
		$(fuzzobj)/fdt-corpus/
	$< -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix=$(fuzzobj)/fdt-artifacts/ \
		$(FUZZ_FLAGS) $(fuzzobj)/fdt-corpus

.PHONY: fuzz-fdt

# The WebAssembly decoder and validator, seeded with the spec suite's
# modules when test_wasm has converted them (make hosttest), else from nothing.
fuzz-wasm-srcs := $(addprefix $(srctree)/,tools/testing/host/fuzz_wasm.c kernel/wasm/decode.c)

$(fuzzobj)/fuzz_wasm: $(fuzz-wasm-srcs) $(srctree)/include/hartix/wasm.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(fuzz-cflags) -o $@ $(fuzz-wasm-srcs)

fuzz-wasm: $(fuzzobj)/fuzz_wasm
	@mkdir -p $(fuzzobj)/wasm-corpus $(fuzzobj)/wasm-artifacts
	-cp $(wildcard $(objtree)/build/test/host/tools/testing/host/wasm-spec/*/*.0.wasm) \
		$(fuzzobj)/wasm-corpus/ 2>/dev/null
	$< -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix=$(fuzzobj)/wasm-artifacts/ \
		$(FUZZ_FLAGS) $(fuzzobj)/wasm-corpus

.PHONY: fuzz-wasm

# The partition-table parser. Each input is the disk's size in sectors (8
# bytes, little-endian) and its first sectors; seeds are an MBR and a GPT
# table sfdisk writes (Debian's fdisk), when it is installed.
fuzz-partitions-srcs := $(addprefix $(srctree)/,tools/testing/host/fuzz_partitions.c \
	block/partitions.c)

$(fuzzobj)/fuzz_partitions: $(fuzz-partitions-srcs) $(srctree)/include/hartix/partitions.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(fuzz-cflags) -o $@ $(fuzz-partitions-srcs)

# 8 MiB disks: the size prefix, then the table's first 34 sectors.
fuzz-part-seed = printf 'label: $(1)\nstart=2048, size=2048\nstart=4096, size=2048\n' | \
	sfdisk -q $(fuzzobj)/part.img >/dev/null && \
	{ printf '\0\100\0\0\0\0\0\0'; head -c 17408 $(fuzzobj)/part.img; } \
		> $(fuzzobj)/partitions-corpus/seed-$(1)

fuzz-partitions: $(fuzzobj)/fuzz_partitions
	@mkdir -p $(fuzzobj)/partitions-corpus $(fuzzobj)/partitions-artifacts
	-if command -v sfdisk >/dev/null; then \
		rm -f $(fuzzobj)/part.img && truncate -s 8M $(fuzzobj)/part.img && \
		$(call fuzz-part-seed,dos) && $(call fuzz-part-seed,gpt); \
		rm -f $(fuzzobj)/part.img; fi
	$< -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix=$(fuzzobj)/partitions-artifacts/ \
		$(FUZZ_FLAGS) $(fuzzobj)/partitions-corpus

.PHONY: fuzz-partitions

# ext2's on-disk checks (fs/ext2/disk.c) through a read-only walk of the
# image, seeded with small images mkfs.ext2 -d makes from a made-up tree.
fuzz-ext2-srcs := $(addprefix $(srctree)/,tools/testing/host/fuzz_ext2.c fs/ext2/disk.c)

$(fuzzobj)/fuzz_ext2: $(fuzz-ext2-srcs) $(srctree)/fs/ext2/ext2_disk.h \
		      $(srctree)/tools/testing/host/ext2_img.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(fuzz-cflags) -o $@ $(fuzz-ext2-srcs)

$(fuzzobj)/ext2-seed/.stamp:
	@mkdir -p $(@D)/tree/d
	echo hello > $(@D)/tree/f; ln -sf f $(@D)/tree/l; head -c 20000 /dev/zero > $(@D)/tree/d/z
	for b in 1024 4096; do rm -f $(@D)/s$$b.img; \
		mkfs.ext2 -q -F -b $$b -N 32 -d $(@D)/tree $(@D)/s$$b.img 256K >/dev/null || exit 1; done
	touch $@

fuzz-ext2: $(fuzzobj)/fuzz_ext2 $(fuzzobj)/ext2-seed/.stamp
	@mkdir -p $(fuzzobj)/ext2-corpus $(fuzzobj)/ext2-artifacts
	cp $(fuzzobj)/ext2-seed/*.img $(fuzzobj)/ext2-corpus/
	$< -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 -max_len=262144 \
		-print_final_stats=1 -artifact_prefix=$(fuzzobj)/ext2-artifacts/ \
		$(FUZZ_FLAGS) $(fuzzobj)/ext2-corpus

.PHONY: fuzz-ext2

# FAT's on-disk layer (fs/fat/ondisk.c): mount, a walk of the tree, then
# the changes the kernel makes. Seeds: a FAT12 image with mtools' files and
# long names, and an empty FAT32 one (mkfs.vfat, mtools).
fuzz-fat-srcs := $(addprefix $(srctree)/,tools/testing/host/fuzz_fat.c fs/fat/ondisk.c \
	lib/time64.c)

$(fuzzobj)/fuzz_fat: $(fuzz-fat-srcs) $(srctree)/include/hartix/fat.h \
		     $(srctree)/tools/testing/host/fat_img.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(fuzz-cflags) -o $@ $(fuzz-fat-srcs)

$(fuzzobj)/fat-seed/.stamp:
	@mkdir -p $(@D)
	rm -f $(@D)/f12.img $(@D)/f32.img
	truncate -s 200K $(@D)/f12.img && mkfs.vfat -F 12 $(@D)/f12.img >/dev/null
	echo hello > $(@D)/f && mmd -i $(@D)/f12.img '::/A directory' && \
		mcopy -i $(@D)/f12.img $(@D)/f '::/A long name.txt' && \
		mcopy -i $(@D)/f12.img $(@D)/f '::/A directory/README'
	truncate -s 256K $(@D)/f32.img && mkfs.vfat -F 32 -s 1 $(@D)/f32.img >/dev/null 2>&1
	touch $@

fuzz-fat: $(fuzzobj)/fuzz_fat $(fuzzobj)/fat-seed/.stamp
	@mkdir -p $(fuzzobj)/fat-corpus $(fuzzobj)/fat-artifacts
	cp $(fuzzobj)/fat-seed/*.img $(fuzzobj)/fat-corpus/
	$< -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 -max_len=262144 \
		-print_final_stats=1 -artifact_prefix=$(fuzzobj)/fat-artifacts/ \
		$(FUZZ_FLAGS) $(fuzzobj)/fat-corpus

.PHONY: fuzz-fat

# Run on its own (make -f fuzz.mk), fuzz-fdt is the default goal; included,
# this file leaves the including makefile's default goal alone.
ifeq ($(firstword $(MAKEFILE_LIST)),$(lastword $(MAKEFILE_LIST)))
.DEFAULT_GOAL := fuzz-fdt
else
.DEFAULT_GOAL := $(fuzz-saved-goal)
endif
