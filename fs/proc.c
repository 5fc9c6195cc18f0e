/* SPDX-License-Identifier: BSD-2-Clause */
/* /proc: read-only files made from kernel state when opened, in Linux's formats. */
#include <hartix/binfmt_wasm.h>
#include <hartix/boot.h>
#include <hartix/errno.h>
#include <hartix/exec.h>
#include <hartix/fdt.h>
#include <hartix/fdt_scan.h>
#include <hartix/fs.h>
#include <hartix/irq.h>
#include <hartix/kallsyms.h>
#include <hartix/kernel.h>
#include <hartix/kptr.h>
#include <hartix/mm.h>
#include <hartix/mmap.h>
#include <hartix/sched.h>
#include <hartix/slab.h>
#include <hartix/smp.h>
#include <hartix/sprintf.h>
#include <hartix/string.h>
#include <hartix/time.h>
#include <hartix/uaccess.h>
#include <hartix/vmalloc.h>
#include <asm/pgtable.h>
#include <stdarg.h>

#include "internal.h"
#include "proc_internal.h"

/* Linux's units: clock ticks of USER_HZ in times, the "cpu" lines in jiffies of it too. */
#define USER_HZ 100
#define TICKS_TO_CLOCK(t) ((t) * USER_HZ / CONFIG_HZ)
#define NSEC_TO_CLOCK(ns) ((u64)((ns) / (NSEC_PER_SEC / USER_HZ)))

/* The largest file: a /proc/<pid>/maps of 16k regions. */
#define PROC_MAX_SIZE (1UL << 20)

__printf(2, 3) void seq_printf(struct seq *m, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(m->len < m->size ? m->buf + m->len : NULL,
		      m->len < m->size ? m->size - m->len : 0, fmt, ap);
	va_end(ap);
	m->len += (size_t)n;
}

static void seq_puts(struct seq *m, const char *s)
{
	seq_printf(m, "%s", s);
}

/* Spaces up to column col of the current line (seq_pad() in Linux). */
static void seq_pad_to(struct seq *m, size_t line_start, size_t col)
{
	if (m->len < line_start + col)
		seq_printf(m, "%*s", (int)(line_start + col - m->len), "");
}

/* ---------------------------------------------------------------------- */
/* The files at the top */

static int show_uptime(struct seq *m, int pid, int tid)
{
	u64 up = NSEC_TO_CLOCK(ktime_get_ns()), idle = 0;
	unsigned int cpu;

	/* Idle time summed over the harts, as Linux does (it can exceed uptime). */
	for_each_online_cpu(cpu)
		idle += READ_ONCE(cpus[cpu].idle_ticks);
	idle = TICKS_TO_CLOCK(idle);
	seq_printf(m, "%lu.%02lu %lu.%02lu\n", up / USER_HZ, up % USER_HZ,
		   idle / USER_HZ, idle % USER_HZ);
	return 0;
}

static int show_version(struct seq *m, int pid, int tid)
{
	seq_puts(m, proc_version_line);
	return 0;
}

static void show_cpu_line(struct seq *m, const char *name, u64 user,
			  u64 system, u64 idle)
{
	/* user nice system idle iowait irq softirq steal guest guest_nice */
	seq_printf(m, "%s %lu 0 %lu %lu 0 0 0 0 0 0\n", name,
		   TICKS_TO_CLOCK(user), TICKS_TO_CLOCK(system),
		   TICKS_TO_CLOCK(idle));
}

static int show_stat(struct seq *m, int pid, int tid)
{
	u64 user = 0, system = 0, idle = 0, ctxt = 0, intr = 0;
	unsigned long created, running;
	unsigned int cpu, irq, k, nr = irq_nr_irqs();
	char name[16];

	for_each_online_cpu(cpu) {
		const struct cpu *c = &cpus[cpu];

		user += READ_ONCE(c->user_ticks);
		system += READ_ONCE(c->system_ticks);
		idle += READ_ONCE(c->idle_ticks);
		ctxt += READ_ONCE(c->context_switches);
		intr += READ_ONCE(c->timer_irqs) + READ_ONCE(c->irqs) +
			READ_ONCE(c->ipis);
	}
	show_cpu_line(m, "cpu ", user, system, idle);
	for_each_online_cpu(cpu) {
		const struct cpu *c = &cpus[cpu];

		snprintf(name, sizeof(name), "cpu%u", cpu);
		show_cpu_line(m, name, READ_ONCE(c->user_ticks),
			      READ_ONCE(c->system_ticks),
			      READ_ONCE(c->idle_ticks));
	}
	/* Total, then one count per interrupt number from 0. */
	seq_printf(m, "intr %lu 0", intr);
	for (irq = 1; irq <= nr; irq++)
		seq_printf(m, " %lu", irq_count(irq));
	process_counts(&created, &running);
	/* CLOCK_REALTIME starts at boot here (no RTC offset), so btime is 0. */
	seq_printf(m, "\nctxt %lu\nbtime 0\nprocesses %lu\nprocs_running %lu\n"
		   "procs_blocked 0\nsoftirq 0", ctxt, created, running);
	for (k = 0; k < 10; k++)
		seq_puts(m, " 0");
	seq_puts(m, "\n");
	return 0;
}

