# SPDX-License-Identifier: BSD-2-Clause
# Hartix top-level Makefile: Kconfig targets, the kernel build, QEMU and tests.
#
# The build is non-recursive: every directory's Makefile uses Kbuild syntax
# (obj-y, obj-$(CONFIG_FOO), dir/, ccflags-y, CFLAGS_foo.o) and is read into
# this one make process (tools/build/Kbuild.include), so dependencies are exact
# across directories and 'make -j' sees the whole graph.

HARTIX_VERSION := 0.1.0

MAKEFLAGS += -rR --no-print-directory
.SUFFIXES:
.DEFAULT_GOAL := all

srctree := $(patsubst %/,%,$(dir $(realpath $(lastword $(MAKEFILE_LIST)))))
ifneq ($(O),)
objtree := $(abspath $(O))
$(shell mkdir -p $(objtree))
else
objtree := $(srctree)
endif
export srctree objtree

KCONFIG_CONFIG ?= $(objtree)/.config
override KCONFIG_CONFIG := $(abspath $(KCONFIG_CONFIG))
export KCONFIG_CONFIG

# Kconfiglib is imported by Debian's python3, which may not be first on PATH.
PYTHON ?= /usr/bin/python3
KCONFIG_ENV := srctree=$(srctree) HARTIXVERSION=$(HARTIX_VERSION) \
	KCONFIG_CONFIG=$(KCONFIG_CONFIG)
KCONFIG_RUN = cd $(srctree) && $(KCONFIG_ENV) $(PYTHON)

ifeq ($(V),1)
Q :=
else
Q := @
endif
export Q

CROSS_COMPILE ?= riscv64-unknown-elf-
CC := $(CROSS_COMPILE)gcc
LD := $(CROSS_COMPILE)ld
OBJCOPY := $(CROSS_COMPILE)objcopy
NM := $(CROSS_COMPILE)nm
HOSTCC ?= gcc

DEFCONFIG := qemu_virt_defconfig

# ---------------------------------------------------------------------------
# Goals: configuration targets and build targets given together (make
# allnoconfig all) run one after another, each in its own make.
config-targets := menuconfig guiconfig oldconfig olddefconfig defconfig \
	%_defconfig savedefconfig allnoconfig allyesconfig randconfig \
	listnewconfig
no-config-targets := clean mrproper help deps distclean run debug test hosttest bench fuzz soak uboot-run
mixed-goals := $(and $(filter $(config-targets),$(MAKECMDGOALS)), \
	$(filter-out $(config-targets),$(MAKECMDGOALS)))

ifneq ($(mixed-goals),)
$(MAKECMDGOALS): __sequential
	@:
__sequential:
	$(Q)set -e; for goal in $(MAKECMDGOALS); do \
		$(MAKE) -f $(srctree)/Makefile $$goal; done
.PHONY: __sequential $(MAKECMDGOALS)
else

# ---------------------------------------------------------------------------
# Configuration (Kconfiglib)
kconfig-tool = $(KCONFIG_RUN) -m $(1) Kconfig

menuconfig oldconfig olddefconfig allnoconfig allyesconfig listnewconfig:
	$(Q)$(call kconfig-tool,$@)

guiconfig:
	$(Q)$(PYTHON) -c 'import tkinter' 2>/dev/null || { echo "*** guiconfig needs" \
		"Tk for Python: apt-get install python3-tk (or use make menuconfig)" >&2; exit 1; }
	$(Q)$(call kconfig-tool,$@)

savedefconfig:
	$(Q)$(KCONFIG_RUN) -m savedefconfig --kconfig Kconfig --out $(objtree)/defconfig

defconfig: $(DEFCONFIG)

%_defconfig:
	$(Q)test -f $(srctree)/configs/$@ || \
		{ echo "*** No configuration configs/$@ (see 'make help')" >&2; exit 1; }
	$(Q)$(KCONFIG_RUN) -m defconfig --kconfig Kconfig configs/$@

