-- string.byte micro-benchmark: one call a iteration, one byte at a moving position (a scanner).
-- Usage: <lua> str_byte.lua [iterations]   (prints a checksum; compare with lua5.4)
-- calls per iteration: 1
local n = tonumber(arg and arg[1]) or 200000
local byte = string.byte
local text = '{"name": "moonlet", "version": 54, "tags": ["vm", "gc", "lua"], "ok": true}'
local total = 0
for i = 1, n do
  total = total + byte(text, i % 64 + 1)
end
print(total)
