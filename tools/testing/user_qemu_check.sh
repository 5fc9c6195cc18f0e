#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Checks the user programs of 'make user' against Linux itself: each one runs
# under qemu-riscv64 (QEMU's Linux user-mode emulation, the reference ABI),
# each ELF is checked with readelf, and the initramfs is listed and unpacked.
#
# Usage: sh tools/testing/user_qemu_check.sh [OBJTREE]
#   OBJTREE is the O= directory of the build (default: the source tree).
#   Build first: make O=OBJTREE user
#
# Prints TAP like the host tests: "ok N name" or "not ok N name" per check
# (a skipped one ends in "# SKIP reason"), "# ..." diagnostics before the
# result, the plan "1..N" last. Exit status 1 if any check failed.
# Needs qemu-user (qemu-riscv64), binutils (readelf) and python3; cpio and
# riscv64-linux-gnu-gcc are used when installed.

srctree=$(cd "$(dirname "$0")/../.." && pwd)
objtree=$(cd "${1:-$srctree}" 2>/dev/null && pwd) || {
	echo "Bail out! no directory ${1}"; exit 1; }
user=$objtree/user
python=/usr/bin/python3
qemu=qemu-riscv64
timeout_s=60

apps="hello power store_fault sret_in_user csr_read
	sh ls cat echo mkdir rm mv kill uname sleep true false yes head wc ps init"
usr_apps="top free" # in /usr/bin
tests="hello_token syscall_errno libc_selftest signal_test pipe_test tmpfs_test busy_token input_test efault"
tests="$tests mm_semantics mm_stress sched_test"

command -v $qemu >/dev/null 2>&1 || {
	echo "Bail out! $qemu not found: apt-get install qemu-user"; exit 1; }
for b in $apps $usr_apps; do
	[ -x "$user/apps/$b" ] || { echo "Bail out! no $user/apps/$b: make O=$objtree user"; exit 1; }
done
for b in $tests; do
	[ -x "$user/tests/$b" ] || { echo "Bail out! no $user/tests/$b: make O=$objtree user"; exit 1; }
done

