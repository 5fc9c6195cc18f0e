# /init's script on Hartix for the programs tests.
# SPDX-License-Identifier: BSD-2-Clause
# The applets become links in /progs/bin; then run.sh, or with the argument
# "testsuite" busybox's own testsuite.
B=/progs/bin
for a in $($B/busybox --list); do
	[ -e "$B/$a" ] || $B/busybox ln -s busybox "$B/$a"
done
$B/busybox mkdir -p /tmp
if [ "$1" != testsuite ]; then
	P=/progs W=/tmp/w exec $B/busybox sh /progs/run.sh
fi
# The cases are "#!/bin/sh" scripts: /bin/sh must be busybox's here.
export PATH=$B TZ=UTC LC_ALL=C
ln -sf $B/busybox /bin/sh
mkdir -p /tmp/bb
ln -s $B/busybox /tmp/bb/busybox
cp $B/busybox.config /tmp/bb/.config
cd /progs/testsuite || exit 1
echo "@@@ testsuite begin"
bindir=/tmp/bb sh runtest $(cat /progs/testsuite.applets)
echo "@@@ testsuite end status $?"
