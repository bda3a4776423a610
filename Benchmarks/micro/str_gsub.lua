-- string.gsub micro-benchmark: string, function and table replacements, with captures.
-- Usage: <lua> str_gsub.lua [iterations]   (prints a checksum; compare with lua5.4)
-- calls per iteration: 5
local n = tonumber(arg and arg[1]) or 2000
local gsub = string.gsub
local text = "The quick brown fox jumps over the lazy dog; 12 apples, 34 pears & <b>bold</b>\n"
local map = { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;" }
local total = 0
for i = 1, n do
  local a = gsub(text, "%s+", " ")
  local b = gsub(text, "(%w+)", "<%1>")
  local c = gsub(text, "[&<>]", map)
  local d = gsub(text, "%d+", function(s) return tostring(tonumber(s) + i) end)
  local e = gsub(text, "^%s*(.-)%s*$", "%1")
  total = total + #a + #b + #c + #d + #e
end
print(total)
