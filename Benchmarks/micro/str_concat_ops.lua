-- `..` of several operands micro-benchmark: one five-operand concatenation a iteration.
-- Usage: <lua> str_concat_ops.lua [iterations]   (prints a checksum; compare with lua5.4)
-- calls per iteration: 1
local n = tonumber(arg and arg[1]) or 200000
local keys = { "name", "version", "tags", "ok" }
local values = { "moonlet", "54", "vm", "true" }
local total = 0
for i = 1, n do
  local j = i % 4 + 1
  local s = keys[j] .. "=" .. values[j] .. ";" .. i
  total = total + #s
end
print(total)
