/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * threads_clone: clone() threads without pthreads: ids, sharing, exit vs exit_group, signals to threads, vfork, clone3, bad flags.
 *
 * utest: smp=1,4 timeout=120
 *
 * The threads are made with glibc's clone() wrapper and the flags its
 * pthread_create() uses, so these cases need no futex: a thread's end is
 * seen with tgkill(pid, tid, 0), which fails with ESRCH once it exited.
 * The thread bodies make only raw system calls (they share the creator's
 * TLS).
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/sched.h>
#include "utest.h"

#define THREAD_FLAGS (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | \
		      CLONE_THREAD | CLONE_SYSVSEM)
#define STACK_SIZE (64 * 1024)

static long gettid_(void)
{
	return syscall(SYS_gettid);
}

static long tgkill_(int tgid, int tid, int sig)
{
	return syscall(SYS_tgkill, tgid, tid, sig);
}

static void __attribute__((noreturn)) thread_exit(int code)
{
	syscall(SYS_exit, code);
	__builtin_unreachable();
}

/* A thread running fn(arg) on a fresh stack; its tid, or -1. */
static int spawn(int (*fn)(void *), void *arg, int extra_flags)
{
	char *stack = mmap(NULL, STACK_SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	int ptid = 0, tid;

	if (stack == MAP_FAILED)
		return -1;
	tid = clone(fn, stack + STACK_SIZE, THREAD_FLAGS | CLONE_PARENT_SETTID |
		    extra_flags, arg, &ptid);
	if (tid > 0 && ptid != tid)
		return -1;
	return tid;
}

/* Until thread tid has exited (bounded: a lost thread fails the case). */
static int reaped(int tid)
{
	unsigned long end = now_ms() + 20000;

	while (tgkill_(getpid(), tid, 0) == 0) {
		if (now_ms() > end)
			return 0;
		sched_yield();
	}
	return errno == ESRCH;
}

static void spin_until(volatile int *flag, int value)
{
	unsigned long end = now_ms() + 20000;

	while (__atomic_load_n(flag, __ATOMIC_ACQUIRE) != value && now_ms() < end)
		sched_yield();
}

static int on_hartix(void)
{
	struct utsname u;

	return uname(&u) == 0 && strcmp(u.sysname, "Hartix") == 0;
}

/* The Threads: line of /proc/self/status (qemu-user has threads of its own). */
static int threads_now(void)
{
	char buf[4096], *p;
	int fd = open("/proc/self/status", O_RDONLY), n = -1;
	ssize_t len;

	if (fd < 0)
		return -1;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0)
		return -1;
	buf[len] = '\0';
	p = strstr(buf, "\nThreads:");
	if (p)
		sscanf(p + 9, "%d", &n);
	return n;
}

/* ---------------------------------------------------------------------- */

static volatile int seen_pid, seen_tid, seen_ppid, go, done, shared_word;
static volatile int thread_fd = -1;

static int ids_body(void *arg)
{
	(void)arg;
	seen_pid = (int)syscall(SYS_getpid);
	seen_tid = (int)gettid_();
	seen_ppid = (int)syscall(SYS_getppid);
	__atomic_store_n(&done, 1, __ATOMIC_RELEASE);
	spin_until(&go, 1);
	thread_exit(0);
}

static void thread_ids(void)
{
	int base = threads_now(), tid;

	go = done = 0;
	tid = spawn(ids_body, NULL, 0);
	CHECK(tid > 0);
	if (tid <= 0)
		return;
	spin_until(&done, 1);
	CHECK(seen_pid == getpid());
	CHECK(seen_tid == tid && tid != getpid());
	CHECK(seen_ppid == getppid());
	CHECK(gettid_() == getpid()); /* the leader's tid is the pid */
	CHECK(threads_now() == base + 1);
	__atomic_store_n(&go, 1, __ATOMIC_RELEASE);
	CHECK(reaped(tid));
	CHECK(threads_now() == base);
	/* wait4 sees processes, never threads. */
	CHECK(waitpid(tid, NULL, __WALL | WNOHANG) == -1 && errno == ECHILD);
}

