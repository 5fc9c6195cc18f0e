#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""Bring .config up to date with the Kconfig files and generate what the build reads.

Writes include/generated/autoconf.h, include/config/auto.conf, the per-symbol
files of include/config/ (Kconfiglib's sync_deps, read through fixdep) and
include/config/auto.conf.cmd (the Kconfig files auto.conf depends on).
Every file is rewritten only when its contents change, so an unchanged
configuration rebuilds nothing.
"""
import os
import sys

import kconfiglib


def write_if_changed(path, text):
    try:
        with open(path) as f:
            if f.read() == text:
                return
    except OSError:
        pass
    with open(path, "w") as f:
        f.write(text)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: syncconfig.py KCONFIG OBJTREE")
    kconf = kconfiglib.Kconfig(sys.argv[1], warn_to_stderr=True)
    objtree = sys.argv[2]
    config = os.environ.get("KCONFIG_CONFIG", ".config")
    if not os.path.exists(config):
        sys.exit("*** Configuration file '%s' not found.\n"
                 "*** Run 'make defconfig' or 'make menuconfig' first." % config)
    kconf.load_config(config)

    new = [sym.name for sym in kconf.unique_defined_syms
           if sym.user_value is None and sym.visibility and sym.type
           and not sym.choice]
    new += [sym.name for choice in kconf.unique_choices
            if choice.user_selection is None and choice.visibility
            for sym in choice.syms[:1]]
    if new:
        print("*** New configuration symbols take their defaults: %s"
              % " ".join(sorted(new)))
    msg = kconf.write_config(config)
    if not msg.startswith("No change"):
        print("  SYNC    %s" % os.path.relpath(config))

    os.makedirs(os.path.join(objtree, "include", "generated"), exist_ok=True)
    os.makedirs(os.path.join(objtree, "include", "config"), exist_ok=True)
    kconf.write_autoconf(os.path.join(objtree, "include", "generated",
                                      "autoconf.h"))
    kconf.sync_deps(os.path.join(objtree, "include", "config"))

    deps = " \\\n\t".join(os.path.join(kconf.srctree, f)
                          for f in kconf.kconfig_filenames)
    write_if_changed(os.path.join(objtree, "include", "config",
                                  "auto.conf.cmd"),
                     "deps_config := \\\n\t%s\n\n"
                     "$(objtree)/include/config/auto.conf: $(deps_config)\n\n"
                     "$(deps_config):\n" % deps)


if __name__ == "__main__":
    main()
