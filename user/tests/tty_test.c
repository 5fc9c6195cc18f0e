/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tty_test: the console's line discipline, driven by the test runner
 * typing into the serial line after each prompt (tools/testing/run_tests.py,
 * the keystrokes of "typing=tty"):
 *   "type a line"  junk, Ctrl-U, TOKEN, 'Z', DEL, CR: the read is "TOKEN\n"
 *   "type EOF"     "part" Ctrl-D, then (after "got 'part'") Ctrl-D: a read
 *                  of "part" without a new line, then a read of 0 (EOF)
 *   "raw mode"     "ab" Ctrl-C with ICANON, ECHO and ISIG off: byte by byte
 *   "raw vmin 2"   "cd": one read of both
 *   "press Ctrl-C" Ctrl-C: a child reading in the foreground group dies
 *                  of SIGINT
 * plus termios round trips, VMIN = 0 with and without VTIME, and the
 * foreground group ioctls and their errors. TOKEN is argv[1], printed
 * first (so no fixed text passes); then KTAP, one case per part; exit
 * status 1 if any failed.
 * utest: smp=1,4 args="{token}" typing=tty expect="tty_test: read the edited line {token}|EOF read as 0|raw mode read byte by byte|^C|the foreground reader died of signal 2"
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include "utest.h"

#define BAD_PTR ((void *)8)

static const char *token = "token"; /* argv[1]: what the runner types */

static void prompt(const char *what)
{
	printf("tty_test: %s\n", what);
}

static void test_line_editing(void)
{
	char line[256], want[128];
	ssize_t n;

	prompt("type a line");
	n = read(0, line, sizeof(line) - 1);
	snprintf(want, sizeof(want), "%s\n", token);
	CHECK(n == (ssize_t)strlen(want));
	line[n > 0 ? n : 0] = '\0';
	CHECK(!strcmp(line, want));
	if (!strcmp(line, want))
		printf("tty_test: read the edited line %s", line);
}

static void test_eof(void)
{
	char line[256];
	ssize_t n;

	prompt("type EOF");
	n = read(0, line, sizeof(line));
	CHECK(n == 4 && !memcmp(line, "part", 4));
	printf("tty_test: got '%.*s'\n", n > 0 ? (int)n : 0, line);
	CHECK(read(0, line, sizeof(line)) == 0);
	printf("tty_test: EOF read as 0\n");
}

static void test_raw(void)
{
	struct termios old, raw, back;
	unsigned long t0, dt;
	char c[16];

	CHECK(tcgetattr(0, &old) == 0);
	CHECK((old.c_lflag & (ICANON | ECHO | ISIG)) == (ICANON | ECHO | ISIG));
	CHECK(old.c_cc[VINTR] == 3 && old.c_cc[VEOF] == 4 && old.c_cc[VERASE] == 0x7f);
	raw = old;
	cfmakeraw(&raw);
	CHECK(tcsetattr(0, TCSANOW, &raw) == 0);
	CHECK(tcgetattr(0, &back) == 0);
	CHECK(!(back.c_lflag & (ICANON | ECHO | ISIG)) && back.c_cc[VMIN] == 1);

	prompt("raw mode");
	CHECK(read(0, c, 1) == 1 && c[0] == 'a');
	CHECK(read(0, c, 1) == 1 && c[0] == 'b');
	CHECK(read(0, c, 1) == 1 && c[0] == 3); /* ISIG off: a plain byte */

	raw.c_cc[VMIN] = 2;
	CHECK(tcsetattr(0, TCSADRAIN, &raw) == 0);
	prompt("raw vmin 2");
	CHECK(read(0, c, sizeof(c)) == 2 && c[0] == 'c' && c[1] == 'd');

	/* VMIN = 0, VTIME = 0: nothing there, nothing waited for. */
	raw.c_cc[VMIN] = 0;
	CHECK(tcsetattr(0, TCSANOW, &raw) == 0);
	t0 = now_ms();
	CHECK(read(0, c, sizeof(c)) == 0);
	CHECK(now_ms() - t0 < 100);
	/* VMIN = 0, VTIME = 3: 0.3 s for a byte. */
	raw.c_cc[VTIME] = 3;
	CHECK(tcsetattr(0, TCSANOW, &raw) == 0);
	t0 = now_ms();
	CHECK(read(0, c, sizeof(c)) == 0);
	dt = now_ms() - t0;
	CHECK(dt >= 250 && dt < 5000);

	CHECK(tcsetattr(0, TCSAFLUSH, &old) == 0);
	CHECK(tcgetattr(0, &back) == 0 && back.c_lflag == old.c_lflag);
	CHECK(ioctl(0, TCSETS, BAD_PTR) == -1 && errno == EFAULT);
	CHECK(ioctl(0, TCGETS, BAD_PTR) == -1 && errno == EFAULT);
	printf("tty_test: raw mode read byte by byte, VMIN and VTIME\n");
}

static void test_pgrp(void)
{
	struct winsize ws;
	pid_t me = getpid(), pgrp = -1, child, other;
	int status, fds[2];
	char c;

	CHECK(ioctl(0, TIOCGPGRP, &pgrp) == 0 && pgrp == getpgrp());
	CHECK(tcgetpgrp(0) == getpgrp());
	CHECK(ioctl(0, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0);
	CHECK(ioctl(0, TIOCGPGRP, BAD_PTR) == -1 && errno == EFAULT);
	CHECK(ioctl(0, TIOCSPGRP, BAD_PTR) == -1 && errno == EFAULT);
	CHECK(tcsetpgrp(0, 99999) == -1 && errno == ESRCH);
	CHECK(tcsetpgrp(0, -5) == -1 && errno == EINVAL);
	CHECK(ioctl(0, 0x54ff, &pgrp) == -1 && errno == ENOTTY);
	CHECK(getsid(0) == me || getsid(0) > 0);
	CHECK(setsid() == -1 && errno == EPERM); /* init leads its group */

	/* A group in another session: EPERM. */
	CHECK(pipe(fds) == 0);
	other = fork();
	if (other == 0) {
		setsid();
		write(fds[1], "s", 1);
		for (;;)
			sleep(1);
	}
	CHECK(read(fds[0], &c, 1) == 1);
	CHECK(getsid(other) == other);
	CHECK(tcsetpgrp(0, other) == -1 && errno == EPERM);
	kill(other, SIGKILL);
	CHECK(waitpid(other, &status, 0) == other);
	close(fds[0]);
	close(fds[1]);

	child = fork();
	if (child == 0) {
		setpgid(0, 0);
		for (;;)
			read(0, &c, 1); /* until SIGINT */
	}
	CHECK(setpgid(child, child) == 0 || errno == EACCES);
	CHECK(getpgid(child) == child);
	CHECK(tcsetpgrp(0, child) == 0);
	CHECK(tcgetpgrp(0) == child);
	prompt("press Ctrl-C");
	CHECK(waitpid(child, &status, 0) == child);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGINT);
	printf("tty_test: the foreground reader died of signal %d\n",
	       WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	CHECK(tcsetpgrp(0, getpgrp()) == 0);
}

/* In the order of the runner's keystrokes. */
static const struct utest_case cases[] = {
	UTEST_CASE(test_line_editing),
	UTEST_CASE(test_eof),
	UTEST_CASE(test_raw),
	UTEST_CASE(test_pgrp),
};

int main(int argc, char **argv)
{
	if (argc > 1)
		token = argv[1];
	printf("# tty_test: token %s\n", token);
	return UTEST_RUN("tty_test", cases);
}