static int share_body(void *arg)
{
	int fd = *(int *)arg;

	shared_word = 1234;
	thread_fd = open("/proc/self/status", O_RDONLY);
	syscall(SYS_close, fd); /* the creator's descriptor */
	__atomic_store_n(&done, 1, __ATOMIC_RELEASE);
	thread_exit(0);
}

static void shared_memory_and_files(void)
{
	int fd = open("/dev/null", O_RDONLY), tid;

	done = 0;
	shared_word = 0;
	CHECK(fd >= 0);
	tid = spawn(share_body, &fd, 0);
	CHECK(tid > 0);
	spin_until(&done, 1);
	CHECK(reaped(tid));
	CHECK(shared_word == 1234);
	CHECK(thread_fd >= 0 && fcntl(thread_fd, F_GETFD) == 0);
	CHECK(fcntl(fd, F_GETFD) == -1 && errno == EBADF);
	close(thread_fd);
}

static int private_files_body(void *arg)
{
	(void)arg;
	shared_word = 99; /* CLONE_VM: the parent sees this */
	thread_fd = open("/dev/null", O_RDONLY);
	return thread_fd >= 0 ? 0 : 1;
}

/* CLONE_VM alone: shared memory, a descriptor table of its own, a process of its own. */
static void vm_without_files(void)
{
	char *stack = mmap(NULL, STACK_SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int status = -1, pid;

	shared_word = 0;
	thread_fd = -1;
	pid = clone(private_files_body, stack + STACK_SIZE, CLONE_VM | SIGCHLD,
		    NULL);
	if (pid == -1 && errno == EINVAL && !on_hartix()) {
		utest_skip("qemu-user has no CLONE_VM processes");
		return;
	}
	CHECK(pid > 0);
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK(shared_word == 99);
	CHECK(thread_fd >= 0 && fcntl(thread_fd, F_GETFD) == -1 && errno == EBADF);
}

static void handler_noop(int sig)
{
	(void)sig;
}

static int sigaction_body(void *arg)
{
	struct sigaction sa = { .sa_handler = handler_noop };

	(void)arg;
	sigaction(SIGUSR1, &sa, NULL);
	__atomic_store_n(&done, 1, __ATOMIC_RELEASE);
	thread_exit(0);
}

/* CLONE_SIGHAND: a handler one installs is the other's too. */
static void shared_handlers(void)
{
	struct sigaction old;
	int tid;

	signal(SIGUSR1, SIG_DFL);
	done = 0;
	tid = spawn(sigaction_body, NULL, 0);
	CHECK(tid > 0);
	spin_until(&done, 1);
	CHECK(reaped(tid));
	CHECK(sigaction(SIGUSR1, NULL, &old) == 0 && old.sa_handler == handler_noop);
	signal(SIGUSR1, SIG_DFL);
}

static int exit_group_body(void *arg)
{
	(void)arg;
	syscall(SYS_exit_group, 5);
	return 0;
}

static int sleeper_body(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return 0;
}

/* exit_group from a thread ends the leader too; the status is the group's. */
static void exit_group_from_thread(void)
{
	int status = -1;
	pid_t pid = fork();

	if (pid == 0) {
		spawn(sleeper_body, NULL, 0);
		spawn(exit_group_body, NULL, 0);
		for (;;)
			pause();
	}
	CHECK(pid > 0);
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 5);
}

static int kill_self_body(void *arg)
{
	(void)arg;
	tgkill_((int)syscall(SYS_getpid), (int)gettid_(), SIGTERM);
	for (;;)
		pause();
	return 0;
}

/* A fatal signal to one thread ends the whole process, killed by it. */
static void fatal_signal_kills_group(void)
{
	int status = -1;
	pid_t pid = fork();

	if (pid == 0) {
		spawn(sleeper_body, NULL, 0);
		spawn(kill_self_body, NULL, 0);
		for (;;)
			pause();
	}
	CHECK(pid > 0);
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
}

static int pipe_wait_body(void *arg)
{
	char c;

	read(*(int *)arg, &c, 1);
	thread_exit(0);
}