static const char *const ipi_names[NR_IPI] = {
	[IPI_CALL] = "Function call interrupts",
	[IPI_RESCHED] = "Rescheduling interrupts",
	[IPI_STOP] = "CPU stop interrupts",
	[IPI_BACKTRACE] = "CPU backtrace interrupts",
};

static int show_interrupts(struct seq *m, int pid, int tid)
{
	unsigned int cpu, irq, k, nr = irq_nr_irqs(), prec = 3, j;
	const char *chip = irq_chip_name(), *name;

	for (j = 1000; prec < 10 && j <= nr + 1; j *= 10)
		prec++;
	seq_printf(m, "%*s", prec + 8, "");
	for_each_online_cpu(cpu)
		seq_printf(m, "CPU%-8u", cpu);
	seq_puts(m, "\n");
	for (irq = 1; irq <= nr; irq++) {
		name = irq_name(irq);
		if (!name)
			continue;
		seq_printf(m, "%*u: ", prec, irq);
		for_each_online_cpu(cpu)
			seq_printf(m, "%10lu ", irq_count_cpu(irq, cpu));
		seq_printf(m, " %8s %*u %-8s  %s\n", chip, prec, irq, "Level",
			   name);
	}
	/* The timer is the hart's own interrupt 5 (Linux: RISC-V INTC). */
	seq_printf(m, "%*u: ", prec, nr + 1);
	for_each_online_cpu(cpu)
		seq_printf(m, "%10lu ", READ_ONCE(cpus[cpu].timer_irqs));
	seq_printf(m, " %8s %*u %-8s  %s\n", "RISC-V INTC", prec, 5, "Edge",
		   "riscv-timer");
	for (k = 0; k < NR_IPI; k++) {
		seq_printf(m, "%*s%u:%s", prec - 1, "IPI", k, prec >= 4 ? " " : "");
		for_each_online_cpu(cpu)
			seq_printf(m, "%10lu ",
				   READ_ONCE(cpus[cpu].ipi_kinds[k]));
		seq_printf(m, " %s\n", ipi_names[k]);
	}
	return 0;
}

static const struct fdt_cpu *fdt_cpu_of(unsigned long hartid)
{
	int i;

	for (i = 0; i < boot_info.ncpus; i++)
		if (boot_info.cpu[i].hartid == hartid)
			return &boot_info.cpu[i];
	return NULL;
}

/*
 * Linux's format, text symbols only (all this table has), each address as
 * kptr_restrict allows: a user program learns neither the base nor,
 * under the default hashing, any address at all.
 */
static int show_kallsyms(struct seq *m, int pid, int tid)
{
	unsigned long addr;
	const char *name;
	unsigned int i;

	for (i = 0; (name = kallsyms_symbol(i, &addr)); i++)
		seq_printf(m, "%016lx t %s\n", kptr_value((void *)addr), name);
	return 0;
}

static int show_cpuinfo(struct seq *m, int pid, int tid)
{
	unsigned int cpu;

	for_each_online_cpu(cpu) {
		const struct fdt_cpu *fc = fdt_cpu_of(cpu_hartid(cpu));
		const char *compat = NULL;
		int len = 0;

		seq_printf(m, "processor\t: %u\nhart\t\t: %lu\n", cpu,
			   cpu_hartid(cpu));
		if (fc && (fc->isa || fc->isa_base))
			seq_printf(m, "isa\t\t: %s\n",
				   fc->isa ? fc->isa : fc->isa_base);
		/* Hartix always runs user space in Sv39. */
		seq_puts(m, "mmu\t\t: sv39\n");
		if (fc)
			compat = fdt_getprop(boot_fdt, fc->node, "compatible",
					     &len);
		if (compat && len > 0 && strnlen(compat, (size_t)len) < (size_t)len &&
		    strcmp(compat, "riscv"))
			seq_printf(m, "uarch\t\t: %s\n", compat);
		seq_puts(m, "\n");
	}
	return 0;
}

static void show_kb(struct seq *m, const char *name, u64 pages)
{
	seq_printf(m, "%-16s%8lu kB\n", name, pages * (PAGE_SIZE / 1024));
}

static int show_meminfo(struct seq *m, int pid, int tid)
{
	struct page_alloc_stats s;
	u64 slab, free;

	/* As sysinfo(): what the slab caches hold free is free memory. */
	kmem_cache_shrink_all();
	slab = kmem_slab_pages();
	page_alloc_get_stats(&s);
	free = s.free_pages + s.cached_pages;
	show_kb(m, "MemTotal:", s.total_pages);
	show_kb(m, "MemFree:", free);
	show_kb(m, "MemAvailable:", free);
	show_kb(m, "Buffers:", 0);
	show_kb(m, "Cached:", 0);
	show_kb(m, "SwapCached:", 0);
	show_kb(m, "SwapTotal:", 0);
	show_kb(m, "SwapFree:", 0);
	show_kb(m, "Shmem:", 0);
	show_kb(m, "Slab:", slab);
	show_kb(m, "SReclaimable:", 0);
	show_kb(m, "SUnreclaim:", slab);
	/* Hartix's own: see kernel_pgtable_pages(). */
	show_kb(m, "KernelPageTables:", kernel_pgtable_pages());
	return 0;
}

/* ---------------------------------------------------------------------- */
/* /proc/<pid>/ */

