-- string.format micro-benchmark: common specs (%d, %s, %.2f, %5.1f, %x, %g, %q-free).
-- Usage: <lua> str_format.lua [iterations]   (prints a checksum; compare with lua5.4)
-- calls per iteration: 5 (and 1 tostring)
local n = tonumber(arg and arg[1]) or 20000
local format = string.format
local total = 0
for i = 1, n do
  local a = format("%d items", i)
  local b = format("%s=%s", "key", "value")
  local c = format("%.2f", i / 7)
  local d = format("[%5.1f|%x|%g]", i * 0.5, i, i / 3)
  local e = format("%s:%d:%s", "name", i, tostring(i % 3 == 0))
  total = total + #a + #b + #c + #d + #e
end
print(total)
