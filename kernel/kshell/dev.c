/* SPDX-License-Identifier: BSD-2-Clause */
/* Kernel shell commands about the machine and the build: devices, dt, bootargs, version. */
#include <hartix/boot.h>
#include <hartix/device.h>
#include <hartix/errno.h>
#include <hartix/fdt.h>
#include <hartix/params.h>
#include <hartix/string.h>
#include "kshell.h"

#define DT_MAX_DEPTH 16
#define DT_MAX_CELLS 32 /* of one value; the rest is elided */

static void print_device(const struct device *dev, void *arg)
{
	char path[128];

	if (fdt_get_path(dev->fdt, dev->node, path, sizeof(path)))
		strscpy(path, dev->name, sizeof(path));
	kshell_printf("%-40s -> %s\n", path, dev->driver->name);
	(*(unsigned int *)arg)++;
}

static int cmd_devices(int argc, char **argv)
{
	unsigned int n = 0;

	device_for_each(print_device, &n);
	kshell_printf("%u devices bound\n", n);
	return 0;
}
KSHELL_CMD("devices", cmd_devices, 0, 0, "", "device tree nodes and the drivers bound to them");

/* A string list: non-empty printable strings, each NUL-terminated. */
static bool is_string_list(const char *v, int len)
{
	int i, start = 0;

	if (len <= 0 || v[len - 1])
		return false;
	for (i = 0; i < len; i++) {
		if (!v[i]) {
			if (i == start)
				return false;
			start = i + 1;
		} else if (v[i] < ' ' || v[i] > '~') {
			return false;
		}
	}
	return true;
}

static void print_value(const u8 *v, int len)
{
	int i;

	if (!len)
		return;
	kshell_write(" = ", 3);
	if (is_string_list((const char *)v, len)) {
		for (i = 0; i < len; i += (int)strlen((const char *)v + i) + 1)
			kshell_printf("%s\"%s\"", i ? ", " : "",
				      (const char *)v + i);
	} else if (len % 4 == 0) {
		kshell_write("<", 1);
		for (i = 0; i < len / 4 && i < DT_MAX_CELLS; i++)
			kshell_printf("%s0x%x", i ? " " : "", fdt32_ld(v + 4 * i));
		kshell_printf("%s>", len / 4 > DT_MAX_CELLS ? " ..." : "");
	} else {
		kshell_write("[", 1);
		for (i = 0; i < len && i < 4 * DT_MAX_CELLS; i++)
			kshell_printf("%s%02x", i ? " " : "", v[i]);
		kshell_printf("%s]", len > 4 * DT_MAX_CELLS ? " ..." : "");
	}
}

static void print_node(const void *fdt, int node, int depth)
{
	const char *name = fdt_node_name(fdt, node);
	int prop, child, len;

	kshell_printf("%*s%s {\n", depth * 2, "", depth || *name ? name : "/");
	for (prop = fdt_first_prop(fdt, node); prop >= 0;
	     prop = fdt_next_prop(fdt, prop)) {
		const char *pname;
		const void *v = fdt_prop_by_offset(fdt, prop, &pname, &len);

		if (!v)
			break;
		kshell_printf("%*s%s", depth * 2 + 2, "", pname);
		print_value(v, len);
		kshell_write(";\n", 2);
	}
	if (depth + 1 >= DT_MAX_DEPTH) {
		if (fdt_first_child(fdt, node) >= 0)
			kshell_printf("%*s(deeper nodes not shown)\n",
				      depth * 2 + 2, "");
	} else {
		for (child = fdt_first_child(fdt, node); child >= 0;
		     child = fdt_next_sibling(fdt, child))
			print_node(fdt, child, depth + 1);
	}
	kshell_printf("%*s};\n", depth * 2, "");
}

static int cmd_dt(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/";
	int node = fdt_path_offset(boot_fdt, path, strlen(path));

	if (node < 0) {
		kshell_printf("dt: no node '%s' in the device tree\n", path);
		return -ENOENT;
	}
	print_node(boot_fdt, node, 0);
	return 0;
}
KSHELL_CMD("dt", cmd_dt, 0, 1, "[path]", "print a device tree subtree (default: all of it)");

static int cmd_bootargs(int argc, char **argv)
{
	kshell_write(boot_command_line, strlen(boot_command_line));
	kshell_write("\n", 1);
	return 0;
}
KSHELL_CMD("bootargs", cmd_bootargs, 0, 0, "", "the kernel command line");

static int cmd_version(int argc, char **argv)
{
	kshell_printf("Hartix %s (gcc %s)%s, riscv64\n", hartix_release,
		      __VERSION__, IS_ENABLED(CONFIG_SMP) ? " SMP" : "");
	return 0;
}
KSHELL_CMD("version", cmd_version, 0, 0, "", "the kernel's release and compiler");
