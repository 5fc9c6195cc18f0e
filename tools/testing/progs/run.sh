# Runs the programs tests' checks and prints their outputs, on Hartix and under qemu-riscv64.
# SPDX-License-Identifier: BSD-2-Clause
# Every check of $P/checks runs in its own empty directory under $W, by
# busybox sh (NAME.sh) or dash (NAME.dash); its output is printed between
# "@@@ begin NAME" and "@@@ end NAME status N". P and W are the only paths
# that differ between the two machines.
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
	# Without carriage returns (sqlite's CSV rows end in CR LF): on
	# Hartix the output reaches the runner through the console, whose
	# own CR LF would make each a line of its own.
	tr -d '\r' < "$W/$n.out"
	# A last line without its newline must not hide the end marker.
	echo
	echo "@@@ end $n status $status"
done
echo "@@@ all done"
