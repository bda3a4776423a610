-- Records the string-library engine cases with the reference implementation.
--
-- Run through Scripts/record-strlib-cases.sh, which writes
-- Tests/LuaStdlibTests/Fixtures/strlib-cases.tsv. Never edit that file by hand.
--
-- Each case runs `pcall(string.<fn>, args...)` (gmatch collects every iteration) and
-- writes one line:   <fn> TAB <args> TAB ok|err TAB <results or message>
-- Values are space-separated tokens: n (nil), T/F (booleans), i:<integer>, f:<%a float
-- or inf/-inf/nan>, s:<bytes with \xHH for space, controls, backslash and bytes >= 127>,
-- X:<type> for other values (tables, functions), and R:<name> for the named gsub replacements below. gmatch results separate
-- iterations with the token '|'. The test harness (Tests/LuaStdlibTests/Engines/
-- StringLibHarness.swift) implements the same named replacements.

local R = {
  upper = function(s) return s:upper() end,
  join = function(...) return table.concat({...}, ",") end,
  ["false"] = function() return false end,
  ["nil"] = function() end,
  len = function(s) return #s end,
  tbl = {hello = "HELLO", world = false, x = 42, y = 1.5, bad = true},
}
local names = {}
for k, v in pairs(R) do names[v] = "R:" .. k end

local function esc(s)
  return (s:gsub("[\0-\32\\\127-\255]", function(c) return string.format("\\x%02X", c:byte()) end))
end

local function enc(v)
  if names[v] then return names[v] end
  local t = type(v)
  if t == "nil" then return "n"
  elseif t == "boolean" then return v and "T" or "F"
  elseif math.type(v) == "integer" then return "i:" .. string.format("%d", v)
  elseif t == "number" then
    if v ~= v then return "f:" .. string.format("%f", v)  -- "nan" or "-nan": keep the sign
    elseif v == math.huge then return "f:inf"
    elseif v == -math.huge then return "f:-inf"
    else return "f:" .. string.format("%a", v) end
  elseif t == "string" then return "s:" .. esc(v)
  else return "X:" .. t end
end