tmp=$(mktemp -d /tmp/user_qemu_check.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
# A dying program must not leave a qemu core file behind.
ulimit -c 0 2>/dev/null
cd "$tmp" || exit 1

n=0
failed=0

result() { # result OK(0/1) NAME [SKIP-REASON]
	n=$((n + 1))
	if [ -n "$3" ]; then
		echo "ok $n $2 # SKIP $3"
	elif [ "$1" = 0 ]; then
		echo "ok $n $2"
	else
		failed=$((failed + 1))
		echo "not ok $n $2"
	fi
}

diag() { sed 's/^/# /' "$@"; }

# run OUTFILE PROGRAM ARGS...: runs under qemu with a timeout; sets $rc
# (128 + N when signal N ended it, 124 on timeout).
run() {
	out=$1
	shift
	timeout $timeout_s $qemu "$@" >"$out" 2>&1
	rc=$?
}

# ---------------------------------------------------------------------------
# The ELF files: static ELF64 RISC-V executables, entry 0x10000, page-aligned
# PT_LOADs from 0x10000 on, none writable and executable, a non-executable
# stack, no interpreter, no dynamic section.
check_elf() {
	f=$1
	readelf -hl -W "$f" >elf.txt 2>&1 || { diag elf.txt; return 1; }
	ok=0
	grep -q 'Class: *ELF64' elf.txt || { echo "# $f: not ELF64"; ok=1; }
	grep -q 'Type: *EXEC' elf.txt || { echo "# $f: not ET_EXEC"; ok=1; }
	grep -q 'Machine: *RISC-V' elf.txt || { echo "# $f: not RISC-V"; ok=1; }
	grep -q 'Entry point address: *0x10000$' elf.txt || {
		echo "# $f: entry is not 0x10000"; ok=1; }
	if grep -qE '^ *(INTERP|DYNAMIC) ' elf.txt; then
		echo "# $f: has INTERP or DYNAMIC: not static"; ok=1
	fi
	grep -qE '^ *GNU_STACK .* RW  ' elf.txt || {
		echo "# $f: no non-executable PT_GNU_STACK"; ok=1; }
	loads=$(awk '$1 == "LOAD"' elf.txt)
	[ -n "$loads" ] || { echo "# $f: no PT_LOAD"; ok=1; }
	first=$(echo "$loads" | awk 'NR == 1 { print $3 }')
	[ "$first" = 0x0000000000010000 ] || {
		echo "# $f: first PT_LOAD at $first, not 0x10000"; ok=1; }
	if echo "$loads" | awk '{ a = $NF } a != "0x1000" { bad = 1 }
	    / RWE / { bad = 1 } END { exit !bad }'; then
		echo "# $f: a PT_LOAD is not 4 KiB aligned, or is writable and executable"
		ok=1
	fi
	[ $ok = 0 ] || diag elf.txt
	return $ok
}

for b in $apps $usr_apps; do
	check_elf "$user/apps/$b"
	result $? "elf/$b"
done
for b in $tests; do
	check_elf "$user/tests/$b"
	result $? "elf/$b"
done

# ---------------------------------------------------------------------------
# The programs under qemu-riscv64.
run out.txt "$user/apps/hello" a 'b c'
ok=0
[ $rc = 0 ] || { echo "# exit status $rc"; ok=1; }
grep -qx 'Hello, world!' out.txt || ok=1
grep -qx 'argc = 3' out.txt || ok=1
grep -qx 'argv\[1\] = "a"' out.txt || ok=1
grep -qx 'argv\[2\] = "b c"' out.txt || ok=1
[ $ok = 0 ] || diag out.txt
result $ok qemu/hello

run out.txt "$user/apps/power"
ok=0
[ $rc = 0 ] || { echo "# exit status $rc"; ok=1; }
# 3^i mod 10007 for i = 10000, 20000, ..., 100000, as Python's pow() says.
expect="5079 8202 8824 5750 3824 8516 2510 9379 2621 2749"
i=0
for v in $expect; do
	i=$((i + 10000))
	grep -qx "3^$i=$v(MOD 10007)" out.txt || { echo "# missing 3^$i=$v"; ok=1; }
done
[ "$(grep -c 'MOD 10007' out.txt)" = 10 ] || ok=1
grep -qx 'Test power OK!' out.txt || ok=1
[ $ok = 0 ] || diag out.txt
result $ok qemu/power

# The /proc readers against the host's /proc and its procps.
run out.txt "$user/apps/ps"
ok=0
[ $rc = 0 ] || { echo "# exit status $rc"; ok=1; }
[ "$(head -1 out.txt)" = "  PID TTY          TIME CMD" ] || ok=1
# pid 1 is there with the name and terminal procps gives it.
want=$(ps -e 2>/dev/null | awk '$1 == 1 { print $1, $2, $4 }')
got=$(awk '$1 == 1 { print $1, $2, $4 }' out.txt)
[ -z "$want" ] || [ "$want" = "$got" ] || { echo "# pid 1: '$got', procps: '$want'"; ok=1; }
[ $ok = 0 ] || diag out.txt
result $ok qemu/ps

run out.txt "$user/apps/free"
ok=0
[ $rc = 0 ] || { echo "# exit status $rc"; ok=1; }
want=$(awk '$1 == "MemTotal:" { print $2 }' /proc/meminfo)
[ "$(awk '$1 == "Mem:" { print $2 }' out.txt)" = "$want" ] || ok=1
if command -v free >/dev/null 2>&1; then
	[ "$(head -1 out.txt)" = "$(free | head -1)" ] || { echo "# header differs from procps"; ok=1; }
fi
[ $ok = 0 ] || diag out.txt
result $ok qemu/free

run out.txt "$user/apps/top" -b -n 1 -d 0.2
ok=0
[ $rc = 0 ] || { echo "# exit status $rc"; ok=1; }
ncpu=$(grep -c '^cpu[0-9]' /proc/stat)
[ "$(grep -c '^%Cpu[0-9]' out.txt)" = "$ncpu" ] || { echo "# not $ncpu %CpuN lines"; ok=1; }
grep -q '^Tasks: ' out.txt || ok=1
grep -qE '^ +1 root ' out.txt || ok=1
[ $ok = 0 ] || diag out.txt
result $ok qemu/top

# check_killed NAME SIGNAL-NUMBER SIGNAL-NAME: dies by that signal, after
# its messages and without the "FAIL" line it prints if it survives.
check_killed() {
	run out.txt "$user/apps/$1"
	ok=0
	[ $rc = $((128 + $2)) ] || { echo "# $1: status $rc, expected $((128 + $2)) ($3)"; ok=1; }
	grep -q 'Kernel should kill this application!' out.txt || ok=1
	! grep -q FAIL out.txt || ok=1
	[ $ok = 0 ] || diag out.txt
	result $ok "qemu/$1 (killed by $3)"
}
check_killed store_fault 11 SIGSEGV
check_killed sret_in_user 4 SIGILL
check_killed csr_read 4 SIGILL

token=$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
run out.txt "$user/tests/hello_token" "$token"
ok=0
[ $rc = 0 ] || { echo "# exit status $rc"; ok=1; }
grep -qx "hello_token: $token" out.txt || { echo "# token $token not printed"; ok=1; }
[ $ok = 0 ] || diag out.txt
result $ok qemu/hello_token

run out.txt "$user/tests/hello_token"
[ $rc = 2 ] && grep -q usage out.txt
ok=$?
[ $ok = 0 ] || { echo "# without a token: status $rc"; diag out.txt; }
result $ok qemu/hello_token_usage

run out.txt "$user/tests/busy_token" "$token" 1
ok=0
[ $rc = 0 ] || { echo "# exit status $rc"; ok=1; }
grep -q "^busy_token: $token done after [1-9]" out.txt || { echo "# no done line"; ok=1; }
[ $ok = 0 ] || diag out.txt
result $ok qemu/busy_token

# Bad pointers to every call that takes one: Linux's answers are the
# reference (efault.c says where qemu-user's differ from Linux's, and why).
mkdir efault_dir
run out.txt "$user/tests/efault" "$tmp/efault_dir"
ok=0
[ $rc = 0 ] || { echo "# exit status $rc"; ok=1; }
grep -qE '^# Totals: pass:[1-9][0-9]* fail:0 skip:0$' out.txt || ok=1
[ $ok = 0 ] || diag out.txt
result $ok qemu/efault

token=$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
run out.txt "$user/tests/syscall_errno" "$token"
ok=0
[ $rc = 0 ] || { echo "# exit status $rc"; ok=1; }
grep -qE '^# Totals: pass:[1-9][0-9]* fail:0 skip:0$' out.txt || ok=1
grep -qx "# syscall_errno: token $token" out.txt || ok=1
[ $ok = 0 ] || diag out.txt
result $ok qemu/syscall_errno

# Linux runs every case but the execve one (qemu-user cannot exec a
# riscv64 binary without binfmt_misc; the test says so and skips it).
token=$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
run out.txt "$user/tests/signal_test" "$token"
ok=0
[ $rc = 0 ] || { echo "# exit status $rc"; ok=1; }
grep -qE '^# Totals: pass:[1-9][0-9]* fail:0 skip:[0-9]+$' out.txt || ok=1
grep -qx "# signal_test: token $token" out.txt || ok=1
[ $ok = 0 ] || diag out.txt
result $ok qemu/signal_test

token=$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
run out.txt "$user/tests/pipe_test" "$token" qemu-user
ok=0
[ $rc = 0 ] || { echo "# exit status $rc"; ok=1; }
grep -qE '^# Totals: pass:[1-9][0-9]* fail:0 skip:0$' out.txt || ok=1
grep -qx "# pipe_test: token $token" out.txt || ok=1
grep -q "checksum matches" out.txt || ok=1
[ $ok = 0 ] || diag out.txt
result $ok qemu/pipe_test

# The scheduler stress under Linux: the affinity calls, SIGKILL of a
# long read and of a blocked reader behave the same there.
run out.txt "$user/tests/sched_test"
ok=0
[ $rc = 0 ] || { echo "# exit status $rc"; ok=1; }
grep -qE '^# Totals: pass:[1-9][0-9]* fail:0 skip:0$' out.txt || ok=1
[ $ok = 0 ] || diag out.txt
result $ok qemu/sched_test

# dir_test NAME: a test that works in a directory of the host's, which it
# must leave empty; Linux's errno for every bad argument is the reference.
dir_test() {
	token=$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
	mkdir "$1_dir"
	run out.txt "$user/tests/$1" "$token" "$tmp/$1_dir"
	ok=0
	[ $rc = 0 ] || { echo "# exit status $rc"; ok=1; }
	grep -qE '^# Totals: pass:[1-9][0-9]* fail:0 skip:[0-9]+$' out.txt || ok=1
	grep -qx "# $1: token $token" out.txt || ok=1
	[ -z "$(ls "$1_dir")" ] || { echo "# $1 left files behind"; ok=1; }
	[ $ok = 0 ] || diag out.txt
	result $ok "qemu/$1"
}

# The RAM file system's checks.
dir_test tmpfs_test

# Memory semantics and the fork/COW/munmap stress under Linux; the
# Hartix-only memory accounting is skipped there.
for t in mm_semantics mm_stress; do
	token=$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
	run out.txt "$user/tests/$t" "$token"
	ok=0
	[ $rc = 0 ] || { echo "# exit status $rc"; ok=1; }
	grep -qE '^# Totals: pass:[1-9][0-9]* fail:0 skip:[0-9]+$' out.txt || ok=1
	grep -qx "# $t: token $token" out.txt || ok=1
	[ $ok = 0 ] || diag out.txt
	result $ok qemu/$t
done

# Path limits, symlinks, /proc's errnos, a sparse file, prlimit64 and wait4
# (the ELF cases need Hartix's execve).
dir_test input_test

# libc_selftest speaks TAP itself: each of its cases is one result here.
run out.txt "$user/tests/libc_selftest"
grep '^# ' out.txt | cut -c1-200
grep -E '^(ok|not ok) [0-9]+ ' out.txt >cases.txt
cases=$(wc -l <cases.txt)
while IFS= read -r line; do
	name=$(echo "$line" | sed -E 's/^(ok|not ok) [0-9]+ //')
	case $line in
	"not ok "*) result 1 "libc_selftest/$name" ;;
	*) result 0 "libc_selftest/$name" ;;
	esac