static char state_char(enum task_state st)
{
	switch (st) {
	case TASK_RUNNING:
	case TASK_RUNNABLE:
		return 'R';
	case TASK_SLEEPING:
		return 'S';
	default:
		return 'Z';
	}
}

static const char *state_name(enum task_state st)
{
	switch (st) {
	case TASK_RUNNING:
	case TASK_RUNNABLE:
		return "R (running)";
	case TASK_SLEEPING:
		return "S (sleeping)";
	default:
		return "Z (zombie)";
	}
}

/* Sizes of an address space, in pages; under mm->lock. */
struct mm_sizes {
	u64 total, rss, data, stack, exec;
};

static void mm_sizes(struct mm *mm, struct mm_sizes *sz)
{
	struct vma *v;

	memset(sz, 0, sizeof(*sz));
	spin_lock(&mm->lock);
	vma_for_each(v, &mm->vmas) {
		u64 pages = (v->end - v->start) / PAGE_SIZE;

		sz->total += pages;
		if (v->flags & VM_GROWSDOWN)
			sz->stack += pages;
		else if (v->prot & VM_EXEC)
			sz->exec += pages;
		else if ((v->prot & VM_WRITE) && !(v->flags & VM_SHARED))
			sz->data += pages;
	}
	sz->rss = mm->rss;
	spin_unlock(&mm->lock);
}

#define PF_KTHREAD 0x00200000 /* Linux's flag for kernel threads */

static int show_pid_stat(struct seq *m, int pid, int tid)
{
	struct task_snapshot t;
	struct mm_sizes sz = { 0 };
	unsigned long brk_start = 0;

	if (!process_snapshot(pid, tid, &t))
		return -ESRCH;
	if (t.mm) {
		mm_sizes(t.mm, &sz);
		brk_start = t.mm->brk_start;
		mm_put(t.mm);
	}
	/* pid (comm) state ppid pgrp session tty_nr tpgid flags */
	seq_printf(m, "%d (%s) %c %d %d %d 0 -1 %u ", t.pid, t.comm,
		   state_char(t.state), t.ppid, t.pgid, t.sid,
		   t.mm || t.state == TASK_ZOMBIE ? 0 : PF_KTHREAD);
	/* minflt cminflt majflt cmajflt utime stime cutime cstime */
	seq_printf(m, "%lu 0 0 0 %lu %lu 0 0 ", t.min_flt,
		   TICKS_TO_CLOCK(t.utime_ticks),
		   TICKS_TO_CLOCK(t.runtime_ticks - t.utime_ticks));
	/* priority nice num_threads itrealvalue starttime vsize rss rsslim */
	seq_printf(m, "20 0 %d 0 %lu %lu %lu 18446744073709551615 ",
		   t.nr_threads, NSEC_TO_CLOCK(t.start_ns), sz.total * PAGE_SIZE,
		   sz.rss);
	/*
	 * startcode endcode startstack kstkesp kstkeip signal blocked
	 * sigignore sigcatch wchan nswap cnswap exit_signal processor
	 * rt_priority policy delayacct_blkio_ticks guest_time cguest_time
	 * start_data end_data start_brk arg_start arg_end env_start env_end
	 * exit_code
	 */
	seq_printf(m, "0 0 0 0 0 0 0 0 0 0 0 0 17 %u 0 0 0 0 0 0 0 %lu 0 0 0 0 0\n",
		   t.cpu, brk_start);
	return 0;
}

static void status_kb(struct seq *m, const char *name, u64 pages)
{
	seq_printf(m, "%s:\t%8lu kB\n", name, pages * (PAGE_SIZE / 1024));
}

static int show_pid_status(struct seq *m, int pid, int tid)
{
	struct task_snapshot t;
	struct mm_sizes sz;

	if (!process_snapshot(pid, tid, &t))
		return -ESRCH;
	seq_printf(m, "Name:\t%s\nUmask:\t0022\nState:\t%s\nTgid:\t%d\nNgid:\t0\n"
		   "Pid:\t%d\nPPid:\t%d\nTracerPid:\t0\nUid:\t0\t0\t0\t0\n"
		   "Gid:\t0\t0\t0\t0\nFDSize:\t%d\nGroups:\t\nNStgid:\t%d\n"
		   "NSpid:\t%d\nNSpgid:\t%d\nNSsid:\t%d\n",
		   t.comm, state_name(t.state), t.tgid, t.pid, t.ppid, NR_OPEN,
		   t.tgid, t.pid, t.pgid, t.sid);
	if (t.mm) {
		mm_sizes(t.mm, &sz);
		mm_put(t.mm);
		/* No peaks are kept: the peaks are today's values. */
		status_kb(m, "VmPeak", sz.total);
		status_kb(m, "VmSize", sz.total);
		status_kb(m, "VmLck", 0);
		status_kb(m, "VmPin", 0);
		status_kb(m, "VmHWM", sz.rss);
		status_kb(m, "VmRSS", sz.rss);
		status_kb(m, "RssAnon", sz.rss);
		status_kb(m, "RssFile", 0);
		status_kb(m, "RssShmem", 0);
		status_kb(m, "VmData", sz.data);
		status_kb(m, "VmStk", sz.stack);
		status_kb(m, "VmExe", sz.exec);
		status_kb(m, "VmLib", 0);
		status_kb(m, "VmSwap", 0);
	}
	seq_printf(m, "Threads:\t%d\nSigPnd:\t0000000000000000\n"
		   "ShdPnd:\t0000000000000000\n", t.nr_threads);
	return 0;
}

