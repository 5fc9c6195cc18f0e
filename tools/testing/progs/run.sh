# Runs every check of $P/checks in its own empty directory under $W, by
# busybox sh (NAME.sh) or dash (NAME.dash), and prints its output between
# "@@@ begin NAME" and "@@@ end NAME status N". The same on Hartix and under
# qemu-riscv64: P and W are the only paths that differ.
# SPDX-License-Identifier: BSD-2-Clause
export PATH="$P/bin" HOME=/ TZ=UTC LC_ALL=C P
for c in "$P"/checks/*; do
	n=${c##*/}
	case $n in
	*.dash) shell=dash ;;
	*) shell=sh ;;
	esac
	mkdir -p "$W/$n"
	cd "$W/$n" || exit 1
	$shell "$c" > "$W/$n.out" 2>&1 < /dev/null
	status=$?
	cd /
	echo "@@@ begin $n"
	cat "$W/$n.out"
	echo "@@@ end $n status $status"
done
echo "@@@ all done"