randconfig:
	$(Q)$(KCONFIG_RUN) tools/kconfig/randconfig.py Kconfig

PHONY += $(config-targets)

# ---------------------------------------------------------------------------
# Build
need-config := $(filter-out $(config-targets) $(no-config-targets),$(or $(MAKECMDGOALS),all))

ifneq ($(need-config),)
ifeq ($(shell command -v $(CC)),)
$(error $(CC) not found: run 'make deps' (as root) to install the toolchain)
endif
ifneq ($(shell $(PYTHON) -c 'import kconfiglib' 2>/dev/null && echo ok),ok)
$(error $(PYTHON) cannot import kconfiglib: run 'make deps' (as root))
endif
ifeq ($(wildcard $(KCONFIG_CONFIG)),)
$(info *** No configuration found: using configs/$(DEFCONFIG))
$(shell $(KCONFIG_RUN) -m defconfig --kconfig Kconfig configs/$(DEFCONFIG) >/dev/null)
endif

# auto.conf and the rest are regenerated whenever .config or any Kconfig file
# changes; make then restarts with the new values.
-include $(objtree)/include/config/auto.conf.cmd
include $(objtree)/include/config/auto.conf

$(objtree)/include/config/auto.conf: $(KCONFIG_CONFIG)
	$(Q)$(KCONFIG_RUN) tools/kconfig/syncconfig.py Kconfig $(objtree)
	$(Q)touch $@

$(KCONFIG_CONFIG): ;
endif

include $(srctree)/tools/build/Kbuild.include

# ---------------------------------------------------------------------------
# Compiler flags
ISA := rv64ima$(if $(CONFIG_RISCV_ISA_C),c)_zicsr_zifencei
# -Os with compressed instructions: prologues and epilogues call libgcc's
# shared register save/restore (about a tenth of tiny_defconfig's text);
# the toolchain has a soft-float rv64imac multilib for it, not an rv64ima one.
save-restore := $(and $(CONFIG_CC_OPTIMIZE_FOR_SIZE),$(CONFIG_RISCV_ISA_C))
LIBGCC = $(shell $(CC) -march=rv64imac -mabi=lp64 -print-libgcc-file-name)
# $(objtree)/include first: an O= build must not take the generated headers
# of an in-tree build of the same sources.
KBUILD_CPPFLAGS := -D__KERNEL__ -nostdinc -isystem $(shell $(CC) -print-file-name=include) \
	-isystem $(shell $(CC) -print-file-name=include-fixed) \
	-I$(objtree)/include \
	-I$(srctree)/arch/riscv/include -I$(srctree)/include -I$(srctree)/include/uapi \
	-include $(srctree)/include/hartix/kconfig.h
KBUILD_CFLAGS := -std=gnu11 -ffreestanding -fno-common -fno-strict-aliasing \
	-fno-pic -fno-pie -fno-omit-frame-pointer \
	$(if $(CONFIG_STACKPROTECTOR),-fstack-protector-strong,-fno-stack-protector) \
	-fno-optimize-sibling-calls -march=$(ISA) -mabi=lp64 -mcmodel=medany \
	-mstrict-align -fmacro-prefix-map=$(srctree)/= \
	-Wall -Wextra -Werror -Wno-unused-parameter -Wmissing-prototypes \
	-Wstrict-prototypes -Wno-missing-field-initializers \
	$(if $(CONFIG_CC_OPTIMIZE_FOR_SIZE),-Os,-O2) $(if $(CONFIG_DEBUG_INFO),-g)
KBUILD_CFLAGS += $(if $(save-restore),-msave-restore,-mno-save-restore)
KBUILD_CFLAGS += $(if $(CONFIG_FRAME_POINTER),-fno-omit-frame-pointer,-fomit-frame-pointer)
KBUILD_CFLAGS += $(if $(CONFIG_LD_DEAD_CODE_DATA_ELIMINATION),-ffunction-sections -fdata-sections)
# CONFIG_LTO: objects hold GCC's intermediate form; the link generates the code.
KBUILD_CFLAGS += $(if $(CONFIG_LTO),-flto)
KBUILD_AFLAGS := -D__ASSEMBLY__ -march=$(ISA) -mabi=lp64 $(if $(CONFIG_DEBUG_INFO),-g)
KBUILD_LDFLAGS := -nostdlib --no-dynamic-linker -z noexecstack --build-id=none \
	-z max-page-size=4096 $(if $(CONFIG_RANDOMIZE_BASE),--emit-relocs)
