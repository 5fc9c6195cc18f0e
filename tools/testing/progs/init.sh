# /init's script on Hartix for the programs tests: the applets as links in
# /progs/bin, then run.sh (or the command line's own choice, $1).
# SPDX-License-Identifier: BSD-2-Clause
B=/progs/bin
for a in $($B/busybox --list); do
	[ -e "$B/$a" ] || $B/busybox ln -s busybox "$B/$a"
done
$B/busybox mkdir -p /tmp
P=/progs W=/tmp/w $B/busybox sh /progs/run.sh
