-- table.concat micro-benchmark: short and long lists, with and without separator.
-- Usage: <lua> tbl_concat.lua [iterations]   (prints a checksum; compare with lua5.4)
-- calls per iteration: 5
local n = tonumber(arg and arg[1]) or 5000
local concat = table.concat
local short = { "alpha", "beta", "gamma", "delta", "epsilon" }
local long = {}
for i = 1, 200 do long[i] = "item" .. i end
local mixed = { 1, "two", 3.5, "four", 5 }
local total = 0
for i = 1, n do
  total = total + #concat(short) + #concat(short, ", ")
  total = total + #concat(long, ",") + #concat(mixed, "|") + #concat(long, "", 10, 50)
end
print(total)
