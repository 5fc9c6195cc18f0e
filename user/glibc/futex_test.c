/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * futex_test: futex() through raw system calls in one process and across
 * fork: bad input (unaligned, unmapped, bad op, bad timeouts), EAGAIN,
 * timeouts (relative, absolute on both clocks), EINTR, WAKE_OP, bitsets,
 * requeue, a shared futex over MAP_SHARED memory between two processes, a
 * SIGKILLed waiter that leaves nothing queued; set/get_robust_list and
 * membarrier. Runs the same under qemu-riscv64 (Linux).
 *
 * utest: smp=1,4 timeout=120
 */
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <signal.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "utest.h"

#define PAGE 4096UL

static long futex(void *uaddr, int op, uint32_t val, const void *timeout,
		  void *uaddr2, uint32_t val3)
{
	return syscall(SYS_futex, uaddr, op, val, timeout, uaddr2, val3);
}

/* -errno or the result, for comparing with Linux's errno in one check. */
static long fx(void *uaddr, int op, uint32_t val, const void *timeout,
	       void *uaddr2, uint32_t val3)
{
	long r = futex(uaddr, op, val, timeout, uaddr2, val3);

	return r < 0 ? -errno : r;
}

static uint32_t *shared_page(void)
{
	void *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static long ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

static void add_ms(struct timespec *ts, long ms)
{
	ts->tv_nsec += ms % 1000 * 1000000;
	ts->tv_sec += ms / 1000 + ts->tv_nsec / 1000000000;
	ts->tv_nsec %= 1000000000;
}

/* A nap that is itself a futex timeout (nothing else needed from the kernel). */
static void nap_ms(long ms)
{
	uint32_t word = 0;
	struct timespec ts = { ms / 1000, ms % 1000 * 1000000 };

	futex(&word, FUTEX_WAIT_PRIVATE, 0, &ts, NULL, 0);
}

/* How many tasks wait on uaddr: requeued onto itself, none woken. */
static long waiters(uint32_t *uaddr, int priv)
{
	return fx(uaddr, FUTEX_CMP_REQUEUE | priv, 0, (void *)(long)INT_MAX,
		  uaddr, *uaddr);
}

/* Until n tasks wait on uaddr, for at most 5 s. */
static int wait_for_waiters(uint32_t *uaddr, int priv, long n)
{
	for (int i = 0; i < 500; i++) {
		if (waiters(uaddr, priv) == n)
			return 1;
		nap_ms(10);
	}
	return 0;
}

static void bad_input(void)
{
	static uint32_t word = 5;
	char *base = (char *)&word;
	struct timespec neg = { -1, 0 }, bignsec = { 0, 1000000000 },
			negnsec = { 0, -1 }, huge = { LONG_MAX, 999999999 };
	void *unmapped = mmap(NULL, PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint32_t *ro = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	munmap(unmapped, PAGE);
	check(fx(base + 1, FUTEX_WAIT, 5, NULL, NULL, 0) == -EINVAL, "unaligned WAIT: EINVAL");
	check(fx(base + 2, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0) == -EINVAL, "unaligned WAKE: EINVAL");
	check(fx(unmapped, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0) == -EFAULT, "unmapped WAIT: EFAULT");
	check(fx(unmapped, FUTEX_WAKE, 1, NULL, NULL, 0) == -EFAULT, "unmapped shared WAKE: EFAULT");
	check(fx(unmapped, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0) == 0,
	      "unmapped private WAKE: 0 (memory not looked at)");
	check(fx((void *)0xffffffffc0000000UL, FUTEX_WAIT, 0, NULL, NULL, 0) == -EFAULT,
	      "kernel address: EFAULT");
	check(fx(&word, FUTEX_WAIT, 6, NULL, NULL, 0) == -EAGAIN, "value differs: EAGAIN");
	check(fx(&word, 99, 0, NULL, NULL, 0) == -ENOSYS, "unknown op: ENOSYS");
	check(fx(&word, FUTEX_FD, 0, NULL, NULL, 0) == -ENOSYS, "FUTEX_FD: ENOSYS");
	check(fx(&word, FUTEX_WAKE | FUTEX_CLOCK_REALTIME, 1, NULL, NULL, 0) == -ENOSYS,
	      "CLOCK_REALTIME with WAKE: ENOSYS");
	check(fx(&word, FUTEX_WAIT | FUTEX_CLOCK_REALTIME, 6, NULL, NULL, 0) == -ENOSYS,
	      "CLOCK_REALTIME with WAIT: ENOSYS (only WAIT_BITSET takes it)");
	check(fx(&word, FUTEX_WAIT, 5, &neg, NULL, 0) == -EINVAL, "negative tv_sec: EINVAL");
	check(fx(&word, FUTEX_WAIT, 5, &negnsec, NULL, 0) == -EINVAL, "negative tv_nsec: EINVAL");
	check(fx(&word, FUTEX_WAIT, 5, &bignsec, NULL, 0) == -EINVAL, "tv_nsec 1e9: EINVAL");
	check(fx(&word, FUTEX_WAIT, 6, &huge, NULL, 0) == -EAGAIN,
	      "huge timeout accepted (value differs: EAGAIN)");
	check(fx(&word, FUTEX_WAIT, 5, unmapped, NULL, 0) == -EFAULT, "timeout unmapped: EFAULT");
	check(fx(&word, FUTEX_WAKE, 1, unmapped, NULL, 0) == 0,
	      "WAKE ignores the timeout argument");
	check(fx(&word, FUTEX_WAIT_BITSET, 5, NULL, NULL, 0) == -EINVAL, "WAIT_BITSET 0: EINVAL");
	check(fx(&word, FUTEX_WAKE_BITSET, 1, NULL, NULL, 0) == -EINVAL, "WAKE_BITSET 0: EINVAL");
	check(fx(&word, FUTEX_REQUEUE, (uint32_t)-1, NULL, &word, 0) == -EINVAL,
	      "REQUEUE negative count: EINVAL");
	check(fx(&word, FUTEX_CMP_REQUEUE, 1, NULL, &word, 4) == -EAGAIN,
	      "CMP_REQUEUE value differs: EAGAIN");
	check(fx(&word, FUTEX_CMP_REQUEUE, 1, NULL, base + 1, 5) == -EINVAL,
	      "CMP_REQUEUE unaligned target: EINVAL");
	check(fx(ro, FUTEX_WAKE_OP, 1, NULL, ro, FUTEX_OP(FUTEX_OP_ADD, 1, 0, 0)) == -EFAULT,
	      "WAKE_OP on a read-only page: EFAULT");
	check(fx(&word, FUTEX_WAKE_OP, 1, NULL, unmapped, FUTEX_OP(FUTEX_OP_ADD, 1, 0, 0)) == -EFAULT,
	      "WAKE_OP on an unmapped page: EFAULT");
	munmap(ro, PAGE);
}

static void wake_op(void)
{
	static uint32_t a, b;

	b = 1;
	check(fx(&a, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1L, &b,
		 FUTEX_OP(FUTEX_OP_ADD, 5, FUTEX_OP_CMP_EQ, 1)) == 0 && b == 6,
	      "WAKE_OP ADD");
	check(fx(&a, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1L, &b,
		 FUTEX_OP(FUTEX_OP_OR, 0x10, FUTEX_OP_CMP_GT, 0)) == 0 && b == 0x16,
	      "WAKE_OP OR");
	check(fx(&a, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1L, &b,
		 FUTEX_OP(FUTEX_OP_ANDN, 0x2, FUTEX_OP_CMP_NE, 0)) == 0 && b == 0x14,
	      "WAKE_OP ANDN");
	check(fx(&a, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1L, &b,
		 FUTEX_OP(FUTEX_OP_XOR, 0xff, FUTEX_OP_CMP_LT, 0)) == 0 && b == 0xeb,
	      "WAKE_OP XOR");
	check(fx(&a, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1L, &b,
		 FUTEX_OP((FUTEX_OP_SET | FUTEX_OP_OPARG_SHIFT), 4, FUTEX_OP_CMP_GE, 0)) == 0 &&
	      b == 16, "WAKE_OP SET with OPARG_SHIFT");
	check(fx(&a, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1L, &b,
		 FUTEX_OP(FUTEX_OP_ADD, -3, FUTEX_OP_CMP_LE, 0)) == 0 && b == 13,
	      "WAKE_OP negative oparg");
	check(fx(&a, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1L, &b, (7u << 28)) == -ENOSYS &&
	      b == 13, "WAKE_OP bad op: ENOSYS, nothing written");
	check(fx(&a, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1L, &b,
		 FUTEX_OP(FUTEX_OP_ADD, 1, 15, 0)) == -ENOSYS && b == 14,
	      "WAKE_OP bad comparison: ENOSYS after the operation");
}

static void timeouts(void)
{
	static uint32_t word;
	struct timespec rel = { 0, 50 * 1000000 }, zero = { 0, 0 }, t0, abs;
	long r, ms;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = fx(&word, FUTEX_WAIT_PRIVATE, 0, &rel, NULL, 0);
	ms = ms_since(&t0);
	check(r == -ETIMEDOUT && ms >= 50, "relative 50 ms: ETIMEDOUT, not early");
	check(fx(&word, FUTEX_WAIT_PRIVATE, 0, &zero, NULL, 0) == -ETIMEDOUT,
	      "zero timeout: ETIMEDOUT");

	clock_gettime(CLOCK_MONOTONIC, &t0);
	abs = t0;
	add_ms(&abs, 50);
	r = fx(&word, FUTEX_WAIT_BITSET_PRIVATE, 0, &abs, NULL, FUTEX_BITSET_MATCH_ANY);
	ms = ms_since(&t0);
	check(r == -ETIMEDOUT && ms >= 50, "absolute CLOCK_MONOTONIC: ETIMEDOUT, not early");

	clock_gettime(CLOCK_REALTIME, &abs);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	add_ms(&abs, 50);
	r = fx(&word, FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME, 0, &abs, NULL,
	       FUTEX_BITSET_MATCH_ANY);
	ms = ms_since(&t0);
	check(r == -ETIMEDOUT && ms >= 40, "absolute CLOCK_REALTIME: ETIMEDOUT");

	abs = (struct timespec){ 1, 0 };
	check(fx(&word, FUTEX_WAIT_BITSET_PRIVATE, 0, &abs, NULL, FUTEX_BITSET_MATCH_ANY) ==
	      -ETIMEDOUT, "absolute time in the past: ETIMEDOUT");
	check(fx(&word, FUTEX_WAIT_BITSET_PRIVATE, 1, &abs, NULL, FUTEX_BITSET_MATCH_ANY) ==
	      -EAGAIN, "value checked before the time: EAGAIN");
}

static void on_usr1(int sig)
{
	(void)sig;
}

/* A child sends SIGUSR1 to us once we wait on word. */
static pid_t signal_when_waiting(uint32_t *word)
{
	pid_t parent = getpid(), pid = fork();

	if (pid == 0) {
		_exit(wait_for_waiters(word, 0, 1) && kill(parent, SIGUSR1) == 0 ? 0 : 1);
	}
	return pid;
}

static void eintr(void)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	struct timespec ten = { 10, 0 };
	uint32_t *word = shared_page();
	int status;
	pid_t pid;
	long r;

	sigaction(SIGUSR1, &sa, NULL);
	pid = signal_when_waiting(word);
	r = fx(word, FUTEX_WAIT, 0, NULL, NULL, 0);
	check(r == -EINTR, "a handler without SA_RESTART: EINTR");
	check(waitpid(pid, &status, 0) == pid && status == 0, "signalling child ok");

	pid = signal_when_waiting(word);
	r = fx(word, FUTEX_WAIT, 0, &ten, NULL, 0);
	check(r == -EINTR, "with a timeout: EINTR");
	check(waitpid(pid, &status, 0) == pid && status == 0, "signalling child ok");
	signal(SIGUSR1, SIG_DFL);
	munmap(word, PAGE);
}

static void shared_across_fork(void)
{
	uint32_t *word = shared_page();
	struct timespec t0;
	int status;
	pid_t pid;
	long r;

	CHECK(word);
	if (!word)
		return;
	pid = fork();
	if (pid == 0) {
		int ok = wait_for_waiters(word, 0, 1);

		/* A private wake is keyed by our mm: it misses the parent. */
		ok &= fx(word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0) == 0;
		__atomic_store_n(word, 1, __ATOMIC_SEQ_CST);
		ok &= fx(word, FUTEX_WAKE, 1, NULL, NULL, 0) == 1;
		_exit(ok ? 0 : 1);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do
		r = fx(word, FUTEX_WAIT, 0, NULL, NULL, 0);
	while (r == 0 && __atomic_load_n(word, __ATOMIC_SEQ_CST) == 0 && ms_since(&t0) < 10000);
	check((r == 0 || r == -EAGAIN) && *word == 1, "woken by the other process");
	check(waitpid(pid, &status, 0) == pid && status == 0,
	      "the child saw us waiting; private wake missed us, shared woke 1");
	munmap(word, PAGE);
}

static void requeue(void)
{
	uint32_t *w = shared_page(), *a = w, *b = w + 1;
	pid_t pids[3];
	int status, ok = 1;

	for (int i = 0; i < 3; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			long r;

			do
				r = fx(a, FUTEX_WAIT, 0, NULL, NULL, 0);
			while (r == 0 && __atomic_load_n(w + 2, __ATOMIC_SEQ_CST) == 0);
			_exit(r == 0 ? 0 : 10 + (int)-r);
		}
	}
	check(wait_for_waiters(a, 0, 3), "three waiters on a");
	__atomic_store_n(w + 2, 1, __ATOMIC_SEQ_CST);
	check(fx(a, FUTEX_CMP_REQUEUE, 1, (void *)1L, b, 0) == 2,
	      "CMP_REQUEUE wake 1, requeue 1: 2");
	check(waiters(a, 0) == 1 && waiters(b, 0) == 1, "one left on a, one moved to b");
	check(fx(b, FUTEX_WAKE, INT_MAX, NULL, NULL, 0) == 1, "the requeued one wakes on b");
	check(fx(a, FUTEX_REQUEUE, 0, (void *)1L, b, 0) == 1, "REQUEUE moves the last");
	check(fx(b, FUTEX_WAKE_BITSET, 1, NULL, NULL, 2) == 1,
	      "WAKE_BITSET matches FUTEX_WAIT's any-bit waiter");
	for (int i = 0; i < 3; i++)
		ok &= waitpid(pids[i], &status, 0) == pids[i] && status == 0;
	check(ok, "every waiter returned 0");
	munmap(w, PAGE);
}

static void bitsets(void)
{
	uint32_t *w = shared_page();
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		long r;

		do
			r = fx(w, FUTEX_WAIT_BITSET, 0, NULL, NULL, 0x4);
		while (r == 0 && __atomic_load_n(w + 1, __ATOMIC_SEQ_CST) == 0);
		_exit(r == 0 ? 0 : 1);
	}
	check(wait_for_waiters(w, 0, 1), "a waiter with bitset 0x4");
	check(fx(w, FUTEX_WAKE_BITSET, 1, NULL, NULL, 0x3) == 0, "bitset 0x3 misses it");
	__atomic_store_n(w + 1, 1, __ATOMIC_SEQ_CST);
	check(fx(w, FUTEX_WAKE_BITSET, 1, NULL, NULL, 0x6) == 1, "bitset 0x6 wakes it");
	check(waitpid(pid, &status, 0) == pid && status == 0, "it returned 0");
	munmap(w, PAGE);
}

