-- tonumber micro-benchmark: one call a iteration on a numeral string (integers and floats).
-- Usage: <lua> tonumber.lua [iterations]   (prints a checksum; compare with lua5.4)
-- calls per iteration: 1
local n = tonumber(arg and arg[1]) or 200000
local tonumber = tonumber
local numerals = { "12", "3.25", "-7", "1000000" }
local total = 0
for i = 1, n do
  total = total + tonumber(numerals[i % 4 + 1])
end
print(total)
