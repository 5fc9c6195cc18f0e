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
	return fdt_reg(dev->fdt, dev->node, index, addr, size);
}

bool device_read_u32(const struct device *dev, const char *prop, u32 *val)
{
	return fdt_getprop_u32(dev->fdt, dev->node, prop, val);
}

/*
 * A node lists its compatibles from most to least specific; the driver
 * matching the earliest one wins. Returns that position, or -1.
 */
void device_for_each(void (*fn)(const struct device *dev, void *arg), void *arg)
{
	int i;

	for (i = 0; i < nr_devices; i++)
		fn(&devices[i], arg);
}

static int match_rank(const char *compat, int len, const struct driver *drv,
		      const struct of_device_id **id)
{
	const struct of_device_id *m;
	int rank, best = -1;

	for (m = drv->of_match; m->compatible; m++) {
		for (rank = 0;; rank++) {
			const char *c = fdt_stringlist_get(compat, len, rank);

			if (!c || (best >= 0 && rank >= best))
				break;
			if (!strcmp(c, m->compatible)) {
				best = rank;
				*id = m;
				break;
			}
		}
	}
	return best;
}

static void bind(const void *fdt, int node, const struct driver *drv,
		 const struct of_device_id *id)
{
	struct device *dev;
	int err;

	if (nr_devices == MAX_DEVICES) {
		pr_warn("%s: more than %d devices, not bound\n",
			fdt_node_name(fdt, node), MAX_DEVICES);
		return;
	}
	dev = &devices[nr_devices];
	*dev = (struct device){ .fdt = fdt, .node = node,
				.name = fdt_node_name(fdt, node),
				.driver = drv, .match_data = id->data };
	err = drv->probe(dev);
	if (err) {
		pr_warn("%s: %s probe failed (error %d)\n", dev->name,
			drv->name, err);
		return;
	}
	nr_devices++;
	pr_info("%s: bound to %s\n", dev->name, drv->name);
}

static void probe_node(const void *fdt, int node, enum driver_stage stage)
{
	const struct driver *const *d, *best = NULL;
	const struct of_device_id *id, *best_id = NULL;
	int len, rank, best_rank = -1;
	const char *compat = fdt_getprop(fdt, node, "compatible", &len);

	if (!compat)
		return;
	for (d = __drivers_start; d < __drivers_end; d++) {
		if ((*d)->stage != stage)
			continue;
		rank = match_rank(compat, len, *d, &id);
		if (rank >= 0 && (best_rank < 0 || rank < best_rank)) {
			best = *d;
			best_id = id;
			best_rank = rank;
		}
	}
	if (best)
		bind(fdt, node, best, best_id);
}

void driver_probe_all(const void *fdt)
{
	enum driver_stage stage;

	for (stage = 0; stage < DRIVER_STAGE_COUNT; stage++) {
		int depth = 0, node;

		for (node = fdt_next_enabled_node(fdt, -1, &depth); node >= 0;
		     node = fdt_next_enabled_node(fdt, node, &depth))
			probe_node(fdt, node, stage);
	}
}