done <cases.txt
ok=0
[ $rc = 0 ] || { echo "# libc_selftest: exit status $rc"; ok=1; }
[ "$cases" -gt 0 ] || { echo "# libc_selftest: ran no case"; ok=1; }
grep -qx "1..$cases" out.txt || { echo "# libc_selftest: no plan 1..$cases"; ok=1; }
result $ok qemu/libc_selftest

# The /bin commands and the shell: one result per check of user_apps_check.sh.
sh "$srctree/tools/testing/user_apps_check.sh" "$user/apps" >apps.txt 2>&1
apps_rc=$?
grep '^# ' apps.txt | cut -c1-200
grep -E '^(ok|not ok) [0-9]+ ' apps.txt >cases.txt
while IFS= read -r line; do
	name=$(echo "$line" | sed -E 's/^(ok|not ok) [0-9]+ //')
	case $line in
	"not ok "*) result 1 "apps/$name" ;;
	*) result 0 "apps/$name" ;;
	esac
done <cases.txt
ok=0
[ -s cases.txt ] || { echo "# user_apps_check.sh ran no check"; diag apps.txt; ok=1; }
[ $apps_rc = 0 ] || grep -q '^not ok' cases.txt || { echo "# user_apps_check.sh: status $apps_rc"; diag apps.txt; ok=1; }
result $ok apps/all

