-- string.gmatch micro-benchmark: one gmatch loop a iteration over a short sentence (8 words).
-- Usage: <lua> str_gmatch.lua [iterations]   (prints a checksum; compare with lua5.4)
-- calls per iteration: 1
local n = tonumber(arg and arg[1]) or 50000
local gmatch = string.gmatch
local text = "the quick brown fox jumps over lazy dogs"
local total = 0
for i = 1, n do
  for word in gmatch(text, "%a+") do total = total + #word end
end
print(total)
