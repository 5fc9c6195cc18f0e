-- lua5.4: strings, tables, math, coroutines, os.time, io on files.
-- SPDX-License-Identifier: BSD-2-Clause
print(("hello"):upper(), #"hello", ("abc"):rep(3, "-"))
print(string.format("%5.2f|%d|%s|%q", math.pi, 42, "x", "a\nb"))
print(("key=value; k2=v2"):gsub("(%w+)=(%w+)", "%2=%1"))
for w in ("the quick brown fox"):gmatch("%a+") do io.write(w:sub(1, 1)) end
print()
local t = {}
for i = 1, 10 do t[i] = (i * 7) % 11 end
table.sort(t)
print(table.concat(t, ","))
table.sort(t, function(a, b) return a > b end)
print(table.concat(t, ",", 1, 3), #t, select("#", table.unpack(t)))
print(math.floor(-3.5), math.ceil(3.2), math.max(3, 9, 1), math.fmod(7, 3))
print(math.maxinteger, math.mininteger, 2^53, math.sqrt(2))
print(math.tointeger(3.0), 1e308 * 10, -(0/0) ~= -(0/0))
local co = coroutine.create(function(a, b)
  local c = coroutine.yield(a + b)
  local d, e = coroutine.yield(c * 2)
  return d + e
end)
print(coroutine.resume(co, 1, 2))
print(coroutine.resume(co, 10))
print(coroutine.resume(co, 3, 4))
print(coroutine.resume(co), coroutine.status(co))
local gen = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i) end end)
print(gen(), gen(), gen())
print(os.time({year = 2020, month = 2, day = 29, hour = 12, min = 0, sec = 0}))
print(os.date("!%Y-%m-%d %H:%M:%S", 1e9))
print(os.time() > 1.6e9, type(os.clock()))
local f = assert(io.open("lua.txt", "w"))
for i = 1, 5 do f:write("line ", i, "\n") end
f:close()
local n = 0
for l in io.lines("lua.txt") do n = n + #l end
print("chars", n)
f = assert(io.open("lua.txt", "r"))
f:seek("set", 5)
print(f:read("l"), f:seek("cur"), f:seek("end"))
f:close()
print(os.rename("lua.txt", "lua2.txt"), io.open("lua.txt") == nil)
print(os.remove("lua2.txt"), select(2, os.remove("lua2.txt")))
print(pcall(function() local x = nil; return x.y end))
local mt = setmetatable({}, {__index = function(_, k) return k * 2 end,
                             __call = function(_, x) return x + 1 end})
print(mt[21], mt(41))
print(utf8.char(72, 228, 8364), utf8.len("häé"))
local big = {}
for i = 1, 100000 do big[i] = tostring(i) end
print(#table.concat(big), collectgarbage("count") > 0)
