/* SPDX-License-Identifier: BSD-2-Clause */
/* A test's scratch directory and names in it, for the glibc file tests. */
#ifndef SCRATCH_H
#define SCRATCH_H

#include <stdio.h>

/* The directory the test made for its files (it fills this in). */
static char dir[64];

/* dir/name; the last four results stay valid at once. */
static const char *path(const char *name)
{
	static char buf[4][128];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", dir, name);
	return buf[i];
}

#endif
