/* SPDX-License-Identifier: BSD-2-Clause */
/* The driver model: drivers bound to device-tree nodes by compatible string. */
#ifndef HARTIX_DEVICE_H
#define HARTIX_DEVICE_H

#include <hartix/compiler.h>
#include <hartix/types.h>

struct of_device_id {
	const char *compatible;
	const void *data;
};

/* Drivers probe in stage order: what others depend on comes first. */
enum driver_stage {
	DRIVER_STAGE_IRQCHIP,
	DRIVER_STAGE_NORMAL,
	DRIVER_STAGE_COUNT,
};

struct device {
	const void *fdt;
	int node;
	int parent; /* the node's parent: its cells decode reg */
	const char *name; /* node name, e.g. "serial@10000000" */
	const struct driver *driver;
	const void *match_data; /* of_device_id.data of the entry that matched */
	void *priv;
};

struct driver {
	const char *name;
	const struct of_device_id *of_match; /* ends with an empty entry */
	enum driver_stage stage;
	int (*probe)(struct device *dev);
};

#define driver_register(drv)                                             \
	static const struct driver *const __driver_##drv __used           \
		__section(".drivers") __aligned(8) = &drv

/* The n-th reg entry, translated to a CPU physical address. */
int device_reg(const struct device *dev, int index, u64 *addr, u64 *size);
bool device_read_u32(const struct device *dev, const char *prop, u32 *val);

/* Calls fn for every bound device, in probe order (after boot). */
void device_for_each(void (*fn)(const struct device *dev, void *arg), void *arg);

/* Binds every enabled node to the driver that matches it best. */
void driver_probe_all(const void *fdt);

#endif