static void killed_waiter(void)
{
	uint32_t *w = shared_page();
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		for (;;)
			fx(w, FUTEX_WAIT, 0, NULL, NULL, 0);
	}
	check(wait_for_waiters(w, 0, 1), "the child waits");
	kill(pid, SIGKILL);
	check(waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) &&
	      WTERMSIG(status) == SIGKILL, "SIGKILL ends the wait");
	check(waiters(w, 0) == 0 && fx(w, FUTEX_WAKE, 1, NULL, NULL, 0) == 0,
	      "nothing left queued");
	munmap(w, PAGE);
}

/*
 * qemu-user does not pass robust lists on to Linux (ENOSYS): the robust
 * cases are skipped there, and required everywhere else.
 */
static int no_robust_lists(void)
{
	struct utsname u;

	if (syscall(SYS_get_robust_list, 0, &(void *){ 0 }, &(size_t){ 0 }) == 0 ||
	    errno != ENOSYS || (uname(&u) == 0 && !strcmp(u.sysname, "Hartix")))
		return 0;
	utest_skip("qemu-user has no robust lists");
	return 1;
}

static void robust_list_calls(void)
{
	struct robust_list_head head = { { &head.list }, 0, NULL }, *got;
	size_t len = 0;

	if (no_robust_lists())
		return;
	check(syscall(SYS_set_robust_list, &head, sizeof(head) + 1) == -1 && errno == EINVAL,
	      "set_robust_list bad length: EINVAL");
	check(syscall(SYS_set_robust_list, &head, sizeof(head)) == 0, "set_robust_list");
	check(syscall(SYS_get_robust_list, 0, &got, &len) == 0 && got == &head &&
	      len == sizeof(head), "get_robust_list gives it back");
	check(syscall(SYS_get_robust_list, INT_MAX, &got, &len) == -1 && errno == ESRCH,
	      "get_robust_list of no task: ESRCH");
	check(syscall(SYS_get_robust_list, 0, (void *)8, &len) == -1 && errno == EFAULT,
	      "get_robust_list bad pointer: EFAULT");
}

