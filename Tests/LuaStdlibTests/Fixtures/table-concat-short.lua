-- table.concat around the short result built on the stack (256 bytes): empty, exact, one
-- over, numbers at their longest, separators of every kind, ranges, bad fields, metatables.
local cases = {
  {}, {"a"}, {"a", "b", "c"}, {1, 2.5, -0.0, 1e300, math.mininteger, 2^63, 0/0 ~= 0/0 and 1 or 0},
  {"x", {}, "y"}, {"", "", ""}, {string.rep("a", 200), string.rep("b", 60)}, {string.rep("a", 256)},
  {string.rep("a", 255), "b"}, {1.5, "s", 3}, {true}, {nil, "a"},
}
local seps = {nil, "", ",", ", ", 7, 1.5, string.rep("-", 300), {}}
for ci, t in ipairs(cases) do
  for si = 1, 8 do
    local sep = seps[si]
    print(ci, si, pcall(table.concat, t, sep))
    print(ci, si, pcall(table.concat, t, sep, 2))
    print(ci, si, pcall(table.concat, t, sep, 1, 2))
    print(ci, si, pcall(table.concat, t, sep, 3, 1))
    print(ci, si, pcall(table.concat, t, sep, -1, 1))
  end
end
local big = {} for i = 1, 100 do big[i] = i * 1.25 end
print(#table.concat(big, ","), table.concat(big, ",", 95))
print(pcall(table.concat, {1, 2}, nil, 1, 3))
print(pcall(table.concat, {1, 2}, "", math.maxinteger - 1, math.maxinteger))
print(pcall(table.concat, setmetatable({}, {__index = function(_, i) return "v" .. i end}), "+", 1, 4))
print(pcall(table.concat, setmetatable({}, {__len = function() return 3 end, __index = function(_, i) return i end}), "|"))