static int show_pid_maps(struct seq *m, int pid, int tid)
{
	struct task_snapshot t;
	struct vma *v;

	if (!process_snapshot(pid, tid, &t))
		return -ESRCH;
	if (!t.mm)
		return 0;
	spin_lock(&t.mm->lock);
	vma_for_each(v, &t.mm->vmas) {
		size_t start = m->len;
		const char *name = NULL;

		seq_printf(m, "%08lx-%08lx %c%c%c%c %08lx 00:00 0 ", v->start,
			   v->end, v->prot & VM_READ ? 'r' : '-',
			   v->prot & VM_WRITE ? 'w' : '-',
			   v->prot & VM_EXEC ? 'x' : '-',
			   v->flags & VM_SHARED ? 's' : 'p',
			   v->flags & VM_FILE ? v->file_offset : 0);
		/* Linux's tests: the heap is the region holding the break. */
		if (v->start <= t.mm->brk && v->end >= t.mm->brk_start)
			name = "[heap]";
		else if (v->flags & VM_GROWSDOWN)
			name = "[stack]";
		if (name) {
			/* Names start at column 74 (73 padded, then a space). */
			seq_pad_to(m, start, 25 + sizeof(void *) * 6 - 1);
			seq_printf(m, " %s", name);
		}
		seq_puts(m, "\n");
	}
	spin_unlock(&t.mm->lock);
	mm_put(t.mm);
	return 0;
}

static int show_pid_comm(struct seq *m, int pid, int tid)
{
	struct task_snapshot t;

	if (!process_snapshot(pid, tid, &t))
		return -ESRCH;
	if (t.mm)
		mm_put(t.mm);
	seq_printf(m, "%s\n", t.comm);
	return 0;
}

/*
 * As Linux's comm_write(): the first 15 bytes name the thread (a newline
 * too, if written), the rest is dropped but counted as written; only the
 * caller's own threads can be named (EINVAL).
 */
static long write_pid_comm(int pid, int tid, const char *ubuf, size_t n)
{
	char name[TASK_COMM_LEN] = "";
	int err;

	if (copy_from_user(name, ubuf, min(n, sizeof(name) - 1)))
		return -EFAULT;
	err = process_set_comm(tid ? tid : pid, name);
	return err ? err : (long)n;
}

/*
 * The strings exec put on the process's stack, read from its memory as
 * they are now (Linux's access_remote_vm()): its address space is made
 * active on this hart for the copy. Empty for a zombie or a kernel thread.
 */
static int show_user_strings(struct seq *m, int pid, int tid, bool env)
{
	struct mm *prev = mm_active();
	struct task_snapshot t;
	unsigned long start, len;

	if (!process_snapshot(pid, tid, &t))
		return -ESRCH;
	if (!t.mm)
		return 0;
	start = env ? t.mm->env_start : t.mm->arg_start;
	len = (env ? t.mm->env_end : t.mm->arg_end) - start;
	/* Past what a file here may hold: cut, as the buffer cannot grow more. */
	len = min(len, PROC_MAX_SIZE - 1);
	if (len >= m->size) {
		m->len = len; /* made again in a buffer big enough */
	} else if (len) {
		mm_activate(t.mm);
		m->len = len - copy_from_user(m->buf, (const void *)start, len);
		mm_activate(prev);
	}
	mm_put(t.mm);
	return 0;
}

static int show_pid_cmdline(struct seq *m, int pid, int tid)
{
	return show_user_strings(m, pid, tid, false);
}

static int show_pid_environ(struct seq *m, int pid, int tid)
{
	return show_user_strings(m, pid, tid, true);
}

/* ---------------------------------------------------------------------- */
/* Files, directories and their inodes */

struct proc_file {
	const char *name;
	/* pid's files: (pid, 0), the whole process; task/<tid>'s: (0, tid). */
	int (*show)(struct seq *m, int pid, int tid); /* NULL: exe, a symlink, or a directory */
	const struct proc_dir_operations *dir_ops; /* a directory's (show NULL) */
	/* Files that take writes (mode 0644): bytes taken or -errno. */
	long (*write)(int pid, int tid, const char *ubuf, size_t n);
};

static const struct proc_dir_operations proc_task_iops;