local function encall(t, first, last)
  local out = {}
  for i = first, last do out[#out + 1] = enc(t[i]) end
  return table.concat(out, " ")
end

local function case(fn, ...)
  local args = table.pack(...)
  local r
  if fn == "gmatch" then
    r = table.pack(pcall(function()
      local out, it, count = {}, string.gmatch(table.unpack(args, 1, args.n)), 0
      while count < 100 do
        local v = table.pack(it())
        if v[1] == nil then break end
        out[#out + 1] = "|"
        for i = 1, v.n do out[#out + 1] = enc(v[i]) end
        count = count + 1
      end
      return table.concat(out, " ")
    end))
  else
    r = table.pack(pcall(string[fn], table.unpack(args, 1, args.n)))
  end
  local res
  -- An error raised inside the gmatch iterator carries the caller's position: drop it.
  if not r[1] then res = "err\t" .. esc((tostring(r[2]):gsub("^[^\n]-%.lua:%d+: ", "")))
  elseif fn == "gmatch" then res = "ok\t" .. r[2]
  else res = "ok\t" .. encall(r, 2, r.n) end
  io.write(fn, "\t", encall(args, 1, args.n), "\t", res, "\n")
end

local big = string.rep("x", 120)

-- find / match: classes, sets, anchors, quantifiers, captures -------------------------
for _, p in ipairs{"%a+", "%A+", "%c", "%C+", "%d+", "%D+", "%g+", "%G", "%l+", "%L+",
                   "%p+", "%P+", "%s+", "%S+", "%u+", "%U+", "%w+", "%W+", "%x+", "%X+",
                   ".", "..", "%.", "%%", "%z", "%Z+"} do
  case("match", "Hello, World! 0x1F\t\n\127end", p)
  case("find", "Hello, World! 0x1F\t\n\127end", p)
end
for _, p in ipairs{"[abc]+", "[^abc]+", "[a-f]+", "[%d%s]+", "[%a_][%w_]*", "[]]", "[^]]+",
                   "[a-]+", "[-a]+", "[%]]", "[%-z]+", "[z-a]", "[^%s]+", "[.]", "[%%]",
                   "[a-c-e]+", "[\0-\31]+", "[^\0]+", "[%^]+", "[x^]+"} do
  case("match", "abc-def]]xyz ^^ 123\0\1 _id9 %. z-a", p)
end
case("find", "hello world", "o w")
case("find", "hello world", "o", 5)
case("find", "hello world", "o", 6)
case("find", "hello world", "o", -3)
case("find", "hello world", "o", -100)
case("find", "hello world", "o", 100)
case("find", "hello world", "", 12)
case("find", "hello world", "", 13)
case("find", "hello world", "", 0)
case("find", "hello world", "l+")
case("find", "a.b.c", ".", 1, true)
case("find", "a.b.c", "%.", 1)
case("find", "a+b", "+", 1, true)
case("find", "a+b", "a+b", 1, true)
case("find", "a+b", "a+b")
case("find", "abc", "b", 1, false)
case("find", "abc", "(b)(c)")
case("find", "abc", "()b()")
case("find", "", "")
case("find", "", "a")
case("find", "aaa", "a-", 2)
case("find", "x\0y\0z", "\0z")
case("find", "x\0y\0z", "%z")
case("find", "x\0y\0z", "[\0]y")
case("match", "hello", "^h")
case("match", "hello", "^e")
case("match", "hello", "o$")
case("match", "hello", "l$")
case("match", "hel$lo", "l$l")
case("match", "a$", "$$")
case("match", "hello", "^hello$")
case("match", "hello", "^(h)(e)(l)(l)(o)$")
case("match", "hello", "h()e()")
case("match", "hello", "()")
case("match", "hello", "()", 10)
case("match", "hello", "()", 6)
case("match", "hello", "(h)", -5)
case("match", "aaab", "a*")
case("match", "aaab", "a+")
case("match", "aaab", "a-b")
case("match", "aaab", "a-")
case("match", "aaab", "a?a?a?a?b")
case("match", "b", "a?b")
case("match", "ab", "a?b")
case("match", "xyz", "x?y?z?w?")
case("match", "  trim me  ", "^%s*(.-)%s*$")
case("match", "key = value", "(%w+)%s*=%s*(%w+)")
case("match", "2024-01-15", "(%d+)-(%d+)-(%d+)")
case("match", "[[nested]]", "%[(%b[])%]")
case("match", "f(a(b)c)d", "%b()")
case("match", "f(a(b c)d", "%b()")
case("match", "xx(", "%b()")
case("match", "abc", "%bac")
case("match", "a'quoted'b", "%b''")
case("match", "THE (quick) fox", "%f[%a]%a+")
case("match", "THE (quick) fox", "%f[%l]%a+")
case("match", "hello world", "%f[%w]%w+$")
case("match", "hello", "%f[%z]")
case("find", "hello", "%f[%z]")
case("find", "hello", "%f[%a]")
case("find", "hello", "%f[%A]")
case("find", "", "%f[%A]")
case("find", "", "%f[%a]")
case("match", "a\0b", "%f[%z]")
case("match", "hello hello", "(h%a+) %1")
case("match", "hello help", "(h%a+) %1")
case("match", "abcabc", "(a)(b)(c)%1%2%3")
case("match", "xx", "()%1")
case("match", "xyx", "(x)(y)%1")
case("match", "a", "(a)%0")
case("match", "abc", "((a)(b))")
case("match", "abc", "(a(b(c)))")
case("match", "a.b", "^(.-)%.(.*)$")
case("match", "one two three", "(%a+) (%a+) (%a+)")
case("gsub", "hello world", "o", "0")
-- pattern errors ---------------------------------------------------------------------
for _, p in ipairs{"%", "a%", "[a", "[^", "[a%", "[]", "[^]", "%f", "%fa", "(", "a)", "%1",
                   "(a)%2", "(a%1)", "%b", "%ba", "((((((((((((((((((((((((((((((((a))))))))))))))))))))))))))))))))",
                   "(()", "%g[", "[%", "%0"} do
  case("match", "some (text) a", p)
  case("find", "some (text) a", p)
end
case("match", "abc", "(a")
case("find", "abc", "(a")
case("match", string.rep("a", 300), string.rep("a?", 300))
case("match", string.rep("a", 18), string.rep("a?", 18) .. string.rep("a", 18))
case("match", string.rep("a", 300), string.rep("(a)", 10))
case("match", string.rep("a", 100), string.rep("%a?", 199))
case("match", string.rep("a", 100), string.rep("%a?", 198))
-- gmatch ----------------------------------------------------------------------------
case("gmatch", "hello world from lua", "%a+")
case("gmatch", "k1=v1, k2=v2", "(%w+)=(%w+)")
case("gmatch", "abc", "")
case("gmatch", "abc", "()")
case("gmatch", "abc", ".-")
case("gmatch", "abc", "x*")
case("gmatch", "a,b,,c", "([^,]*)")
case("gmatch", "hello", "^h")
case("gmatch", "a^b^c", "^.")
case("gmatch", "hello world", "%a+", 3)
case("gmatch", "hello world", "%a+", -5)
case("gmatch", "hello world", "%a+", 100)
case("gmatch", "hello world", "()", 11)
case("gmatch", "hello world", "()", 12)
case("gmatch", "hello world", "()", 13)
case("gmatch", "THE (quick) fox", "%f[%a]%a+")
case("gmatch", "THE (quick) fox", "%f[%a]")
case("gmatch", "THE (quick) fox", "%f[%A]")
case("gmatch", "aaa", "a-")
case("gmatch", "aaa", "a*?")
case("gmatch", "abc", "[")
case("gmatch", "x(y)(z)", "%b()")
-- gsub ------------------------------------------------------------------------------
case("gsub", "hello world", "o", "0", 1)
case("gsub", "hello world", "o", "0", 0)
case("gsub", "hello world", "o", "0", -1)
case("gsub", "hello world", "(o)", "[%1]")
case("gsub", "hello world", "o", "[%0]")
case("gsub", "hello world", "o", "%%")
case("gsub", "hello world", "o", "%1")
case("gsub", "hello world", "o", "%2")
case("gsub", "hello world", "(o)", "%2")
case("gsub", "hello world", "o", "%")
case("gsub", "hello world", "o", "%a")
case("gsub", "hello world", "o", "50%")
case("gsub", "hello world", "()o()", "%1-%2")
case("gsub", "hello world", "(l)(l)", "%2%1")
case("gsub", "abc", "", "-")
case("gsub", "abc", "x*", "-")
case("gsub", "abc", "b*", "-")
case("gsub", "abc", "%f[%w]", "^")
case("gsub", "abc def", "%f[%W]", "$")
case("gsub", "abc", "^", ">")
case("gsub", "abc", "$", "<")
case("gsub", "abc", "^a", "A")
case("gsub", "abc", "^b", "B")
case("gsub", "aaa", "^a", "b")
case("gsub", "aaa", "^a*", "b")
case("gsub", "", "", "x")
case("gsub", "", "^$", "empty")
case("gsub", "hello", ".", "%0%0")
case("gsub", "hello world", "%w+", "<%0>")
case("gsub", "hello world", "(%w+) (%w+)", "%2 %1")
case("gsub", "abc", "%w", "%1")
case("gsub", "a b c", " ", 5)
case("gsub", "a b c", " ", 1.5)
case("gsub", "hello world", "%w+", R.upper)
case("gsub", "hello world", "(%w+) (%w+)", R.join)
case("gsub", "hello world", "()(%w+)()", R.join)
case("gsub", "hello world", "%w+", R["false"])
case("gsub", "hello world", "%w+", R["nil"])
case("gsub", "hello world", "%w+", R.len)
case("gsub", "hello world x y z", "%w+", R.tbl)
case("gsub", "hello bad", "%w+", R.tbl)
case("gsub", "hello world", "(%w+)", R.tbl)
case("gsub", "hello world", "()", R.tbl)
case("gsub", "hello", "(", "x")
case("gsub", "x = 1, y = 2", "(%w+) = (%w+)", "%2 = %1")
case("gsub", "one two", "(%w+)", "%1%1", 1)
-- format ----------------------------------------------------------------------------
local nums = {0, 1, -1, 42, -42, 255, 65535, 123456789, math.maxinteger, math.mininteger}
for _, spec in ipairs{"%d", "%5d", "%-5d|", "%05d", "%+d", "% d", "%.3d", "%8.3d", "%i",
                      "%x", "%X", "%#x", "%#X", "%o", "%#o", "%08x", "%-8X|", "%u", "%5u", "%c"} do
  for _, n in ipairs(nums) do case("format", spec, n) end
end
local floats = {0.0, -0.0, 1.0, -1.5, 0.1, 1/3, 2^53, 2^63, 1e100, 1e-300, 5e-324,
                1.7976931348623157e308, math.huge, -math.huge, 0/0, -(0/0), 100, 123.456, 0.5, 2.5}
for _, spec in ipairs{"%f", "%.0f", "%.3f", "%10.2f", "%-10.2f|", "%+f", "% f", "%#.0f", "%010.3f",
                      "%e", "%.0e", "%E", "%+.3e", "%g", "%.3g", "%G", "%#g", "%10g", "%.20g",
                      "%a", "%A", "%.3a", "%+a", "%#a", "%20a", "%.99f", "%99.99f", "%q"} do
  for _, n in ipairs(floats) do case("format", spec, n) end
end
for _, n in ipairs(nums) do case("format", "%q", n) end
for _, n in ipairs(nums) do case("format", "%g", n) end
for _, n in ipairs(nums) do case("format", "%.3f", n) end
for _, s in ipairs{"", "hello", "a\"b", "back\\slash", "new\nline", "cr\rlf", "tab\there",
                   "\0", "\0001", "\0a", "\1\2\3", "\0319", "\127", "\127x", "\1279", "\200\255",
                   "\27[0m", "multi\n\nline", "\r\n", "\"\\\n\r\0"} do
  case("format", "%q", s)
  case("format", "%s", s)
  case("format", "[%10s]", s)
  case("format", "[%-10s]", s)
  case("format", "[%.2s]", s)
end
case("format", "%s", 42)
case("format", "%s", 4.5)
case("format", "%s", 1e15)
case("format", "%s", 1e16)
case("format", "%s", -0.0)
case("format", "%s", 2^63)
case("format", "%s", 0/0)
case("format", "%s", math.huge)
case("format", "%s %s %s", nil, true, false)
case("format", "%q %q %q", nil, true, false)
case("format", "%5s|%-5s|", true, nil)
case("format", "%.1s", true)
case("format", "[%5.1s]", "abc")
case("format", "%s", big)
case("format", "%5s", big)
case("format", "%.3s", big)
case("format", "%99s", "x")
case("format", "%100s", "x")
case("format", "%.99s", big)
case("format", "%s", "a\0b")
case("format", "%5s", "a\0b")
case("format", "%5c", 65)
case("format", "%-5c|", 65)
case("format", "%c%c%c", 76, 117, 97)
case("format", "%c", 0)
case("format", "%c", 256 + 65)
case("format", "%c", -191)
case("format", "%.2c", 65)
case("format", "%05c", 65)
case("format", "%d", 3.0)
case("format", "%d", 3.5)
case("format", "%d", "10")
case("format", "%d", "1e2")
case("format", "%d", "x")
case("format", "%d", 2^63)
case("format", "%x", -1)
case("format", "%f", "1.5")
case("format", "%f", "abc")
case("format", "%d")
case("format", "%d %d", 1)
case("format", "%s")
case("format", "no args")
case("format", "100%% sure")
case("format", "%")
case("format", "%", 1)
case("format", "abc%", 1)
case("format", "%y", 1)
case("format", "%ld", 1)
case("format", "%F", 1)
case("format", "%n", 1)
case("format", "%10.3q", "x")
case("format", "%-q", "x")
case("format", "%5", 1)
case("format", "%5\0d", 1)
case("format", "%123d", 1)
case("format", "%1234567890123456789012d", 1)
case("format", "%123456789012345678901d", 1)
case("format", "%12345678901234567890d", 1)
case("format", "%.123f", 1)
case("format", "%0100d", 1)
case("format", "%#d", 1)
case("format", "%+x", 1)
case("format", "% u", 1)
case("format", "%+u", 1)
case("format", "%+s", "x")
case("format", "%#s", "x")
case("format", "%0s", "x")
case("format", "%.s", "abc")
case("format", "%.d", 0)
case("format", "%.f", 2.5)
case("format", "%5.f", 2.5)
case("format", "%1.2.3d", 1)
case("format", "%--5d|", 1)
case("format", "%-+ #0f", 1)
case("format", "%#-+ 0f", 1)
case("format", "%00d", 1)
case("format", "%05.1f", -1)
case("format", "%p", 1)
case("format", "%10p|", 1)
case("format", "%-10p|", 1)
case("format", "%.3p", 1)
case("format", "%q", {})
case("format", "%q", print)
case("format", "%q", 2^63)
case("format", "%q", 1e300)
case("format", "%q", 0.1 + 0.2)
case("format", "%q", -2.5)
case("format", "%q", "\226\130\172")
case("format", "%5.2s|%-3d|%x|%g", "abcdef", 7, 255, 0.1)
case("format", "%s=%d", "x")
case("format", "%a %A", 1, 255.5)
case("format", "%.0a", 1.5)
case("format", "%.1a", 1.96875)
-- pack / unpack / packsize ---------------------------------------------------------
local packs = {
  {"b", 127}, {"b", -128}, {"b", 128}, {"b", -129}, {"B", 255}, {"B", 256}, {"B", -1},
  {"h", 32767}, {"h", -32768}, {"h", 32768}, {"H", 65535}, {"H", 65536},
  {"i", 2147483647}, {"i", -2147483648}, {"i", 2147483648}, {"I", 4294967295}, {"I", -1},
  {"l", math.mininteger}, {"L", -1}, {"j", math.maxinteger}, {"J", math.mininteger}, {"T", 12345},
  {"i1", -1}, {"i2", 1000}, {"i3", -8388608}, {"i3", 8388608}, {"I3", 16777215}, {"i5", -1},
  {"i7", 2^40}, {"i8", math.mininteger}, {"i9", -1}, {"i9", math.mininteger}, {"I9", -1},
  {"i16", -2}, {"I16", math.maxinteger}, {">i16", -2}, {"<I16", 5}, {"i0", 1}, {"i17", 1},
  {"I100", 1}, {">i4", 0x01020304}, {"<i4", 0x01020304}, {"=i4", 0x01020304}, {">I3", 0xABCDEF},
  {"f", 1.5}, {"f", 0.1}, {">f", -2.0}, {"f", 1e300}, {"d", 0.1}, {">d", 0.1}, {"n", math.pi},
  {"n", -0.0}, {"d", math.huge}, {"i", 1.0}, {"i", 1.5}, {"i", "12"},
  {"z", "hello"}, {"z", ""}, {"z", "a\0b"}, {"s", "hello"}, {"s1", "hi"}, {"s1", string.rep("x", 256)},
  {"s2", string.rep("x", 300)}, {">s2", "abc"}, {"s16", "x"}, {"s17", "x"}, {"c5", "abc"}, {"c3", "abc"},
  {"c2", "abc"}, {"c0", ""}, {"c", "a"}, {"c10", ""},
  {"!4 b i", 1, 2}, {"!4 b h", 1, 2}, {"! b d", 1, 2.0}, {"!8 b j", 1, 2}, {"!2 b i8", 1, 2},
  {"b x i", 1, 2}, {"!4 b Xi i", 1, 2}, {"!4 b Xh b", 1, 2}, {"!4 b X", 1}, {"!4 b Xc1", 1},
  {"!4 b Xz", 1}, {"!4 b X!", 1}, {"!3 b i", 1, 2}, {"!16 b i16", 1, 2}, {"!17", 1}, {"!0", 1},
  {"b Xi8", 1}, {"!8 b Xi3 b", 1, 2}, {"y", 1}, {"i4 r", 1}, {"<!4 b i >i", 1, 2, 3}, {"  b  ", 1},
  {"b", "x"}, {"b"}, {"bb", 1}, {"s4z", "ab", "cd"}, {"xxb", 3}, {"b\0i", 1, 2}, {"Xb", 1},
  {"i3", 1.5}, {"d", "2.5"}, {"f", "x"}, {"<j>j=j", 1, 2, 3},
}
for _, t in ipairs(packs) do
  case("pack", table.unpack(t))
  case("packsize", t[1])
end
for _, f in ipairs{"c2147483647", "c2147483646", "c1073741824c1073741824", "c214748364",
                   "c2147483647c1", "i16i16", "!8 b d", "c1 i8", "!8 c1 i8", "j n", "s", "z",
                   "c", "i0", "!", "c1 Xd"} do
  case("packsize", f)
end
local unpacks = {
  {"b", "\255"}, {"B", "\255"}, {"h", "\1\128"}, {">h", "\1\128"}, {"H", "\255\255"},
  {"i", "\1\2\3\4"}, {">i", "\1\2\3\4"}, {"i3", "\255\255\255"}, {"I3", "\255\255\255"},
  {"i9", "\255\255\255\255\255\255\255\255\255"}, {"i9", "\1\0\0\0\0\0\0\0\0"},
  {"i9", "\0\0\0\0\0\0\0\0\1"}, {"I9", "\255\255\255\255\255\255\255\255\0"},
  {"i9", "\0\0\0\0\0\0\0\128\255"}, {"i9", "\0\0\0\0\0\0\0\128\0"}, {"i16", string.rep("\255", 16)},
  {">i16", "\0\0\0\0\0\0\0\1" .. string.rep("\0", 8)}, {"j", "\1\0\0\0\0\0\0\128"},
  {"f", "\0\0\192\63"}, {"d", "\154\153\153\153\153\153\185\63"}, {"n", "\0\0\0\0\0\0\240\127"},
  {"z", "hello\0world"}, {"zz", "a\0b\0"}, {"z", "abc"}, {"s1", "\3abc"}, {"s1", "\5abc"},
  {">s2", "\0\2hi!"}, {"c3", "abcdef"}, {"c3", "ab"}, {"c0", ""}, {"b", ""}, {"i4", "abc"},
  {"bb", "\1\2", 2}, {"b", "\1\2", -1}, {"b", "\1\2", 3}, {"b", "\1\2", 4}, {"b", "\1\2", -10},
  {"", "abc", 4}, {"", "abc", 5}, {"!4 b i", "\1\0\0\0\2\0\0\0"}, {"!4 b i", "\1\0\0\0\2\0\0"},
  {"!4 b Xi b", "\1\0\0\0\2"}, {"b x b", "\1\0\2"}, {"i0", "x"}, {"y", "x"}, {"s", "\2\0\0\0\0\0\0\0hi"},
  {"s", "\255\255\255\255\255\255\255\255hi"}, {">I16", string.rep("\0", 15) .. "\7"},
  {"I16", string.rep("\255", 8) .. string.rep("\0", 8)}, {"b\0b", "\1\2"},
  {"<i2 >i2 =i2", "\1\2\1\2\1\2"}, {"b", "\1", 1.5}, {"b", "\1", "1"},
}
for _, t in ipairs(unpacks) do case("unpack", table.unpack(t)) end
-- round trips: pack then unpack with the same format
for _, t in ipairs{{"i4 i8 d s1 z B", -5, 1 << 40, 0.25, "str", "zed", 200},
                   {"!8 >b h i j f d n", -1, -2, -3, -4, 0.5, 0.1, -0.0},
                   {"<I3 >I5 i16 c4", 0xABCDEF, 0x123456789A, -7, "abcd"}} do
  case("pack", table.unpack(t))
  case("unpack", t[1], string.pack(table.unpack(t)))
end
-- rep / sub / byte / char / reverse / lower / upper ------------------------------------
case("rep", "ab", 3)
case("rep", "ab", 3, ",")
case("rep", "ab", 1, ",")
case("rep", "ab", 0, ",")
case("rep", "ab", -1)
case("rep", "", 5)
case("rep", "", 5, "")
case("rep", "", 3, "-")
case("rep", "x", 2^31)
case("rep", "x", math.maxinteger)
case("rep", "x", 1.5)
for _, ij in ipairs{{1}, {2}, {-1}, {-3}, {0}, {10}, {-10}, {2, 4}, {2, -2}, {-3, -2}, {0, 0},
                    {0, 1}, {3, 2}, {1, 100}, {-100, 100}, {6, 6}, {5, 5}, {math.mininteger},
                    {math.maxinteger}, {1, math.mininteger}, {math.mininteger, math.maxinteger}} do
  case("sub", "hello", table.unpack(ij))
  case("byte", "hello", table.unpack(ij))
end
case("byte", "")
case("byte", "\0\255")
case("byte", "abc", 1, 3)
case("char", 72, 105)
case("char")
case("char", 0, 255)
case("char", 256)
case("char", 65, -1)
case("reverse", "hello")
case("reverse", "")
case("reverse", "a\0b")
case("lower", "Hello WORLD 123 \200\201")
case("upper", "Hello world 123 \224\255")
case("len", "a\0b")
-- random patterns (fixed seed): malformed and odd patterns must fail or match exactly as PUC's
math.randomseed(20240501)
local pchars = {"a", "b", "(", ")", "%", "[", "]", "^", "$", "*", "+", "-", "?", ".", "1", "2",
                "f", "b", "%a", "%b()", "%f[a]", "[^a]", "()"}
local schars = {"a", "b", "(", ")", "[", "]", "%", "-", " "}
for _ = 1, 400 do
  local p, s = {}, {}
  for _ = 1, math.random(1, 7) do p[#p + 1] = pchars[math.random(#pchars)] end
  for _ = 1, math.random(0, 8) do s[#s + 1] = schars[math.random(#schars)] end
  p, s = table.concat(p), table.concat(s)
  case("find", s, p)
  case("match", s, p, math.random(-3, 3))
  case("gmatch", s, p)
  case("gsub", s, p, "<%0>")
end
-- random conversion specifications (fixed seed): flags, width, precision, letter, argument
local flagchars = {"-", "+", " ", "#", "0"}
local letters = {"d", "i", "u", "o", "x", "X", "c", "a", "A", "e", "E", "f", "g", "G", "s", "q", "y"}  -- %p of a string prints an address
local fargs = {0, 7, -123, 255, math.maxinteger, 0.0, -0.0, 3.25, -1e-5, 1e20, 2^63, math.huge, "str", "12", true}
for _ = 1, 400 do
  local spec = {"%"}
  for _ = 1, math.random(0, 2) do spec[#spec + 1] = flagchars[math.random(#flagchars)] end
  if math.random() < 0.6 then spec[#spec + 1] = tostring(math.random(0, 120)) end
  if math.random() < 0.5 then spec[#spec + 1] = "." .. (math.random() < 0.8 and tostring(math.random(0, 120)) or "") end
  spec[#spec + 1] = letters[math.random(#letters)]
  case("format", "<" .. table.concat(spec) .. ">", fargs[math.random(#fargs)])
end
