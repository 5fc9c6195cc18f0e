/* SPDX-License-Identifier: BSD-2-Clause */
/* Driver core: match device-tree nodes to registered drivers by compatible, in stage order. */
#include <hartix/device.h>
#include <hartix/errno.h>
#include <hartix/fdt.h>
#include <hartix/printk.h>
#include <hartix/string.h>

#define MAX_DEVICES 64

extern const struct driver *const __drivers_start[], *const __drivers_end[];

/* Filled by the boot hart during driver_probe_all(); read-only afterwards. */
static struct device devices[MAX_DEVICES];
static int nr_devices;

int device_reg(const struct device *dev, int index, u64 *addr, u64 *size)
{
	return fdt_reg_under(dev->fdt, dev->parent, dev->node, index, addr,
			     size);
}

bool device_read_u32(const struct device *dev, const char *prop, u32 *val)
{
	return fdt_getprop_u32(dev->fdt, dev->node, prop, val);
}

/*
 * A node lists its compatibles from most to least specific: the first one
 * any driver matches decides (the first such driver in link order).
 */
void device_for_each(void (*fn)(const struct device *dev, void *arg), void *arg)
{
	int i;

	for (i = 0; i < nr_devices; i++)
		fn(&devices[i], arg);
}

static const struct driver *match_node(const void *fdt, int node,
				       const struct of_device_id **id)
{
	const struct driver *const *d;
	const struct of_device_id *m;
	const char *c, *end;
	int len;

	c = fdt_getprop(fdt, node, "compatible", &len);
	if (!c)
		return NULL;
	for (end = c + len; c < end; c += strlen(c) + 1) {
		if (!memchr(c, '\0', end - c))
			break; /* unterminated: the property is malformed */
		for (d = __drivers_start; d < __drivers_end; d++)
			for (m = (*d)->of_match; m->compatible; m++)
				if (!strcmp(c, m->compatible)) {
					*id = m;
					return *d;
				}
	}
	return NULL;
}

static void bind(const void *fdt, int node, int parent,
		 const struct driver *drv, const struct of_device_id *id)
{
	struct device *dev;
	int err;

	dev = &devices[nr_devices];
	*dev = (struct device){ .fdt = fdt, .node = node, .parent = parent,
				.name = fdt_node_name(fdt, node),
				.driver = drv, .match_data = id->data };
	err = drv->probe(dev);
	/* As in Linux, -ENODEV says "nothing here" (an empty virtio slot). */
	if (err == -ENODEV)
		return;
	if (err) {
		pr_warn("%s: %s probe failed (error %d)\n", dev->name,
			drv->name, err);
		return;
	}
	nr_devices++;
	pr_info("%s: bound to %s\n", dev->name, drv->name);
}

struct pending_bind {
	int node, parent;
	const struct driver *drv;
	const struct of_device_id *id;
};

/*
 * One walk over the tree matches every node; binding then goes stage by
 * stage, in tree order within a stage. (Walking and matching are most of
 * the boot's device-tree cost, so they are not repeated per stage.)
 */
void driver_probe_all(const void *fdt)
{
	static struct pending_bind pending[MAX_DEVICES];
	int path[FDT_MAX_DEPTH]; /* the walk's ancestry: path[depth - 1] */
	enum driver_stage stage;
	int depth = 0, node, n = 0, i;

	for (node = fdt_next_enabled_node(fdt, -1, &depth); node >= 0;
	     node = fdt_next_enabled_node(fdt, node, &depth)) {
		const struct of_device_id *id;
		const struct driver *drv;

		if (depth > FDT_MAX_DEPTH) /* fdt_check() refuses such trees */
			break;
		path[depth - 1] = node;
		drv = match_node(fdt, node, &id);
		if (!drv)
			continue;
		if (n == MAX_DEVICES) {
			pr_warn("%s: more than %d devices, not bound\n",
				fdt_node_name(fdt, node), MAX_DEVICES);
			continue;
		}
		pending[n++] = (struct pending_bind){
			node, depth > 1 ? path[depth - 2] : -ENOENT, drv, id };
	}
	for (stage = 0; stage < DRIVER_STAGE_COUNT; stage++)
		for (i = 0; i < n; i++)
			if (pending[i].drv->stage == stage)
				bind(fdt, pending[i].node, pending[i].parent,
				     pending[i].drv, pending[i].id);
}