/* Index 0 is the directory itself in each. */
static const struct proc_file top_files[] = {
	{ NULL, NULL },
	{ "cpuinfo", show_cpuinfo },
	{ "filesystems", show_filesystems },
	{ "interrupts", show_interrupts },
	{ "kallsyms", show_kallsyms },
	{ "loadavg", show_loadavg },
	{ "meminfo", show_meminfo },
	{ "mounts", show_mounts },
	{ "stat", show_stat },
	{ "uptime", show_uptime },
	{ "version", show_version },
#ifdef CONFIG_WASM_JIT_CACHE
	{ "wasm_jit_cache", show_wasm_jit_cache },
#endif
};
static const struct proc_file pid_files[] = {
	{ NULL, NULL },
	{ "cmdline", show_pid_cmdline },
	{ "comm", show_pid_comm, NULL, write_pid_comm },
	{ "environ", show_pid_environ },
	{ "exe", NULL },
	{ "fd", NULL, &proc_fd_iops },
	{ "maps", show_pid_maps },
	{ "mounts", show_mounts },
	{ "stat", show_pid_stat },
	{ "status", show_pid_status },
	{ "task", NULL, &proc_task_iops },
};
/* /proc/<pid>/task/<tid>: one thread's view (its own state, times and name). */
static const struct proc_file tid_files[] = {
	{ NULL, NULL },
	{ "cmdline", show_pid_cmdline },
	{ "comm", show_pid_comm, NULL, write_pid_comm },
	{ "environ", show_pid_environ },
	{ "maps", show_pid_maps },
	{ "stat", show_pid_stat },
	{ "status", show_pid_status },
};
#define NR_TOP ARRAY_SIZE(top_files)
#define NR_PID ARRAY_SIZE(pid_files)
#define NR_TID ARRAY_SIZE(tid_files)

/* What inode number ino is: its entry, and the pid and tid to show it for. */
static const struct proc_file *proc_file_of(unsigned long ino, int *pid, int *tid)
{
	*pid = PROC_INO_IS_TASK(ino) ? 0 : PROC_INO_PID(ino);
	*tid = PROC_INO_IS_TASK(ino) ? PROC_TASK_TID(ino) : 0;
	if (*tid)
		return &tid_files[PROC_INO_IDX(ino)];
	return *pid ? &pid_files[PROC_INO_IDX(ino)] : &top_files[PROC_INO_IDX(ino)];
}

static int proc_open(struct file *f)
{
	int pid, tid;
	const struct proc_file *pf = proc_file_of(f->inode->i_ino, &pid, &tid);
	struct seq *m;
	int err;

	if ((f->flags & O_ACCMODE) != O_RDONLY && !pf->write)
		return -EACCES; /* what Linux answers every user but root */
	if ((f->flags & O_ACCMODE) == O_WRONLY)
		return 0; /* nothing to read: no text made */
	m = kzalloc(sizeof(*m), __GFP_NOWARN);
	if (!m)
		return -ENOMEM;
	/* Made again in a buffer twice the size until it fits. */
	for (m->size = PAGE_SIZE; m->size <= PROC_MAX_SIZE; m->size *= 2) {
		m->buf = kvmalloc(m->size);
		if (!m->buf) {
			err = -ENOMEM;
			break;
		}
		m->len = 0;
		err = pf->show(m, pid, tid);
		if (err || m->len < m->size)
			break;
		kvfree(m->buf);
		m->buf = NULL;
		err = -ENOMEM;
	}
	if (err) {
		kvfree(m->buf);
		kfree(m);
		return err;
	}
	f->private_data = m;
	return 0;
}

static void proc_release(struct file *f)
{
	struct seq *m = f->private_data;

	if (m)
		kvfree(m->buf);
	kfree(m);
}

/* At any offset, as Linux's comm_write(). */
static long proc_write(struct file *f, const char *ubuf, size_t n, u64 *ppos)
{
	int pid, tid;
	const struct proc_file *pf = proc_file_of(f->inode->i_ino, &pid, &tid);

	(void)ppos;
	return pf->write(pid, tid, ubuf, n);
}

static long proc_read(struct file *f, char *ubuf, size_t n, u64 *ppos)
{
	struct seq *m = f->private_data;
	unsigned long irq = fs_lock_irqsave();
	u64 pos = ppos ? *ppos : f->f_pos;
	size_t left;

	fs_unlock_irqrestore(irq);
	if (pos >= m->len)
		return 0;
	n = min(n, (size_t)(m->len - pos));
	left = copy_to_user(ubuf, m->buf + pos, n);
	if (left == n)
		return -EFAULT;
	irq = fs_lock_irqsave();
	*(ppos ? ppos : &f->f_pos) = pos + n - left;
	fs_unlock_irqrestore(irq);
	return (long)(n - left);
}

static const struct file_operations proc_fops = {
	.read_at = proc_read, .write_at = proc_write, .open = proc_open,
	.release = proc_release,
	.seekable = true,
};

/*
 * Everything below runs under fs_lock. The inodes of /proc/<pid> are made
 * at its first lookup and kept, with their directory, on proc_pids until
 * a lookup or readdir of /proc finds the pid gone: then they are unlinked
 * (nlink 0) and freed when the last open file lets go, so a file opened
 * before the exit still reads what it had and new opens get ENOENT.
 */
struct proc_pid {
	struct proc_pid *next;
	int pid;
	struct inode *ino[NR_PID]; /* [0] is the directory */
	struct inode **fd_links; /* /proc/<pid>/fd/N, made at lookup (proc_fd.c) */
	struct proc_tid *tids; /* task/<tid>, made at lookup, pruned as threads exit */
};

/* /proc/<pid>/task/<tid>, kept on its proc_pid's tids the same way. */
struct proc_tid {
	struct proc_tid *next;
	int tid;
	struct inode *ino[NR_TID]; /* [0] is the directory */
};

static struct proc_pid *proc_pids;
static struct inode *proc_root, *top_inodes[NR_TOP], *self_inode;
static char self_target[16]; /* /proc/self's target, set at each lookup */