# ---------------------------------------------------------------------------
# The archive: what it holds, by our own lister and by GNU cpio; /init is
# the init program; regenerating it gives the same bytes.
cpio_file=$user/initramfs.cpio
list=$user/initramfs.list
if [ -f "$cpio_file" ] && $python "$srctree/tools/build/gen_initramfs.py" \
		--list "$cpio_file" >listing.txt 2>&1; then
	ok=0
	want="bin tests usr usr/bin init"
	for b in $apps; do [ $b = init ] || want="$want bin/$b"; done
	for b in $usr_apps; do want="$want usr/bin/$b"; done
	for b in $tests; do want="$want tests/$b"; done
	for e in $want; do
		awk -v e="$e" '$4 == e { f = 1 } END { exit !f }' listing.txt ||
			{ echo "# $e missing"; ok=1; }
	done
	awk '$4 ~ /^(bin|tests|usr|usr\/bin|usr\/lib|usr\/lib\/wasm|tests\/wasm|tests\/wasm\/bench)$/ { if ($1 != "040755") bad = 1; next }
	     { if ($1 != "100755") bad = 1 }
	     END { exit bad }' listing.txt || { echo "# wrong modes"; ok=1; }
	[ $ok = 0 ] || diag listing.txt
else
	ok=1
	echo "# $cpio_file missing or malformed"
	[ -f listing.txt ] && diag listing.txt
