-- string.format's numeric conversions over every accepted flag, width and precision mix:
-- integers are written without C and floats through strfromd, so compare all of them.
local ints = { 0, 7, -42, 255, math.maxinteger, math.mininteger }
local floats = { 0.0, -0.0, -1.5, 2.5, 3.14159, 1e-5, -9.87e20, 1e300, 1 / 0, -1 / 0, 0 / 0 }
local flagSets = { "", "-", "+", " ", "0", "-0", "+0", " 0", "+ " }
local widths = { "", "12" }
local precisions = { "", ".", ".0", ".3", ".25" }
local lines = {}
local function add(spec, value)
  local ok, text = pcall(function() return string.format("[" .. spec .. "]", value) end)
  lines[#lines + 1] = ok and text or spec .. " " .. text
end
for _, letter in ipairs({ "d", "i", "u", "x", "X", "o" }) do
  for _, flags in ipairs(flagSets) do
    for _, width in ipairs(widths) do
      for _, precision in ipairs(precisions) do
        local spec = "%" .. flags .. width .. precision .. letter
        lines[#lines + 1] = spec
        for _, v in ipairs(ints) do add(spec, v) end
      end
    end
  end
end
for _, letter in ipairs({ "f", "e", "E", "g", "G" }) do
  for _, flags in ipairs(flagSets) do
    for _, width in ipairs(widths) do
      for _, precision in ipairs(precisions) do
        local spec = "%" .. flags .. width .. precision .. letter
        lines[#lines + 1] = spec
        for _, v in ipairs(floats) do add(spec, v) end
      end
    end
  end
end
-- '#' still goes through C; numeric strings convert; errors name the type (with __name).
for _, spec in ipairs({ "%#x", "%#o", "%#.3g", "%#10.0f", "%#e" }) do add(spec, 12) end
add("%5.1f", "2.25")
add("%d", "0x10")
add("%x", 3.0)
add("%d", 3.5)
add("%d", "abc")
add("%f", {})
add("%d", setmetatable({}, { __name = "MyType" }))
add("%s", setmetatable({}, { __tostring = function() return "shown" end }))
add("%10s|%-4d|%.3f", "x")
print(#lines)
print(table.concat(lines, "\n"))
