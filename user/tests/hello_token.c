/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hello_token TOKEN: prints "hello_token: TOKEN" (a runner passes a random
 * token and looks for it, so the line cannot come from anywhere else), then
 * argc and the pid. Exit status 2 without a token.
 */
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: hello_token TOKEN\n");
		return 2;
	}
	printf("hello_token: %s\n", argv[1]);
	printf("hello_token: argc=%d pid=%d\n", argc, getpid());
	return 0;
}