/* The leader exits first: the process is not waitable until its last thread is gone. */
static void leader_exits_first(void)
{
	int p[2], status = -1;
	unsigned long end;
	pid_t pid, got = -1;

	CHECK(pipe(p) == 0);
	pid = fork();
	if (pid == 0) {
		spawn(pipe_wait_body, &p[0], 0);
		thread_exit(3);
	}
	CHECK(pid > 0);
	end = now_ms() + 200; /* time for the leader to exit */
	while (now_ms() < end)
		sched_yield();
	CHECK(waitpid(pid, &status, WNOHANG) == 0);
	CHECK(kill(pid, 0) == 0);
	CHECK(write(p[1], "x", 1) == 1);
	end = now_ms() + 20000;
	while (got != pid && now_ms() < end) {
		got = waitpid(pid, &status, WNOHANG);
		sched_yield();
	}
	CHECK(got == pid);
	close(p[0]);
	close(p[1]);
}

static volatile int handler_tid;

static void record_tid(int sig)
{
	(void)sig;
	handler_tid = (int)gettid_();
}

static int wait_go_body(void *arg)
{
	sigset_t *unblock = arg;

	if (unblock)
		sigprocmask(SIG_UNBLOCK, unblock, NULL);
	__atomic_store_n(&done, 1, __ATOMIC_RELEASE);
	spin_until(&go, 1);
	thread_exit(0);
}

/* tgkill() reaches the thread it names; bad ids get Linux's errnos. */
static void tgkill_targets_thread(void)
{
	int tid;

	signal(SIGUSR1, record_tid);
	handler_tid = 0;
	go = done = 0;
	tid = spawn(wait_go_body, NULL, 0);
	CHECK(tid > 0);
	spin_until(&done, 1);
	CHECK(tgkill_(getpid(), tid, SIGUSR1) == 0);
	spin_until(&handler_tid, tid);
	CHECK(handler_tid == tid);
	CHECK(tgkill_(getpid() + 100000, tid, SIGUSR1) == -1 && errno == ESRCH);
	CHECK(tgkill_(0, tid, SIGUSR1) == -1 && errno == EINVAL);
	CHECK(tgkill_(getpid(), 0, SIGUSR1) == -1 && errno == EINVAL);
	CHECK(tgkill_(getpid(), tid, 1000) == -1 && errno == EINVAL);
	__atomic_store_n(&go, 1, __ATOMIC_RELEASE);
	CHECK(reaped(tid));
	CHECK(tgkill_(getpid(), tid, 0) == -1 && errno == ESRCH);
	signal(SIGUSR1, SIG_DFL);
}

/* kill() of the process runs the handler in a thread that does not block the signal. */
static void process_signal_to_unblocking_thread(void)
{
	sigset_t set, old;
	int tid;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	signal(SIGUSR2, record_tid);
	handler_tid = 0;
	go = done = 0;
	sigprocmask(SIG_BLOCK, &set, &old);
	tid = spawn(wait_go_body, &set, 0); /* it unblocks SIGUSR2 */
	CHECK(tid > 0);
	spin_until(&done, 1);
	CHECK(kill(getpid(), SIGUSR2) == 0);
	spin_until(&handler_tid, tid);
	CHECK(handler_tid == tid);
	/* Per-thread masks: the thread's unblocking left ours alone. */
	CHECK(sigprocmask(SIG_BLOCK, NULL, &set) == 0 && sigismember(&set, SIGUSR2));
	__atomic_store_n(&go, 1, __ATOMIC_RELEASE);
	CHECK(reaped(tid));
	sigprocmask(SIG_SETMASK, &old, NULL);
	signal(SIGUSR2, SIG_DFL);
}

/* Every thread blocks it: it waits for the process, and the first to unblock takes it. */
static void process_signal_waits_for_unblock(void)
{
	sigset_t set, old, pend;
	int tid;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	signal(SIGUSR2, record_tid);
	handler_tid = 0;
	go = done = 0;
	sigprocmask(SIG_BLOCK, &set, &old);
	tid = spawn(wait_go_body, NULL, 0);
	CHECK(tid > 0);
	spin_until(&done, 1);
	CHECK(kill(getpid(), SIGUSR2) == 0);
	CHECK(sigpending(&pend) == 0 && sigismember(&pend, SIGUSR2));
	CHECK(handler_tid == 0);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	CHECK(handler_tid == getpid());
	__atomic_store_n(&go, 1, __ATOMIC_RELEASE);
	CHECK(reaped(tid));
	sigprocmask(SIG_SETMASK, &old, NULL);
	signal(SIGUSR2, SIG_DFL);
}