KBUILD_LDFLAGS += $(if $(CONFIG_LD_DEAD_CODE_DATA_ELIMINATION),--gc-sections)

# ---------------------------------------------------------------------------
# Objects: descend from the top-level directories.
obj-dirs := arch/riscv init kernel mm block drivers lib fs
$(foreach d,$(obj-dirs),$(eval $(call descend,$(d))))

# User space: the libc, the programs and the initramfs the kernel embeds.
include $(srctree)/user/Makefile

lds := $(objtree)/arch/riscv/kernel/vmlinux.lds
fixdep := $(objtree)/tools/build/fixdep

# Generated headers must exist before the first compile; fixdep replaces the
# dependency on them with per-symbol ones afterwards.
build-prereqs := $(objtree)/include/config/auto.conf $(fixdep)

# Offsets of C structures for assembly (Linux's asm-offsets): the compiler
# leaves "->NAME value" markers in asm-offsets.s, sed makes #defines of them,
# and the header is replaced only when its text changes.
asm-offsets := $(objtree)/include/generated/asm-offsets.h
asm-offsets-s := $(objtree)/arch/riscv/kernel/asm-offsets.s

# -fno-lto: sed reads the markers from real assembly, not LTO's form.
quiet_cmd_cc_s_c = CC      $(call relpath,$@)
      cmd_cc_s_c = $(CC) $(KBUILD_CPPFLAGS) $(KBUILD_CFLAGS) -fno-lto -MD -MP -MF $(depfile) \
	-S -o $@ $<

$(asm-offsets-s): $(srctree)/arch/riscv/kernel/asm-offsets.c FORCE | $(build-prereqs)
	$(call if_changed_dep,cc_s_c)

$(asm-offsets): $(asm-offsets-s)
	$(Q){ echo "/* Generated from arch/riscv/kernel/asm-offsets.c: do not edit. */"; \
	  echo "#ifndef GENERATED_ASM_OFFSETS_H"; echo "#define GENERATED_ASM_OFFSETS_H"; \
	  sed -ne 's/^.*"->\([A-Za-z0-9_]*\) \(-\{0,1\}[0-9]*\)".*$$/#define \1 \2/p' $<; \
	  echo "#endif"; } > $@.tmp
	$(Q)if cmp -s $@ $@.tmp; then rm -f $@.tmp; else mv $@.tmp $@; fi

# The system call table's list (kernel/syscall_table.c), from the sources.
syscall-list := $(objtree)/include/generated/syscall-list.h
$(syscall-list): FORCE | $(build-prereqs)
	$(Q)$(PYTHON) $(srctree)/tools/build/syscalltbl.py $(srctree) $@

build-prereqs += $(asm-offsets) $(syscall-list)

quiet_cmd_cc_o_c = CC      $(call relpath,$@)
      cmd_cc_o_c = $(CC) $(KBUILD_CPPFLAGS) $(KBUILD_CFLAGS) $(ccflags-$(@D)) \
	$(CFLAGS_$@) -MD -MP -MF $(depfile) -c -o $@ $<

quiet_cmd_as_o_S = AS      $(call relpath,$@)
      cmd_as_o_S = $(CC) $(KBUILD_CPPFLAGS) $(KBUILD_AFLAGS) $(ccflags-$(@D)) \
	$(CFLAGS_$@) -MD -MP -MF $(depfile) -c -o $@ $<

