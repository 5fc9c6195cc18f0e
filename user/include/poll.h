/* SPDX-License-Identifier: BSD-2-Clause */
/* poll() and ppoll(): waiting for descriptors to become ready. */
#ifndef _POLL_H
#define _POLL_H

#include <signal.h>
#include <time.h>
#include <abi/poll.h>

typedef unsigned long nfds_t;

/* timeout in milliseconds; negative: forever. */
int poll(struct pollfd *fds, nfds_t nfds, int timeout);
/* timeout NULL: forever. The kernel checks sigmask but does not apply it yet. */
int ppoll(struct pollfd *fds, nfds_t nfds, const struct timespec *timeout,
	  const sigset_t *sigmask);

#endif
