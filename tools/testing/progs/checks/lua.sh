# lua5.4, static and linked dynamically against Debian's libc.so.6.
# SPDX-License-Identifier: BSD-2-Clause
lua "$P/data/prog.lua"
echo "status $?"
lua-dynamic "$P/data/prog.lua" | md5sum
lua "$P/data/prog.lua" | md5sum
lua -e 'print(_VERSION, math.type(1), math.type(1.0), 7 // 2, 7 % -3)'
lua -e 'error("boom")' 2>&1 | head -1