static const struct proc_dir_operations proc_root_iops, proc_pid_iops,
	proc_tid_iops;

/* refs start at 0: held only by lookups in progress and open files. */
struct inode *proc_inode(u32 mode, unsigned long ino, struct inode *parent)
{
	struct inode *i = ramfs_alloc_inode();

	if (!i)
		return NULL;
	i->i_mode = mode;
	i->i_ino = ino;
	i->proc = true;
	i->i_nlink = S_ISDIR(mode) ? 2 : 1;
	if (S_ISDIR(mode)) {
		i->parent = parent;
		i->dir_ops = &proc_pid_iops;
	} else {
		i->i_fop = &proc_fops;
	}
	return i;
}

/* Unlinks n inodes (NULL slots skipped): each is freed now unless a file or a child directory holds it. */
static void unlink_inodes(struct inode **ino, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (ino[i]) {
			ino[i]->i_nlink = 0;
			inode_get(ino[i]);
			inode_put(ino[i]);
		}
	}
}

static void proc_pid_drop(struct proc_pid *p)
{
	struct proc_tid *t;

	unlink_inodes(p->ino, NR_PID);
	if (p->fd_links)
		unlink_inodes(p->fd_links, NR_OPEN);
	while ((t = p->tids)) {
		p->tids = t->next;
		unlink_inodes(t->ino, NR_TID);
		kfree(t);
	}
	kfree(p->fd_links);
	kfree(p);
}

/*
 * /proc/<pid> stands for a process, or for a thread of one: a thread's
 * directory is not listed, but found by its tid, as in Linux, and shows
 * the process as seen from that thread.
 */
static bool pid_dir_alive(int pid)
{
	return process_tgid(pid) >= 0;
}

/* Drops the entries of pids that are gone. */
static void proc_prune(void)
{
	struct proc_pid **pp = &proc_pids, *p;

	while ((p = *pp)) {
		if (!pid_dir_alive(p->pid)) {
			*pp = p->next;
			proc_pid_drop(p);
		} else {
			pp = &p->next;
		}
	}
}

static u32 file_mode(const struct proc_file *pf)
{
	if (pf->dir_ops) /* fd/ is its owner's only, as in Linux */
		return S_IFDIR | (pf->dir_ops == &proc_fd_iops ? 0500 : 0555);
	if (pf->write)
		return S_IFREG | 0644;
	return pf->show ? S_IFREG | 0444 : S_IFLNK | 0777;
}

/* exe's target, the program the process runs now: false for none. */
static bool exe_refresh(struct inode *ino, int pid)
{
	struct exe_path *e = process_exe(pid);
	size_t len = e ? strlen(e->name) : 0;
	char *t = e ? kmalloc(len + 1, __GFP_NOWARN) : NULL;

	if (t) {
		memcpy(t, e->name, len + 1);
		kfree(ino->target);
		ino->target = t;
		ino->i_size = len;
	}
	exe_path_put(e);
	return t != NULL;
}

static struct proc_pid *proc_pid_find(int pid);

struct inode **proc_fd_links(int pid)
{
	struct proc_pid *p = proc_pid_find(pid);

	if (p && !p->fd_links)
		p->fd_links = kzalloc(NR_OPEN * sizeof(*p->fd_links),
				      __GFP_NOWARN);
	return p ? p->fd_links : NULL;
}

/*
 * The inodes of a directory made on demand, numbered base | index: [0]
 * the directory, whose parent is parent, then one per entry of files.
 * A directory holds its parent, as inode_free() expects. False (nothing
 * made) when out of memory.
 */
static bool make_dir_inodes(struct inode **ino, const struct proc_file *files,
			    unsigned int n, unsigned long base,
			    struct inode *parent)
{
	unsigned int i;

	ino[0] = proc_inode(S_IFDIR | 0555, base, parent);
	for (i = 1; i < n && ino[i - 1]; i++) {
		ino[i] = proc_inode(file_mode(&files[i]), base | i, ino[0]);
		if (ino[i] && files[i].dir_ops)
			ino[i]->dir_ops = files[i].dir_ops;
		else if (ino[i] && !files[i].show)
			ino[i]->i_fop = NULL;
	}
	if (!ino[n - 1]) {
		for (i = 0; i < n; i++)
			kfree(ino[i]);
		return false;
	}
	inode_get(parent);
	for (i = 1; i < n; i++)
		if (files[i].dir_ops)
			inode_get(ino[0]);
	return true;
}

static struct proc_pid *proc_pid_find(int pid)
{
	struct proc_pid *p;

	for (p = proc_pids; p && p->pid != pid; p = p->next)
		;
	return p;
}

static struct proc_pid *proc_pid_get(int pid)
{
	struct proc_pid *p = proc_pid_find(pid);

	if (p)
		return p;
	p = kzalloc(sizeof(*p), __GFP_NOWARN);
	if (!p)
		return NULL;
	p->pid = pid;
	if (!make_dir_inodes(p->ino, pid_files, NR_PID, PROC_INO(pid, 0),
			     proc_root)) {
		kfree(p);
		return NULL;
	}
	p->next = proc_pids;
	proc_pids = p;
	return p;
}

