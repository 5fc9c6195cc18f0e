#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""Write a random but valid configuration (make randconfig).

Walks the menu tree in order so each answer sees the values chosen before it:
a symbol is only set to a value Kconfiglib lists as assignable (which honours
depends on and select), an int/hex symbol gets a value inside its active
range, and a visible choice gets one of its visible members.  KCONFIG_SEED
(decimal or 0x-hex) makes the result reproducible; the seed is printed.
"""
import os
import random
import sys

import kconfiglib


def active_range(sym):
    for low, high, cond in sym.ranges:
        if kconfiglib.expr_value(cond):
            base = 16 if sym.type == kconfiglib.HEX else 10
            return int(low.str_value, base), int(high.str_value, base)
    return None


def randomize_symbol(rng, sym):
    if sym.choice or not sym.visibility:
        return
    if sym.type in (kconfiglib.BOOL, kconfiglib.TRISTATE):
        values = [v for v in sym.assignable if v != 1]
        if values:
            sym.set_value(rng.choice(values))
    elif sym.type in (kconfiglib.INT, kconfiglib.HEX):
        bounds = active_range(sym)
        if bounds:
            value = rng.randint(*bounds)
            sym.set_value(hex(value) if sym.type == kconfiglib.HEX
                          else str(value))


def randomize_choice(rng, choice):
    members = [sym for sym in choice.syms if sym.visibility]
    if choice.visibility and members:
        rng.choice(members).set_value(2)


def walk(rng, node):
    while node:
        if isinstance(node.item, kconfiglib.Symbol):
            randomize_symbol(rng, node.item)
        elif isinstance(node.item, kconfiglib.Choice):
            randomize_choice(rng, node.item)
        if node.list:
            walk(rng, node.list)
        node = node.next


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: randconfig.py KCONFIG")
    seed_text = os.environ.get("KCONFIG_SEED")
    if seed_text:
        try:
            seed = int(seed_text, 0)
        except ValueError:
            sys.exit("KCONFIG_SEED=%r is not a number" % seed_text)
    else:
        seed = random.SystemRandom().getrandbits(32)
    print("KCONFIG_SEED=0x%x" % seed)
    kconf = kconfiglib.Kconfig(sys.argv[1], warn_to_stderr=True)
    walk(random.Random(seed), kconf.top_node)
    print(kconf.write_config(os.environ.get("KCONFIG_CONFIG", ".config")))


if __name__ == "__main__":
    main()