/* A process-shared robust futex whose owner dies: OWNER_DIED, a waiter woken. */
static void robust_owner_dies(void)
{
	uint32_t *w = shared_page();
	int status;
	pid_t owner, waiter;

	if (no_robust_lists())
		return;
	owner = fork();
	if (owner == 0) {
		static struct robust_list_head head;
		/* The lock word sits right after the entry. */
		struct robust_list *entry = (struct robust_list *)(w + 2);

		head.list.next = entry;
		head.futex_offset = -8;
		entry->next = &head.list;
		__atomic_store_n(w, (uint32_t)syscall(SYS_gettid), __ATOMIC_SEQ_CST);
		syscall(SYS_set_robust_list, &head, sizeof(head));
		__atomic_store_n(w + 1, 1, __ATOMIC_SEQ_CST);
		pause();
		_exit(0);
	}
	while (!__atomic_load_n(w + 1, __ATOMIC_SEQ_CST))
		nap_ms(1);
	waiter = fork();
	if (waiter == 0) {
		uint32_t v = __atomic_load_n(w, __ATOMIC_SEQ_CST);
		long r = 0;

		/* As the C library: announce a waiter, then sleep. */
		if (__atomic_compare_exchange_n(w, &v, v | FUTEX_WAITERS, 0,
						__ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
			v |= FUTEX_WAITERS;
		while (!(v & FUTEX_OWNER_DIED) && (r == 0 || r == -EAGAIN)) {
			r = fx(w, FUTEX_WAIT, v, NULL, NULL, 0);
			v = __atomic_load_n(w, __ATOMIC_SEQ_CST);
		}
		_exit(v == (FUTEX_OWNER_DIED | FUTEX_WAITERS) ? 0 : 1);
	}
	check(wait_for_waiters(w, 0, 1), "a waiter on the robust futex");
	kill(owner, SIGKILL);
	check(waitpid(owner, &status, 0) == owner, "owner killed");
	check(waitpid(waiter, &status, 0) == waiter && WIFEXITED(status) &&
	      WEXITSTATUS(status) == 0, "waiter woken, word OWNER_DIED|WAITERS");
	munmap(w, PAGE);
}

static void membarrier_calls(void)
{
	long q = syscall(SYS_membarrier, 0 /* QUERY */, 0, 0);

	check(q > 0 && (q & 1) && (q & 8) && (q & 16), "QUERY lists GLOBAL and PRIVATE_EXPEDITED");
	check(syscall(SYS_membarrier, 8, 0, 0) == -1 && errno == EPERM,
	      "PRIVATE_EXPEDITED before registering: EPERM");
	check(syscall(SYS_membarrier, 16, 0, 0) == 0 && syscall(SYS_membarrier, 8, 0, 0) == 0,
	      "register, then PRIVATE_EXPEDITED");
	check(syscall(SYS_membarrier, 1, 0, 0) == 0, "GLOBAL");
	check(syscall(SYS_membarrier, 1, 1, 0) == -1 && errno == EINVAL, "flags: EINVAL");
	check(syscall(SYS_membarrier, 3, 0, 0) == -1 && errno == EINVAL, "two commands: EINVAL");
}

int main(void)
{
	static const struct utest_case cases[] = {
		UTEST_CASE(bad_input),
		UTEST_CASE(wake_op),
		UTEST_CASE(timeouts),
		UTEST_CASE(eintr),
		UTEST_CASE(shared_across_fork),
		UTEST_CASE(requeue),
		UTEST_CASE(bitsets),
		UTEST_CASE(killed_waiter),
		UTEST_CASE(robust_list_calls),
		UTEST_CASE(robust_owner_dies),
		UTEST_CASE(membarrier_calls),
	};

	setvbuf(stdout, NULL, _IOLBF, 0); /* a hang shows where */
	return UTEST_RUN("futex_test", cases);
}
