/* SPDX-License-Identifier: BSD-2-Clause */
/* /proc/mounts (and /proc/<pid>/mounts), /proc/filesystems and /proc/loadavg, in Linux's formats. */
#include <hartix/exec.h>
#include <hartix/fs.h>
#include <hartix/kernel.h>
#include <hartix/loadavg.h>
#include <asm/page.h>

#include "internal.h"
#include "proc_internal.h"

/*
 * The mounts there are: the RAM file system the initramfs was unpacked
 * into, on / (Linux's rootfs when nothing is mounted over it: /dev and
 * /tmp are directories in it, not mounts of their own), /proc, then those
 * mount(2) made. One mount table for every process. size= is the page
 * budget, as tmpfs shows.
 */
int show_mounts(struct seq *m, int pid, int tid)
{
	unsigned long used, max;

	/* A root on a disk (root=) and its /dev and /proc are in the table. */
	if (READ_ONCE(fs_root->i_mounted))
		return show_mount_table(m);
	fs_data_pages(&used, &max);
	seq_printf(m, "rootfs / rootfs rw,size=%luk 0 0\n",
		   max * (PAGE_SIZE / 1024));
	seq_printf(m, "proc /proc proc rw,relatime 0 0\n");
	return show_mount_table(m);
}

/*
 * The file system types this kernel has: the two not on the VFS yet,
 * then those registered with DEFINE_FILESYSTEM().
 */
int show_filesystems(struct seq *m, int pid, int tid)
{
	struct file_system_type *const *t;

	seq_printf(m, "nodev\trootfs\nnodev\tproc\n");
	for (t = __filesystems_start; t < __filesystems_end; t++)
		seq_printf(m, "%s\t%s\n",
			   (*t)->fs_flags & FS_REQUIRES_DEV ? "" : "nodev",
			   (*t)->name);
	return 0;
}

/* Linux's format: the averages, running/all tasks, the last pid given. */
int show_loadavg(struct seq *m, int pid, int tid)
{
	unsigned long avnrun[3], created, running;
	unsigned int i;

	get_avenrun(avnrun);
	for (i = 0; i < 3; i++)
		avnrun[i] += FIXED_1 / 200; /* rounds to two decimals */
	process_counts(&created, &running);
	seq_printf(m, "%lu.%02lu %lu.%02lu %lu.%02lu %lu/%u %d\n",
		   LOAD_INT(avnrun[0]), LOAD_FRAC(avnrun[0]),
		   LOAD_INT(avnrun[1]), LOAD_FRAC(avnrun[1]),
		   LOAD_INT(avnrun[2]), LOAD_FRAC(avnrun[2]), running,
		   process_count(), sched_last_pid());
	return 0;
}
