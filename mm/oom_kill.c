/* SPDX-License-Identifier: BSD-2-Clause */
/* The OOM killer: a fault that finds no memory kills the biggest process, not whoever faulted. */
#include <hartix/binfmt_wasm.h>
#include <hartix/exec.h>
#include <hartix/kernel.h>
#include <hartix/mmap.h>
#include <hartix/oom.h>
#include <hartix/sched.h>
#include <hartix/signal.h>
#include <hartix/spinlock.h>
#include <hartix/time.h>
#include <hartix/string.h>
#include <hartix/timer.h>
#include <asm/page.h>

/* A victim that has not exited after this long no longer holds off another kill. */
#define OOM_VICTIM_TIMEOUT_S 5
/* How long the faulting task sleeps before it retries. */
#define OOM_RETRY_MS 10

/*
 * oom_lock makes the choice one hart at a time and protects the last
 * victim's pid and when it was killed. Lock order: oom_lock, then
 * tasklist_lock.
 */
static DEFINE_SPINLOCK(oom_lock);
static int victim_pid;
static u64 victim_since;

/*
 * Caller holds tasklist_lock: the last victim still holds memory it is
 * about to give back (it was reaped, but may have faulted pages in again
 * before it saw its SIGKILL), so nobody else need die yet.
 */
static bool victim_dying(void)
{
	struct task *t = victim_pid ? find_task(victim_pid) : NULL;

	if (!t || !t->mm || READ_ONCE(t->state) == TASK_ZOMBIE ||
	    !READ_ONCE(t->mm->rss))
		return false;
	return get_ticks() - victim_since <
	       (u64)OOM_VICTIM_TIMEOUT_S * timebase_freq;
}

/*
 * Caller holds tasklist_lock. Linux's badness without the knobs: the
 * pages a process maps. Kernel threads and zombies have none to give;
 * init goes last.
 */
static struct task *pick_victim(void)
{
	struct task *t, *best = NULL, *init = NULL;
	unsigned long best_rss = 0;

	for (t = all_tasks; t; t = t->all_next) {
		unsigned long rss;

		if (!t->mm || READ_ONCE(t->state) == TASK_ZOMBIE)
			continue;
		if (process_is_init(t)) { /* by identity, not by pid */
			init = t;
			continue;
		}
		rss = READ_ONCE(t->mm->rss);
		if (!best || rss > best_rss) {
			best = t;
			best_rss = rss;
		}
	}
	return best ? best : init;
}

static unsigned long total_vm_pages(struct mm *mm)
{
	unsigned long pages = 0;
	struct vma *v;

	spin_lock(&mm->lock);
	for (v = vma_first(&mm->vmas); v; v = vma_next(v))
		pages += (v->end - v->start) / PAGE_SIZE;
	spin_unlock(&mm->lock);
	return pages;
}

void out_of_memory(void)
{
	struct task *self = current_task(), *victim;
	unsigned long flags, rss = 0;
	struct mm *mm = NULL;
	char comm[TASK_COMM_LEN];
	int pid = 0;

	flags = spin_lock_irqsave(&oom_lock);
	spin_lock(&tasklist_lock);
	if (!IS_ENABLED(CONFIG_OOM_KILLER))
		victim = self;
	else
		victim = victim_dying() ? NULL : pick_victim();
	if (victim) {
		pid = victim->pid;
		memcpy(comm, victim->comm, sizeof(comm));
		mm = victim->mm;
		mm_get(mm);
		rss = READ_ONCE(mm->rss);
		signal_send_locked(victim, SIGKILL);
		victim_pid = pid;
		victim_since = get_ticks();
	}
	spin_unlock(&tasklist_lock);
	spin_unlock_irqrestore(&oom_lock, flags);
	if (victim) {
		pr_err("%s invoked oom-killer: order=0\n", self->comm);
		pr_err("Out of memory: Killed process %d (%s) total-vm:%lukB, anon-rss:%lukB, file-rss:0kB, shmem-rss:0kB, UID:0\n",
		       pid, comm, total_vm_pages(mm) * (PAGE_SIZE / 1024),
		       rss * (PAGE_SIZE / 1024));
		/*
		 * Like Linux's oom_reaper: the victim's memory comes back now,
		 * not when it next runs (with hundreds of runnable tasks, that
		 * can be seconds away).
		 */
		mm_reap(mm);
		mm_put(mm);
	}
}

void out_of_memory_wait(void)
{
	/* Reclaimable kernel memory goes before any process: compiled code no one maps. */
	if (wasm_cache_shrink())
		return;
	out_of_memory();
	/* A pending SIGKILL (we are the victim) cuts the sleep short. */
	sleep_interruptible((u64)OOM_RETRY_MS * timebase_freq / 1000);
}
