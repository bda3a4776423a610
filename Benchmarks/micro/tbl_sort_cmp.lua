-- table.sort with a Lua comparator: every comparison is a call from the host into Lua.
-- Usage: <lua> tbl_sort_cmp.lua [n]   (default 50000 pseudo-random integers; prints a checksum)
-- Count the whole process with callgrind (papers/string-library-speed.md, section 12): the
-- comparisons grow as n log n, so callgrind.sh's per-call arithmetic does not apply.
local n = tonumber(arg and arg[1]) or 50000
local t = {}
local x = 12345
for i = 1, n do x = (x * 1103515245 + 12345) % 2147483648; t[i] = x end
table.sort(t, function(a, b) return a > b end)
print(t[1], t[n])