/* fork() in a threaded process: the child has one thread, the caller's copy. */
static void fork_in_threaded_process(void)
{
	int status = -1, tid;
	pid_t pid;

	go = done = 0;
	tid = spawn(wait_go_body, NULL, 0);
	CHECK(tid > 0);
	spin_until(&done, 1);
	pid = fork();
	if (pid == 0)
		_exit(gettid_() == getpid() && tgkill_(getpid(), tid, 0) == -1 ? 0 : 1);
	CHECK(pid > 0);
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	__atomic_store_n(&go, 1, __ATOMIC_RELEASE);
	CHECK(reaped(tid));
}

/* vfork(): the parent waits until the child exits; they share memory meanwhile. */
static void vfork_shares_and_waits(void)
{
	volatile int word = 0;
	int status = -1;
	pid_t pid = vfork();

	if (pid == 0) {
		word = 1;
		_exit(4);
	}
	CHECK(pid > 0);
	/* qemu-user's vfork() is a fork(): nothing shared there. */
	CHECK(word == 1 || !on_hartix());
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 4);
}

/* Linux's EINVAL for flag combinations that make no sense. */
static void invalid_flag_combinations(void)
{
	CHECK(syscall(SYS_clone, CLONE_THREAD | SIGCHLD, 0, 0, 0, 0) == -1 &&
	      errno == EINVAL);
	CHECK(syscall(SYS_clone, CLONE_SIGHAND | SIGCHLD, 0, 0, 0, 0) == -1 &&
	      errno == EINVAL);
	CHECK(syscall(SYS_clone, CLONE_VM | CLONE_THREAD, 0, 0, 0, 0) == -1 &&
	      errno == EINVAL);
	CHECK(syscall(SYS_clone, CLONE_FS | CLONE_NEWNS | SIGCHLD, 0, 0, 0, 0) == -1 &&
	      errno == EINVAL);
}

