-- string.char micro-benchmark: one call a iteration building a one-byte string (a decoder).
-- Usage: <lua> str_char.lua [iterations]   (prints a checksum; compare with lua5.4)
-- calls per iteration: 1
local n = tonumber(arg and arg[1]) or 200000
local char = string.char
local total = 0
for i = 1, n do
  total = total + #char(32 + i % 95)
end
print(total)
