# lua5.4, static and linked dynamically against Debian's libc.so.6.
# SPDX-License-Identifier: BSD-2-Clause
# A copy here: error messages name the script, and the sums would see
# the two machines' different paths to it.
cp "$P/data/prog.lua" .
lua prog.lua
echo "status $?"
lua-dynamic prog.lua | md5sum
lua prog.lua | md5sum
lua -e 'print(_VERSION, math.type(1), math.type(1.0), 7 // 2, 7 % -3)'
lua -e 'error("boom")' 2>&1 | head -1