/* A pid's digits without sign or leading zeroes, else -1. */
static int parse_pid(const char *name, size_t len)
{
	int pid = 0;
	size_t i;

	if (!len || len > 9 || (name[0] == '0'))
		return -1;
	for (i = 0; i < len; i++) {
		if (name[i] < '0' || name[i] > '9')
			return -1;
		pid = pid * 10 + (name[i] - '0');
	}
	return pid;
}

static bool name_is(const char *name, size_t len, const char *s)
{
	return strlen(s) == len && !memcmp(name, s, len);
}

static struct inode *proc_root_lookup(struct inode *dir, const char *name,
				      size_t len)
{
	struct proc_pid *p;
	unsigned int i;
	int pid;

	for (i = 1; i < NR_TOP; i++)
		if (name_is(name, len, top_files[i].name))
			return top_inodes[i];
	if (name_is(name, len, "self")) {
		snprintf(self_target, sizeof(self_target), "%d",
			 current_task()->tgid); /* the process, as Linux */
		self_inode->i_size = strlen(self_target);
		return self_inode;
	}
	pid = parse_pid(name, len);
	proc_prune();
	if (pid <= 0 || !pid_dir_alive(pid))
		return NULL;
	p = proc_pid_get(pid);
	return p ? p->ino[0] : NULL;
}

static struct inode *proc_pid_lookup(struct inode *dir, const char *name,
				     size_t len)
{
	int pid = PROC_INO_PID(dir->i_ino);
	struct proc_pid *p;
	unsigned int i;

	/* Still listed means still alive as of the last prune; check again. */
	if (!dir->i_nlink || !pid_dir_alive(pid))
		return NULL;
	p = proc_pid_find(pid);
	for (i = 1; p && i < NR_PID; i++)
		if (name_is(name, len, pid_files[i].name))
			return pid_files[i].show || pid_files[i].dir_ops ||
			       exe_refresh(p->ino[i], pid) ?
			       p->ino[i] : NULL;
	return NULL;
}

/* "." and ".." at positions 0 and 1 of every directory here. */
static bool dot_entries(struct inode *dir, u64 pos, char *name,
			unsigned long *ino, u32 *mode)
{
	strscpy(name, pos ? ".." : ".", NAME_MAX + 1);
	*ino = pos ? dir->parent->i_ino : dir->i_ino;
	*mode = S_IFDIR | 0555;
	return true;
}

/* Positions: the files at the top, "self", then FIRST_PID_POS + pid. */
#define SELF_POS (NR_TOP + 1)
#define FIRST_PID_POS (SELF_POS + 1)

static bool proc_root_readdir(struct inode *dir, u64 *pos, char *name,
			      unsigned long *ino, u32 *mode)
{
	int pid;

	if (*pos < 2)
		return dot_entries(dir, *pos, name, ino, mode);
	if (*pos < NR_TOP + 1) {
		unsigned int i = (unsigned int)*pos - 1;

		strscpy(name, top_files[i].name, NAME_MAX + 1);
		*ino = top_inodes[i]->i_ino;
		*mode = top_inodes[i]->i_mode;
		return true;
	}
	if (*pos == SELF_POS) {
		strscpy(name, "self", NAME_MAX + 1);
		*ino = self_inode->i_ino;
		*mode = self_inode->i_mode;
		return true;
	}
	if (*pos == FIRST_PID_POS)
		proc_prune(); /* once per listing */
	if (*pos - FIRST_PID_POS > 0x7fffffff)
		return false;
	pid = process_next_pid((int)(*pos - FIRST_PID_POS));
	if (pid < 0)
		return false;
	*pos = FIRST_PID_POS + (u64)pid;
	snprintf(name, NAME_MAX + 1, "%d", pid);
	*ino = PROC_INO(pid, 0);
	*mode = S_IFDIR | 0555;
	return true;
}

static bool proc_pid_readdir(struct inode *dir, u64 *pos, char *name,
			     unsigned long *ino, u32 *mode)
{
	if (*pos < 2)
		return dot_entries(dir, *pos, name, ino, mode);
	if (*pos >= NR_PID + 1)
		return false;
	strscpy(name, pid_files[*pos - 1].name, NAME_MAX + 1);
	*ino = PROC_INO(PROC_INO_PID(dir->i_ino), *pos - 1);
	*mode = file_mode(&pid_files[*pos - 1]);
	return true;
}

/*
 * /proc/<pid>/task: a directory per thread, named by its tid, in tid
 * order; /proc/<pid>/task/<tid> holds tid_files. Under fs_lock, as the
 * rest; the entries of threads that exited are dropped at the next
 * lookup or listing of task/, as proc_prune() does for pids.
 */
static void proc_tid_prune(struct proc_pid *p)
{
	struct proc_tid **pp = &p->tids, *t;

	while ((t = *pp)) {
		if (process_next_thread(p->pid, t->tid) != t->tid) {
			*pp = t->next;
			unlink_inodes(t->ino, NR_TID);
			kfree(t);
		} else {
			pp = &t->next;
		}
	}
}