quiet_cmd_cpp_lds_S = LDS     $(call relpath,$@)
      cmd_cpp_lds_S = $(CC) -E -P $(KBUILD_CPPFLAGS) -D__ASSEMBLY__ -DLINKER_SCRIPT \
	-MD -MP -MF $(depfile) -MT $@ -o $@ $<

$(objtree)/%.o: $(srctree)/%.c FORCE | $(build-prereqs)
	$(call if_changed_dep,cc_o_c)

$(objtree)/%.o: $(srctree)/%.S FORCE | $(build-prereqs)
	$(call if_changed_dep,as_o_S)

$(objtree)/%.lds: $(srctree)/%.lds.S FORCE | $(build-prereqs)
	$(call if_changed_dep,cpp_lds_S)

# ---------------------------------------------------------------------------
# Link. Generated tables are linked into the kernel from an earlier link:
# - CONFIG_KALLSYMS: the symbol table, at the end of .rodata. Text addresses
#   are the same with any table, which tools/kallsyms.py --verify checks.
# - CONFIG_RANDOMIZE_BASE: the relocation table (tools/relocs.py), at the end
#   of .data. Its own size moves only .bss, but the symbol table's size moves
#   .data, so it is taken from a link that already has the final symbol table.
link-objs := $(all-objs)

# Under CONFIG_LTO the compiler drives the link, with the flags it compiles
# with: the code is generated there, as one unit (one job, no partitions).
# Inlined across files at -O2, GCC's maybe-uninitialized analysis reports
# out-parameters set on every path it cannot follow (cache_refill()'s bad);
# builds without LTO keep the warning.
link-driver = $(if $(CONFIG_LTO),$(CC) $(KBUILD_CFLAGS) -Wno-maybe-uninitialized \
	-flto-partition=one -nostdlib \
	$(addprefix -Wl$(comma),$(KBUILD_LDFLAGS) -T $(lds) -Map=$@.map),\
	$(LD) $(KBUILD_LDFLAGS) -T $(lds) -Map=$@.map)

quiet_cmd_link = LD      $(call relpath,$@)
      cmd_link = $(link-driver) -o $@ \
	$(link-objs) $(2) $(if $(save-restore),$(LIBGCC))

quiet_cmd_kallsyms = KSYMS   $(call relpath,$@)
      cmd_kallsyms = $(NM) -n $< | $(PYTHON) $(srctree)/tools/kallsyms.py > $@

quiet_cmd_relocs = RELOCS  $(call relpath,$@)
      cmd_relocs = $(PYTHON) $(srctree)/tools/relocs.py $< > $@

quiet_cmd_cc_gen = CC      $(call relpath,$@)
      cmd_cc_gen = $(CC) $(KBUILD_CPPFLAGS) $(KBUILD_CFLAGS) -c -o $@ $<

ksyms0 := $(if $(CONFIG_KALLSYMS),$(objtree)/.tmp_kallsyms0.o)
ksyms1 := $(if $(CONFIG_KALLSYMS),$(objtree)/.tmp_kallsyms1.o)
relocs0 := $(if $(CONFIG_RANDOMIZE_BASE),$(objtree)/.tmp_relocs0.o)
relocs1 := $(if $(CONFIG_RANDOMIZE_BASE),$(objtree)/.tmp_relocs1.o)
# The link the relocation table is read from.
relocs-from := $(objtree)/.tmp_vmlinux$(if $(CONFIG_KALLSYMS),2,1)

# auto.conf: a configuration that drops an object leaves no newer prerequisite.
$(objtree)/.tmp_vmlinux1: $(link-objs) $(lds) $(ksyms0) $(relocs0) \
		$(objtree)/include/config/auto.conf
	$(call cmd,link,$(ksyms0) $(relocs0))

$(objtree)/.tmp_vmlinux2: $(link-objs) $(lds) $(ksyms1) $(relocs0)
	$(call cmd,link,$(ksyms1) $(relocs0))

$(objtree)/.tmp_kallsyms0.c:
	$(Q)$(PYTHON) $(srctree)/tools/kallsyms.py < /dev/null > $@