fi
result $ok initramfs/contents

if ! command -v cpio >/dev/null 2>&1; then
	result 0 initramfs/gnu-cpio-extracts "cpio not installed"
else
	mkdir x && (cd x && cpio -idm --quiet <"$cpio_file") >cpio.txt 2>&1
	ok=$?
	for b in $apps; do
		[ $b = init ] || cmp -s "x/bin/$b" "$user/apps/$b" || { echo "# bin/$b differs"; ok=1; }
	done
	for b in $usr_apps; do cmp -s "x/usr/bin/$b" "$user/apps/$b" || { echo "# usr/bin/$b differs"; ok=1; }; done
	for b in $tests; do cmp -s "x/tests/$b" "$user/tests/$b" || { echo "# tests/$b differs"; ok=1; }; done
	cmp -s x/init "$user/apps/init" || { echo "# init is not apps/init"; ok=1; }
	[ $ok = 0 ] || diag cpio.txt
	result $ok initramfs/gnu-cpio-extracts
fi

$python "$srctree/tools/build/gen_initramfs.py" -o again.cpio "$list" &&
	cmp -s again.cpio "$cpio_file"
result $? initramfs/deterministic

# ---------------------------------------------------------------------------
# A binary from the Linux toolchain, with its own _start: exit status 42.
if ! command -v riscv64-linux-gnu-gcc >/dev/null 2>&1; then
	result 0 linux-toolchain/static_exit "riscv64-linux-gnu-gcc not installed"
else
	riscv64-linux-gnu-gcc -static -nostdlib -fno-stack-protector -O2 \
		-o linux_static_exit "$srctree/user/examples/linux_static_exit.c" \
		>gcc.txt 2>&1
	ok=$?
	if [ $ok = 0 ]; then
		run out.txt ./linux_static_exit
		[ $rc = 42 ] || { echo "# exit status $rc, expected 42"; ok=1; }
		readelf -h linux_static_exit | grep -q 'Type: *EXEC' ||
			{ echo "# not ET_EXEC"; ok=1; }
	else
		diag gcc.txt
	fi
	result $ok linux-toolchain/static_exit
fi

echo "1..$n"
[ $failed = 0 ]