static struct inode *proc_task_lookup(struct inode *dir, const char *name,
				      size_t len)
{
	int pid = PROC_INO_PID(dir->i_ino), tid = parse_pid(name, len);
	struct proc_pid *p = proc_pid_find(pid);
	struct proc_tid *t;

	if (!dir->i_nlink || !p)
		return NULL;
	proc_tid_prune(p);
	if (tid <= 0 || process_next_thread(pid, tid) != tid)
		return NULL;
	for (t = p->tids; t && t->tid != tid; t = t->next)
		;
	if (t)
		return t->ino[0];
	t = kzalloc(sizeof(*t), __GFP_NOWARN);
	if (!t)
		return NULL;
	t->tid = tid;
	if (!make_dir_inodes(t->ino, tid_files, NR_TID, PROC_TASK_INO(tid, 0),
			     dir)) {
		kfree(t);
		return NULL;
	}
	t->ino[0]->dir_ops = &proc_tid_iops;
	t->next = p->tids;
	p->tids = t;
	return t->ino[0];
}

/* Positions: "." 0, ".." 1, then 2 + tid. */
static bool proc_task_readdir(struct inode *dir, u64 *pos, char *name,
			      unsigned long *ino, u32 *mode)
{
	int pid = PROC_INO_PID(dir->i_ino), tid;
	struct proc_pid *p;

	if (*pos < 2)
		return dot_entries(dir, *pos, name, ino, mode);
	if (*pos == 2 && (p = proc_pid_find(pid)))
		proc_tid_prune(p); /* once per listing */
	if (!dir->i_nlink || *pos - 2 > 0x7fffffff)
		return false;
	tid = process_next_thread(pid, (int)(*pos - 2));
	if (tid < 0)
		return false;
	*pos = 2 + (u64)tid;
	snprintf(name, NAME_MAX + 1, "%d", tid);
	*ino = PROC_TASK_INO(tid, 0);
	*mode = S_IFDIR | 0555;
	return true;
}

static struct inode *proc_tid_lookup(struct inode *dir, const char *name,
				     size_t len)
{
	int pid = PROC_INO_PID(dir->parent->i_ino), tid = PROC_TASK_TID(dir->i_ino);
	struct proc_pid *p = proc_pid_find(pid);
	struct proc_tid *t;
	unsigned int i;

	if (!dir->i_nlink || !p || process_next_thread(pid, tid) != tid)
		return NULL;
	for (t = p->tids; t && t->tid != tid; t = t->next)
		;
	for (i = 1; t && i < NR_TID; i++)
		if (name_is(name, len, tid_files[i].name))
			return t->ino[i];
	return NULL;
}

static bool proc_tid_readdir(struct inode *dir, u64 *pos, char *name,
			     unsigned long *ino, u32 *mode)
{
	if (*pos < 2)
		return dot_entries(dir, *pos, name, ino, mode);
	if (*pos >= NR_TID + 1)
		return false;
	strscpy(name, tid_files[*pos - 1].name, NAME_MAX + 1);
	*ino = PROC_TASK_INO(PROC_TASK_TID(dir->i_ino), *pos - 1);
	*mode = file_mode(&tid_files[*pos - 1]);
	return true;
}

static const struct proc_dir_operations proc_root_iops = {
	.lookup = proc_root_lookup, .readdir = proc_root_readdir,
};
static const struct proc_dir_operations proc_pid_iops = {
	.lookup = proc_pid_lookup, .readdir = proc_pid_readdir,
};
static const struct proc_dir_operations proc_task_iops = {
	.lookup = proc_task_lookup, .readdir = proc_task_readdir,
};
static const struct proc_dir_operations proc_tid_iops = {
	.lookup = proc_tid_lookup, .readdir = proc_tid_readdir,
};

size_t proc_dir_name(const struct inode *d, char *buf, size_t size)
{
	unsigned long ino = d->i_ino;

	if (PROC_INO_IS_TASK(ino))
		return (size_t)snprintf(buf, size, "%d", PROC_TASK_TID(ino));
	if (PROC_INO_IDX(ino))
		return (size_t)snprintf(buf, size, "%s",
					pid_files[PROC_INO_IDX(ino)].name);
	return (size_t)snprintf(buf, size, "%d", PROC_INO_PID(ino));
}

void proc_init(void)
{
	unsigned long irq;
	struct inode *ino;
	unsigned int i;

	if (fs_install("/proc", S_IFDIR | 0555, NULL, 0, 0, 0))
		panic("proc: cannot make /proc");
	irq = fs_lock_irqsave();
	if (fs_lookup(fs_root, "/proc", false, &ino, NULL, NULL))
		panic("proc: /proc is not there");
	proc_root = ino;
	for (i = 1; i < NR_TOP; i++) {
		top_inodes[i] = proc_inode(S_IFREG | 0444, PROC_INO(0, i), NULL);
		if (!top_inodes[i])
			panic("proc: out of memory");
		top_inodes[i]->refs = 1; /* never freed */
	}
	self_inode = proc_inode(S_IFLNK | 0777, PROC_INO(0, NR_TOP), NULL);
	if (!self_inode)
		panic("proc: out of memory");
	self_inode->i_fop = NULL;
	self_inode->refs = 1;
	self_inode->target = self_target; /* not kmalloc'd: never freed */
	proc_root->dir_ops = &proc_root_iops;
	proc_root->i_fop = &generic_dir_fops; /* made by ramfs: its entries are dir_ops's now */
	proc_root->proc = true;
	fs_unlock_irqrestore(irq);
}