/* clone3 (glibc's first choice for threads; qemu-riscv64 7.2 has none: skipped there). */
static void clone3_fork_and_sizes(void)
{
	struct clone_args args;
	char big[sizeof(args) + 8];
	int status = -1;
	long pid;

	memset(&args, 0, sizeof(args));
	args.exit_signal = SIGCHLD;
	if (syscall(SYS_clone3, &args, 8) == -1 && errno == ENOSYS) {
		utest_skip("no clone3");
		return;
	}
	CHECK(errno == EINVAL);
	memset(big, 0, sizeof(big));
	memcpy(big, &args, sizeof(args));
	big[sizeof(args) + 3] = 1; /* a field this kernel does not know */
	CHECK(syscall(SYS_clone3, big, sizeof(big)) == -1 && errno == E2BIG);
	args.flags = CLONE_THREAD | CLONE_SIGHAND | CLONE_VM;
	CHECK(syscall(SYS_clone3, &args, sizeof(args)) == -1 && errno == EINVAL);
	args.flags = 0;
	pid = syscall(SYS_clone3, &args, sizeof(args));
	if (pid == 0)
		_exit(9);
	CHECK(pid > 0);
	CHECK(waitpid((pid_t)pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 9);
}

static volatile int ping[2];
static volatile unsigned int cpu_of[2][32];

#define ROUNDS 32

/* Side i counts up and waits for the other side to catch up, noting its hart. */
static void ping_pong(int i)
{
	unsigned long end = now_ms() + 30000;
	unsigned int cpu = 0;
	int r;

	for (r = 0; r < ROUNDS; r++) {
		__atomic_store_n(&ping[i], r + 1, __ATOMIC_RELEASE);
		while (__atomic_load_n(&ping[!i], __ATOMIC_ACQUIRE) < r + 1 &&
		       now_ms() < end)
			;
		syscall(SYS_getcpu, &cpu, NULL, NULL);
		cpu_of[i][r] = cpu;
	}
}

static int ping_body(void *arg)
{
	(void)arg;
	ping_pong(1);
	thread_exit(0);
}

/* Two threads of one process spin on two harts at the same time. */
static void two_harts_at_once(void)
{
	int tid, r, apart = 0;

	ping[0] = ping[1] = 0;
	tid = spawn(ping_body, NULL, 0);
	CHECK(tid > 0);
	ping_pong(0);
	CHECK(reaped(tid));
	CHECK(ping[0] == ROUNDS && ping[1] == ROUNDS);
	for (r = 0; r < ROUNDS; r++)
		apart |= cpu_of[0][r] != cpu_of[1][r];
	/* Under Linux the host's CPU numbers say nothing about this. */
	if (on_hartix() && sysconf(_SC_NPROCESSORS_ONLN) > 1)
		CHECK(apart);
	else
		utest_skip("one hart, or not Hartix");
}

static volatile int churn_count;

static int churn_body(void *arg)
{
	(void)arg;
	__atomic_add_fetch(&churn_count, 1, __ATOMIC_RELAXED);
	thread_exit(0);
}

/* Many short threads, a few at a time: every one runs and is gone after. */
static void thread_churn(void)
{
	char *stacks = mmap(NULL, 8 * STACK_SIZE, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int base = threads_now(), round, i, tids[8], ok = 1;

	churn_count = 0;
	CHECK(stacks != MAP_FAILED);
	for (round = 0; round < 40 && ok; round++) {
		for (i = 0; i < 8; i++)
			tids[i] = clone(churn_body, stacks + (i + 1) * STACK_SIZE,
					THREAD_FLAGS, NULL);
		for (i = 0; i < 8; i++)
			ok &= tids[i] > 0 && reaped(tids[i]);
	}
	CHECK(ok);
	CHECK(churn_count == 40 * 8);
	CHECK(threads_now() == base);
	munmap(stacks, 8 * STACK_SIZE);
}

static int orphan_fd = -1;

static int fork_grandchild_body(void *arg)
{
	int pid;

	(void)arg;
	pid = (int)syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
	if (pid == 0) {
		unsigned long end = now_ms() + 20000;
		int me = getpid();

		/* Orphaned once its parent process exits: init adopts it. */
		while (getppid() != 1 && now_ms() < end)
			sched_yield();
		write(orphan_fd, &me, sizeof(me));
		_exit(getppid() == 1 ? 0 : 1);
	}
	syscall(SYS_exit_group, 0);
	return 0;
}

/*
 * A process forked by a thread of a process that then exits goes to init
 * (PID 1). Only when this test is init, as on Hartix, can it wait for it.
 */
static void orphans_go_to_init(void)
{
	int p[2], status = -1, gpid = 0;
	pid_t pid;

	if (getpid() != 1) {
		utest_skip("not init");
		return;
	}
	CHECK(pipe(p) == 0);
	orphan_fd = p[1];
	pid = fork();
	if (pid == 0) {
		spawn(fork_grandchild_body, NULL, 0);
		for (;;)
			pause();
	}
	CHECK(pid > 0);
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(read(p[0], &gpid, sizeof(gpid)) == sizeof(gpid));
	CHECK(gpid > 0 && waitpid(gpid, &status, 0) == gpid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(p[0]);
	close(p[1]);
}

static const struct utest_case cases[] = {
	UTEST_CASE(thread_ids),
	UTEST_CASE(shared_memory_and_files),
	UTEST_CASE(vm_without_files),
	UTEST_CASE(shared_handlers),
	UTEST_CASE(exit_group_from_thread),
	UTEST_CASE(fatal_signal_kills_group),
	UTEST_CASE(leader_exits_first),
	UTEST_CASE(tgkill_targets_thread),
	UTEST_CASE(process_signal_to_unblocking_thread),
	UTEST_CASE(process_signal_waits_for_unblock),
	UTEST_CASE(fork_in_threaded_process),
	UTEST_CASE(vfork_shares_and_waits),
	UTEST_CASE(invalid_flag_combinations),
	UTEST_CASE(clone3_fork_and_sizes),
	UTEST_CASE(two_harts_at_once),
	UTEST_CASE(thread_churn),
	UTEST_CASE(orphans_go_to_init),
};

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	return UTEST_RUN("threads_clone", cases);
}
