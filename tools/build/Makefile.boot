# SPDX-License-Identifier: BSD-2-Clause
# Boot media for U-Boot, and QEMU booting through U-Boot the way a board does.
#
#   make sdcard     arch/riscv/boot/sdcard.img (whole disk, MBR + FAT), bootfs.img
#                   (the partition alone), bootfs/ (its files) and tftp/
#   make uboot-run  QEMU virt: OpenSBI -> U-Boot (Debian's u-boot-qemu, S-mode)
#                   -> distro boot finds boot.scr on a virtio disk -> booti
#
# Included from tools/build/Makefile.run: uses $(image) from the top-level
# Makefile and QEMU, SMP, MEM, BIOS, APPEND and QEMU_EXTRA from Makefile.run.
# The files are made by tools/boot/mkbootfs.sh (Documentation/boards/).

BOOT_DTB ?= $(srctree)/tools/testing/dtb/jh7110-starfive-visionfive-2-v1.3b.dtb
INITRD ?=
SDCARD_MIB ?= 64
UBOOT_BIN ?= /usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin
UBOOT_BOOT ?= disk

boot-dir := $(objtree)/arch/riscv/boot
sdcard-img := $(boot-dir)/sdcard.img
uboot-qemu-dir := $(boot-dir)/uboot-qemu
uboot-qemu-img := $(uboot-qemu-dir)/sdcard.img
mkbootfs := $(srctree)/tools/boot/mkbootfs.sh

boot-dtb := $(if $(filter-out none,$(BOOT_DTB)),$(abspath $(BOOT_DTB)))
boot-initrd := $(if $(INITRD),$(abspath $(INITRD)))
mkbootfs-opts = -q -d $(or $(boot-dtb),none) -s $(SDCARD_MIB) \
	$(if $(boot-initrd),-i $(boot-initrd)) \
	$(if $(APPEND),-a '$(call escsq,$(APPEND))')
mkbootfs-deps := $(image) $(mkbootfs) $(boot-dtb) $(boot-initrd)

# Rebuild when an input is newer or the options changed: the command is
# saved in .<file>.cmd next to the output, as for the objects.
define rule_boot
	$(call cmd,$(1))
	@printf '%s\n' 'savedcmd_$@ := $(make-cmd)' > $(dot-target).cmd
	$(if $(done_$(1)),@echo '  $(done_$(1))')
endef
if_changed_boot = $(if $(call if-changed-cond,$(1)),$(call rule_boot,$(1)),@:)

-include $(boot-dir)/.sdcard.img.cmd $(uboot-qemu-dir)/.sdcard.img.cmd

# The board's card: extlinux/extlinux.conf and boot.scr, whichever its U-Boot
# looks for first.
quiet_cmd_sdcard = SDCARD  $(call relpath,$@)
      cmd_sdcard = sh $(mkbootfs) $(mkbootfs-opts) $(image) $(@D)

done_sdcard = Disk: $(call relpath,$@) is ready (and bootfs.img, bootfs/, tftp/)

$(sdcard-img): $(mkbootfs-deps) FORCE
	$(call if_changed_boot,sdcard)

sdcard: $(sdcard-img)
	@:

all: $(if $(CONFIG_BOOT_SDCARD_IMAGE),$(sdcard-img))

# For QEMU: no extlinux.conf, so that distro boot runs boot.scr.
quiet_cmd_uboot_disk = DISK    $(call relpath,$@)
      cmd_uboot_disk = sh $(mkbootfs) -E $(mkbootfs-opts) $(image) $(@D)

$(uboot-qemu-img): $(mkbootfs-deps) FORCE
	$(call if_changed_boot,uboot_disk)

uboot-media-disk := -drive file=$(uboot-qemu-img),format=raw,if=none,id=hd0 \
	-device virtio-blk-device,drive=hd0
# QEMU's user network is its own DHCP and TFTP server (10.0.2.2); restrict=on
# keeps the guest from reaching anything else.
uboot-media-tftp := -netdev user,id=n0,restrict=on,tftp=$(uboot-qemu-dir)/tftp \
	-device virtio-net-device,netdev=n0

UBOOT_QEMU_CMD = $(QEMU) -M virt -smp $(SMP) -m $(MEM) -nographic \
	-bios $(bios-file) -kernel $(UBOOT_BIN) $(uboot-media-$(UBOOT_BOOT)) \
	$(QEMU_EXTRA)

# Like run: install what is missing first, then build in a fresh make.
uboot-run: deps
	$(Q)$(MAKE) -f $(srctree)/Makefile __uboot-run

__uboot-run: $(uboot-qemu-img)
	$(Q)test -f $(UBOOT_BIN) || { echo "*** $(UBOOT_BIN) not found:" \
		"apt-get install u-boot-qemu (or run 'make deps')" >&2; exit 1; }
	$(Q)case '$(UBOOT_BOOT)' in disk|tftp) ;; *) echo "*** UBOOT_BOOT=$(UBOOT_BOOT):" \
		"use disk or tftp" >&2; exit 1;; esac
	@echo "  QEMU    virt, $(SMP) harts, $(MEM): OpenSBI -> U-Boot -> $(if \
		$(filter tftp,$(UBOOT_BOOT)),TFTP,virtio disk) -> boot.scr -> booti (quit: Ctrl-A x)"
	$(Q)$(UBOOT_QEMU_CMD)

boot-clean:
	$(Q)rm -rf $(sdcard-img) $(boot-dir)/.sdcard.img.cmd $(boot-dir)/bootfs.img \
		$(boot-dir)/bootfs $(boot-dir)/tftp $(uboot-qemu-dir)

clean: boot-clean

PHONY += sdcard uboot-run __uboot-run boot-clean
