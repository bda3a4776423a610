-- string.match micro-benchmark: one call a iteration, two captures, as a config or log parser uses it.
-- Usage: <lua> str_match.lua [iterations]   (prints a checksum; compare with lua5.4)
-- calls per iteration: 1
local n = tonumber(arg and arg[1]) or 200000
local match = string.match
local lines = { "name = moonlet", "version = 54", "mode   =   fast", "x=1" }
local total = 0
for i = 1, n do
  local k, v = match(lines[i % 4 + 1], "^(%w+)%s*=%s*(%w+)$")
  total = total + #k + #v
end
print(total)
