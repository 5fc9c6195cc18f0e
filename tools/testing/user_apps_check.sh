#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Checks the /bin commands and the shell (user/apps) under qemu-riscv64,
# the real Linux ABI: each output is compared with what coreutils/busybox
# would print. Run by user_qemu_check.sh; alone:
#
# Usage: sh tools/testing/user_apps_check.sh APPDIR
#   APPDIR: the built programs, $(O)/user/apps
#
# Prints TAP ("ok N name", "# ..." diagnostics, the plan "1..N" last);
# exit status 1 if any check failed.
#
# The shell's children are run through host scripts in a bin directory,
# one per command, that start qemu-riscv64 (no binfmt_misc is needed):
# the shell's execve() of /tmp/.../bin/cat runs the host script.

here=$(cd "$(dirname "$0")" && pwd)
apps=$(cd "${1:?usage: user_apps_check.sh APPDIR}" && pwd) || exit 1
qemu=$(command -v qemu-riscv64) || { echo "Bail out! no qemu-riscv64"; exit 1; }
timeout=$(command -v timeout) || { echo "Bail out! no timeout"; exit 1; }
cmds="sh ls cat echo mkdir rm mv kill uname sleep true false yes head wc"

tmp=$(mktemp -d /tmp/user_apps_check.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
ulimit -c 0 2>/dev/null
mkdir "$tmp/bin" "$tmp/w"
for c in $cmds; do
	[ -x "$apps/$c" ] || { echo "Bail out! no $apps/$c"; exit 1; }
	printf '#!/bin/sh\nexec %s %s "$@"\n' "$qemu" "$apps/$c" >"$tmp/bin/$c"
	chmod +x "$tmp/bin/$c"
done
cd "$tmp/w" || exit 1

n=0
failed=0
token=$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')

# check NAME EXPECTED-STATUS EXPECTED-OUTPUT COMMAND...: runs the command
# (stdout and stderr together, 30 s at most) and compares.
check() {
	name=$1 want_rc=$2 want=$3
	shift 3
	got=$(PATH="$tmp/bin" $timeout 30 "$@" 2>&1)
	rc=$?
	n=$((n + 1))
	if [ "$rc" = "$want_rc" ] && [ "$got" = "$want" ]; then
		echo "ok $n $name"
	else
		failed=$((failed + 1))
		echo "# status $rc (expected $want_rc); output:"
		printf '%s\n' "$got" | sed 's/^/#   /'
		echo "# expected:"
		printf '%s\n' "$want" | sed 's/^/#   /'
		echo "not ok $n $name"
	fi
}


check echo 0 "a b c  $token" "$tmp/bin/echo" a b "c " "$token"
check echo-n 0 "x${token}y" "$tmp/bin/sh" -c "echo -n x; echo -n $token; echo y"
check true 0 "" "$tmp/bin/true"
check false 1 "" "$tmp/bin/false"
check yes-head 0 "$(printf '%s\n%s\n%s' "$token" "$token" "$token")" "$tmp/bin/sh" -c "yes $token | head -n 3"
check yes-default 0 "$(printf 'y\ny')" "$tmp/bin/sh" -c "yes | head -2"
printf 'one\ntwo three\nfour\n' >f
printf 'l1\nl2\nl3\nl4\nl5\nl6\nl7\nl8\nl9\nl10\nl11\nl12\n' >twelve
check cat 0 "$(cat f twelve)" "$tmp/bin/cat" f twelve
check cat-stdin 0 "$(cat f)" "$tmp/bin/sh" -c "cat < f"
check cat-dash 0 "$(printf '%s\n' "$token"; cat f)" "$tmp/bin/sh" -c "echo $token | cat - f"
check cat-missing 1 "$(printf 'cat: nosuch: No such file or directory\n'; cat f)" "$tmp/bin/cat" nosuch f
check head-default 0 "$(head twelve)" "$tmp/bin/head" twelve
check head-n 0 "$(head -n 2 twelve)" "$tmp/bin/head" -n 2 twelve
check head-files 0 "$(head -n 1 f twelve)" "$tmp/bin/head" -n 1 f twelve
check head-stdin 0 "l1" "$tmp/bin/sh" -c "head -n 1 < twelve"
check wc 0 "      3       4      19 f" "$tmp/bin/wc" f
check wc-l 0 "12 twelve" "$tmp/bin/wc" -l twelve
check wc-w-stdin 0 "3" "$tmp/bin/sh" -c "echo a b c | wc -w"
check wc-c-total 0 "$(printf '19 f\n%d twelve\n%d total' $(wc -c <twelve) $(($(wc -c <twelve) + 19)))" "$tmp/bin/wc" -c f twelve
check mkdir 0 "" "$tmp/bin/mkdir" d1
check mkdir-exists 1 "mkdir: cannot create directory 'd1': File exists" "$tmp/bin/mkdir" d1
check mkdir-p 0 "c" "$tmp/bin/sh" -c "mkdir -p d1/a/b/c && mkdir -p d1/a/b/c && ls d1/a/b"
check mkdir-noparent 1 "mkdir: cannot create directory 'x/y': No such file or directory" "$tmp/bin/mkdir" x/y
echo "$token" >d1/file
check ls 0 "$(printf 'a\nfile')" "$tmp/bin/ls" d1
check ls-a 0 "$(printf '.\n..\na\nfile')" "$tmp/bin/ls" -a d1
check ls-operands 0 "$(printf 'f\n\nd1:\na\nfile\n\nd1/a:\nb')" "$tmp/bin/ls" d1/a d1 f
# -l: the mode, links, size and name fields as GNU ls -ln shows them.
ls -ln d1 | awk 'NR > 1 { print $1, $2, $5, $NF }' >want_l
PATH="$tmp/bin" "$tmp/bin/ls" -l d1 | awk 'NR > 1 { print $1, $2, $5, $NF }' >got_l
n=$((n + 1))
if [ -s want_l ] && cmp -s want_l got_l && PATH="$tmp/bin" "$tmp/bin/ls" -l d1 | head -n 1 | grep -q '^total [0-9]*$'; then
	echo "ok $n ls-l"
else
	failed=$((failed + 1))
	sed 's/^/# want: /' want_l; sed 's/^/# got:  /' got_l
	echo "not ok $n ls-l"
fi
check ls-missing 2 "ls: nosuch: No such file or directory" "$tmp/bin/ls" nosuch
check mv 0 "$(printf '%s\na' "$token")" "$tmp/bin/sh" -c "mv d1/file g && cat g && ls d1"
check mv-into-dir 0 "$(printf 'a\ng')" "$tmp/bin/sh" -c "mv g d1 && ls d1"
check mv-missing 1 "mv: cannot move 'nosuch' to 'z': No such file or directory" "$tmp/bin/mv" nosuch z
check rm 1 "cat: r: No such file or directory" "$tmp/bin/sh" -c "echo x > r && rm r && cat r"
check rm-missing 1 "rm: cannot remove 'nosuch': No such file or directory" "$tmp/bin/rm" nosuch
check rm-f 0 "" "$tmp/bin/rm" -f nosuch
check rm-dir 1 "rm: cannot remove 'd1': Is a directory" "$tmp/bin/rm" d1
check rm-r 0 "$(ls | grep -v '^d1$')" "$tmp/bin/sh" -c "rm -r d1 && ls"
check uname 0 "Linux" "$tmp/bin/uname"
check uname-sm 0 "Linux riscv64" "$tmp/bin/uname" -s -m
check uname-a 0 "$(uname -s -n -r -v) riscv64" "$tmp/bin/uname" -a
check sleep-fraction 0 "" "$tmp/bin/sleep" 0.2
check sleep-bad 1 "sleep: invalid time interval 'x'" "$tmp/bin/sleep" x
check kill-l 0 "TERM" "$tmp/bin/kill" -l 15
check kill-missing 1 "kill: (2147483) - No such process" "$tmp/bin/kill" 2147483
# The shell says how a job died (not for SIGINT and SIGPIPE), $? is 128 + N.
check kill-9 0 "$(printf 'Killed\nst=137')" "$tmp/bin/sh" -c "sh -c 'kill -9 \$\$'; echo st=\$?"
check kill-s 0 "$(printf 'Terminated\nst=143')" "$tmp/bin/sh" -c "sh -c 'kill -s TERM \$\$'; echo st=\$?"
check kill-int 0 "st=130" "$tmp/bin/sh" -c "sh -c 'kill -INT \$\$'; echo st=\$?"
check sh-exec 5 "" "$tmp/bin/sh" -c "exec sh -c 'exit 5'; echo not here"

# The shell.
check sh-quoting 0 "a  b c/\$x \\ $token" "$tmp/bin/sh" -c "X=c; echo 'a  b' \"\$X/\\\$x\" \\\\ $token"
check sh-status 0 "1 0 127" "$tmp/bin/sh" -c "false; a=\$?; true; b=\$?; nosuch 2>/dev/null; echo \$a \$b \$?"
check sh-not-found 127 "sh: nosuch$token: command not found" "$tmp/bin/sh" -c "nosuch$token"
check sh-and-or 0 "$(printf 'b\nc')" "$tmp/bin/sh" -c "false && echo a || echo b; true && echo c || echo d"
check sh-redirections 0 "$(printf '2\nx\ny')" "$tmp/bin/sh" -c "echo x > o; echo y >> o; wc -l < o; cat o"
check sh-stderr 0 "ls: nosuch: No such file or directory" "$tmp/bin/sh" -c "ls nosuch 2> e; cat e"
check sh-2to1 0 "ls: nosuch: No such file or directory" "$tmp/bin/sh" -c "ls nosuch 2>&1 | cat"
check sh-pipeline 0 "3" "$tmp/bin/sh" -c "echo one two three | cat | wc -w"
check sh-cd-pwd 0 "$tmp" "$tmp/bin/sh" -c "cd $tmp && pwd"
check sh-cd-missing 1 "sh: cd: /nosuch: No such file or directory" "$tmp/bin/sh" -c "cd /nosuch"
check sh-exit 3 "" "$tmp/bin/sh" -c "exit 3; echo not here"
check sh-env 0 "v=7 w=" "$tmp/bin/sh" -c "V=7 sh -c 'echo v=\$V w=\$W'"
check sh-assign 0 "1 2" "$tmp/bin/sh" -c "A=1; B=2; echo \$A \$B"
check sh-unset-var 0 "x" "$tmp/bin/sh" -c "echo \$NOPE x"
check sh-background 0 "$(printf 'fg\nbg')" "$tmp/bin/sh" -c "sleep 1 && echo bg & echo fg; wait"
check sh-syntax 2 "sh: syntax error near unexpected token '|'" "$tmp/bin/sh" -c "echo a | | wc"
check sh-comment 0 "a" "$tmp/bin/sh" -c "echo a # b"
printf 'echo script $1 $#\ncd /\npwd\nexit 4\n' >script
check sh-script 4 "$(printf 'script x 2\n/')" "$tmp/bin/sh" script x y
printf 'echo a\necho b\n' >lines
check sh-stdin 0 "$(printf 'a\nb')" "$tmp/bin/sh" -c "cat lines | sh"

# Job control on a real terminal: Ctrl-C ends the foreground job only.
n=$((n + 1))
if /usr/bin/python3 "$here/sh_pty_check.py" "$tmp/bin" >pty.txt 2>&1; then
	echo "ok $n sh-ctrl-c-pty"
else
	failed=$((failed + 1))
	sed 's/^/# /' pty.txt
	echo "not ok $n sh-ctrl-c-pty"
fi

echo "1..$n"
[ $failed = 0 ]
