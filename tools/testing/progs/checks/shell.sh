# busybox sh: pipes, redirections, subshells, here-documents, traps, jobs.
# SPDX-License-Identifier: BSD-2-Clause
f() { echo "f got $# args: $*"; return 3; }
f a 'b c'
echo "status $?"
x=outer
(x=inner; echo "sub $x")
echo "after $x"
echo to-file > out; echo more >> out; cat < out
exec 3> fd3; echo via-fd3 >&3; exec 3>&-; cat fd3
ls no-such-file 2> err; echo "ls status $?"; wc -l < err
cat <<END
here $x $((6 * 7))
END
i=0; while [ $i -lt 5 ]; do i=$((i + 1)); done; echo "i=$i"
for w in a b c; do printf '%s-' "$w"; done; echo
case hello in h*o) echo matched ;; *) echo nope ;; esac
seq 1 100 | while read n; do s=$((${s:-0} + n)); echo $s; done | tail -1
echo a b c | { read p q r; echo "$r $q $p"; }
v=$(echo nested $(echo deep)); echo "$v"
trap 'echo trapped USR1' USR1
kill -USR1 $$
trap 'echo exit trap' EXIT
sh -c 'exit 7'; echo "child status $?"
sleep 1 & pid=$!; wait $pid; echo "waited $?"
(sleep 5; echo never) & k=$!; kill $k; wait $k; echo "killed status $?"
echo piped | cat | cat | tr a-z A-Z
set -- one two; shift; echo "$1 $#"
echo ${undefined:-default} ${#x}
readonly r=1; (r=2) 2>/dev/null || echo "readonly kept"
umask 027; umask
