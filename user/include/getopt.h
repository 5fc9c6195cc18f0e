/* SPDX-License-Identifier: BSD-2-Clause */
/* getopt(): POSIX short options ("ab:c"); a leading ':' in optstring reports a missing argument as ':'. */
#ifndef _GETOPT_H
#define _GETOPT_H

extern char *optarg;
extern int optind, opterr, optopt;

int getopt(int argc, char *const argv[], const char *optstring);

#endif
