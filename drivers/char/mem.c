// SPDX-License-Identifier: BSD-2-Clause
/* Memory devices, major 1: /dev/null, zero, full, random and urandom. */
#include <hartix/chrdev.h>
#include <hartix/errno.h>
#include <hartix/fs.h>
#include <hartix/kernel.h>
#include <hartix/random.h>
#include <hartix/sched.h>
#include <hartix/signal.h>
#include <hartix/uaccess.h>

static long null_read(struct file *f, char *ubuf, size_t n)
{
	return 0;
}

static long null_write(struct file *f, const char *ubuf, size_t n)
{
	return (long)n;
}

static long null_write_kernel(struct file *f, const char *buf, size_t n)
{
	return (long)n;
}

static const struct file_operations null_fops = {
	.read = null_read, .write = null_write,
	.write_kernel = null_write_kernel, .seekable = true,
};

#define ZERO_CHUNK (64 * 1024)

/* In pieces: a read of gigabytes lets others run and ends on SIGKILL. */
static long zero_read(struct file *f, char *ubuf, size_t n)
{
	size_t done = 0, chunk, left;

	while (done < n) {
		if (done && fatal_signal_pending(current_task()))
			break;
		cond_resched();
		chunk = min(n - done, (size_t)ZERO_CHUNK);
		left = clear_user(ubuf + done, chunk);
		done += chunk - left;
		if (left)
			return done ? (long)done : -EFAULT;
	}
	return (long)done;
}

const struct file_operations zero_fops = {
	.read = zero_read, .write = null_write, .seekable = true,
};

/* /dev/full: reads as /dev/zero, every write finds the disk full. */
static long full_write(struct file *f, const char *ubuf, size_t n)
{
	return -ENOSPC;
}

static const struct file_operations full_fops = {
	.read = zero_read, .write = full_write, .seekable = true,
};

/* Both names, one generator (kernel/random.c): it never blocks. */
static long random_read(struct file *f, char *ubuf, size_t n)
{
	return random_read_user(ubuf, n);
}

static long random_write(struct file *f, const char *ubuf, size_t n)
{
	return random_write_user(ubuf, n);
}

static const struct file_operations random_fops = {
	.read = random_read, .write = random_write,
};

/* Minor by minor, as Linux's drivers/char/mem.c; the unlisted ones have no driver. */
static const struct chrdev_node null_nodes[] = { { "null", 3, 0666 }, { NULL, 0, 0 } };
static const struct chrdev_node zero_nodes[] = { { "zero", 5, 0666 }, { NULL, 0, 0 } };
static const struct chrdev_node full_nodes[] = { { "full", 7, 0666 }, { NULL, 0, 0 } };
static const struct chrdev_node random_nodes[] = {
	{ "random", 8, 0666 }, { "urandom", 9, 0666 }, { NULL, 0, 0 },
};

static const struct chrdev_region mem_null = { 1, 3, 1, &null_fops, null_nodes };
static const struct chrdev_region mem_zero = { 1, 5, 1, &zero_fops, zero_nodes };
static const struct chrdev_region mem_full = { 1, 7, 1, &full_fops, full_nodes };
static const struct chrdev_region mem_random = { 1, 8, 2, &random_fops, random_nodes };
DEFINE_CHRDEV(mem_null);
DEFINE_CHRDEV(mem_zero);
DEFINE_CHRDEV(mem_full);
DEFINE_CHRDEV(mem_random);
