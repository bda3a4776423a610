-- string.sub micro-benchmark: one call a iteration, a short slice at a moving position (a scanner).
-- Usage: <lua> str_sub.lua [iterations]   (prints a checksum; compare with lua5.4)
-- calls per iteration: 1
local n = tonumber(arg and arg[1]) or 200000
local sub = string.sub
local text = '{"name": "moonlet", "version": 54, "tags": ["vm", "gc", "lua"], "ok": true}'
local total = 0
for i = 1, n do
  local p = i % 64 + 1
  total = total + #sub(text, p, p + 5)
end
print(total)
