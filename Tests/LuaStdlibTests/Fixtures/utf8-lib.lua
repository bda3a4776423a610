-- utf8 library: char, charpattern, codes, codepoint, len, offset, lax mode, invalid input.
local function hex(s) return (s:gsub(".", function(c) return string.format("%02X", c:byte()) end)) end
print(utf8.char(72, 228, 8364, 128512), hex(utf8.char(0, 0x7F, 0x80, 0x7FF, 0x800, 0xFFFF, 0x10000, 0x10FFFF)))
print(hex(utf8.char(0x7FFFFFFF)), hex(utf8.char(0x110000)), utf8.char(), #utf8.char(0x10FFFF))
print(pcall(utf8.char, -1))
print(pcall(utf8.char, 0x80000000))
print(utf8.charpattern == "[\0-\x7F\xC2-\xFD][\x80-\xBF]*", #utf8.charpattern)

local s = "häll€ 😀!"
print(#s, utf8.len(s), utf8.len(""), utf8.len("abc", 2), utf8.len(s, -5), utf8.len(s, 1, 3))
print(utf8.codepoint(s), utf8.codepoint(s, 2), utf8.codepoint(s, 1, 4))
print(utf8.codepoint(s, -5), utf8.codepoint(s, 1, 0))
print(pcall(utf8.codepoint, s, 3))
print(pcall(utf8.codepoint, s, 100))
print(pcall(utf8.codepoint, s, 1, 100))

-- codes
local parts = {}
for pos, cp in utf8.codes(s) do parts[#parts + 1] = pos .. ":" .. cp end
print(table.concat(parts, " "))
print(pcall(function() for _ in utf8.codes("ab\xffcd") do end end))
print(pcall(function() for _ in utf8.codes("\xe4") do end end))

-- offset
print(utf8.offset(s, 1), utf8.offset(s, 2), utf8.offset(s, 3), utf8.offset(s, 5), utf8.offset(s, 7))
print(utf8.offset(s, -1), utf8.offset(s, -2), utf8.offset(s, 0, 3), utf8.offset(s, 0, 8), utf8.offset(s, 20))
print(utf8.offset(s, 1, #s + 1), utf8.offset(s, 2, #s + 1), utf8.offset("", 1), utf8.offset("", -1))
print(utf8.offset(s, 9), utf8.offset(s, 10), utf8.offset(s, 11))
print(pcall(utf8.offset, s, 1, 3))
print(pcall(utf8.offset, s, 1, 100))

-- invalid sequences: len returns nil plus the position of the first invalid byte
print(utf8.len("abc\xffdef"))
print(utf8.len("\xc3"))
print(utf8.len("\xc0\x80"))
print(utf8.len("\xed\xa0\x80"))
print(utf8.len("\xf4\x90\x80\x80"))
print(utf8.len("\xf8\x88\x80\x80\x80"))
print(utf8.len("ok\x80"))

-- lax mode accepts surrogates and values up to 2^31
print(utf8.len("\xed\xa0\x80", 1, -1, true), utf8.codepoint("\xed\xa0\x80", 1, 1, true))
print(utf8.len("\xf4\x90\x80\x80", 1, -1, true), utf8.codepoint("\xf4\x90\x80\x80", 1, 1, true))
print(utf8.len("\xfd\xbf\xbf\xbf\xbf\xbf", 1, -1, true), utf8.codepoint("\xfd\xbf\xbf\xbf\xbf\xbf", 1, 1, true))
print(pcall(utf8.codepoint, "\xed\xa0\x80"))
local laxParts = {}
for p, c in utf8.codes("a\xed\xa0\x80b", true) do laxParts[#laxParts + 1] = p .. "=" .. c end
print(table.concat(laxParts, " "))
print(pcall(function() for _ in utf8.codes("a\xed\xa0\x80b") do end end))

-- round trip all code points in a sample
local ok = true
for _, cp in ipairs({ 0, 1, 0x7F, 0x80, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFFFD, 0xFFFF, 0x10000, 0x10FFFF }) do
  local ch = utf8.char(cp)
  if utf8.codepoint(ch) ~= cp or utf8.len(ch) ~= 1 then ok = false end
end
print("round trip", ok)

-- iterate with charpattern
local chars = {}
for ch in ("añ€😀"):gmatch(utf8.charpattern) do chars[#chars + 1] = #ch end
print(table.concat(chars, ","))

-- reverse a UTF-8 string by code points
local function ureverse(str)
  local cps = { utf8.codepoint(str, 1, -1) }
  local out = {}
  for i = #cps, 1, -1 do out[#out + 1] = utf8.char(cps[i]) end
  return table.concat(out)
end
print(ureverse("abc€ñ"), utf8.len(ureverse(s)))

-- argument errors
print(pcall(utf8.len, "abc", 5))
print(pcall(utf8.len, "abc", 0))
print(utf8.len("abc", 4), utf8.len("abc", 3, 2))
print(pcall(utf8.char, "x"))
print(pcall(utf8.codepoint))
