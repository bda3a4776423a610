-- tostring micro-benchmark: one call a iteration on an integer (the common case in output code).
-- Usage: <lua> tostring.lua [iterations]   (prints a checksum; compare with lua5.4)
-- calls per iteration: 1
local n = tonumber(arg and arg[1]) or 200000
local tostring = tostring
local total = 0
for i = 1, n do
  total = total + #tostring(i)
end
print(total)
