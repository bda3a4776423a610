-- string.rep micro-benchmark: one call a iteration, short results (indentation, rulers).
-- Usage: <lua> str_rep.lua [iterations]   (prints a checksum; compare with lua5.4)
-- calls per iteration: 1
local n = tonumber(arg and arg[1]) or 200000
local rep = string.rep
local total = 0
for i = 1, n do
  total = total + #rep("  ", i % 16)
end
print(total)