$(objtree)/.tmp_kallsyms1.c: $(objtree)/.tmp_vmlinux1 $(srctree)/tools/kallsyms.py
	$(call cmd,kallsyms)

$(objtree)/.tmp_relocs0.c:
	$(Q)echo "/* No relocations yet: the first link. */" > $@

$(objtree)/.tmp_relocs1.c: $(relocs-from) $(srctree)/tools/relocs.py
	$(call cmd,relocs)

$(objtree)/.tmp_%.o: $(objtree)/.tmp_%.c | $(build-prereqs)
	$(call cmd,cc_gen)

ifneq ($(ksyms1)$(relocs1),)
$(objtree)/vmlinux: $(objtree)/.tmp_vmlinux1 $(ksyms1) $(relocs1)
	$(call cmd,link,$(ksyms1) $(relocs1))
ifdef CONFIG_KALLSYMS
	$(Q)$(NM) -n $@ | $(PYTHON) $(srctree)/tools/kallsyms.py --verify $(objtree)/.tmp_kallsyms1.c
endif
ifdef CONFIG_RANDOMIZE_BASE
	$(Q)$(PYTHON) $(srctree)/tools/relocs.py --verify $@ $(objtree)/.tmp_relocs1.c
endif
else
$(objtree)/vmlinux: $(link-objs) $(lds) $(objtree)/include/config/auto.conf
	$(call cmd,link)
endif

quiet_cmd_sysmap = SYSMAP  $(call relpath,$@)
      cmd_sysmap = $(NM) -n $< | grep -v -e ' [aNUw] ' -e '\$$x' -e '\.L' > $@

$(objtree)/System.map: $(objtree)/vmlinux
	$(call cmd,sysmap)

quiet_cmd_objcopy = OBJCOPY $(call relpath,$@)
      cmd_objcopy = $(OBJCOPY) -O binary $< $@

image := $(objtree)/arch/riscv/boot/Image
$(image): $(objtree)/vmlinux
	@mkdir -p $(@D)
	$(call cmd,objcopy)
	$(Q)$(PYTHON) $(srctree)/tools/check-image.py $@
	@echo "  Kernel: $(call relpath,$@) is ready"

all: $(objtree)/vmlinux $(objtree)/System.map $(image)

vmlinux: $(objtree)/vmlinux
Image: $(image)

# Host build helpers.
$(fixdep): $(srctree)/tools/build/fixdep.c
	@mkdir -p $(@D)
	@echo "  HOSTCC  $(call relpath,$@)"
	$(Q)$(HOSTCC) -O2 -Wall -Wextra -Werror -o $@ $<

-include $(foreach o,$(all-objs) $(lds) $(asm-offsets-s),$(dir $(o)).$(notdir $(o)).cmd)

# .incbin is invisible to the dependency files.
$(objtree)/init/initramfs_data.o: $(initramfs-path)

PHONY += all vmlinux Image

# ---------------------------------------------------------------------------
# Clean
clean:
	$(Q)rm -rf $(objtree)/vmlinux $(objtree)/vmlinux.map $(objtree)/System.map \
		$(objtree)/.tmp_* $(objtree)/arch/riscv/boot/Image $(objtree)/build
	$(Q)find $(objtree) -path $(srctree)/.git -prune -o \
		\( -name '*.o' -o -name '.*.cmd' -o -name '*.d' -o -name '*.lds' \
		-o -name asm-offsets.s \) \
		-type f -print | xargs rm -f
	$(Q)rm -rf $(objtree)/tools/build/fixdep \
		$(filter-out %.c,$(wildcard $(objtree)/tools/testing/host/test_*))

mrproper distclean: clean
	$(Q)rm -rf $(objtree)/include/generated $(objtree)/include/config \
		$(KCONFIG_CONFIG) $(KCONFIG_CONFIG).old $(objtree)/defconfig

PHONY += clean mrproper distclean

include $(srctree)/tools/build/Makefile.run

endif # mixed-goals

PHONY += FORCE
FORCE:

.PHONY: $(PHONY)
