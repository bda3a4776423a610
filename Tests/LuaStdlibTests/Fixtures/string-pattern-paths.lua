-- Pattern matching where a search skips start positions (the first item is a single-character
-- class) and where repetitions scan with a decoded class: results, errors and gmatch state.

local function show(...)
  local t = table.pack(...)
  for i = 1, t.n do t[i] = tostring(t[i]) end
  print(table.concat(t, " "))
end

local text = 'say "hi", 12 apples & <b>34</b> pears; x=5 ^caret$ [br] 100%'

-- find/match whose first item is a literal, a class, a set, '.', or repeated with '+'.
for _, p in ipairs{ '"[^"]*"', "%d+", "[&<>]", "[%d%]]+", "[^%s%w]+", "%a+", "%A+", "x=(%d)",
    "%p", "%S+$", "%^c%a+", "%$", "%[(%a+)%]", "1.0", ".%%", "[a-c]+", "[%a-]+", "[]]", "[^]]+" } do
  show(p, string.find(text, p))
  show(p, string.find(text, p, 20))
  show(p, string.match(text, p, -12))
end

-- Items that are not skipped: optional or lazy first items, anchors, captures, %b, %f.
for _, p in ipairs{ "%d*", "a?y", "s-a", "^say", "()%d", "(%a+)", "%b<>", "%f[%a]%a+", "$" } do
  show(p, string.find(text, p))
end

-- Errors come from the first start position whose first item matches (as PUC reads it).
for _, p in ipairs{ "x%", "z%", "a[b", "q[b", "%d(", "%w%9", "[%a", "%" } do
  show(p, pcall(string.find, "abcxyz123", p))
  show(p, pcall(string.gsub, "abcxyz123", p, "-"))
end

-- gmatch: every match, with init, anchors taken literally, empty matches, and two
-- iterators over the same subject interleaved.
local words = {}
for w in string.gmatch(text, "%a+") do words[#words + 1] = w end
print(#words, table.concat(words, ","))
for k, v in string.gmatch("a=1, b=22, cc=333", "(%w+)=(%w+)") do show(k, v) end
for w in string.gmatch(text, "%d+", 15) do show("from 15", w) end
for w in string.gmatch(text, "%d+", -8) do show("from -8", w) end
for w in string.gmatch("^a^b ^c", "^%a") do show("caret", w) end
local empties = {}
for w in string.gmatch("ab  cd", "%a*") do empties[#empties + 1] = "[" .. w .. "]" end
print(table.concat(empties))
for p in string.gmatch("abc", "()") do io.write(p, " ") end
print()
local it1, it2 = string.gmatch("one two three", "%a+"), string.gmatch("one two three", "%a+")
show(it1(), it2(), it2(), it1(), it1(), it2(), it1(), it2())
show("after the end", it1(), it1())
local it3 = string.gmatch("k1 k2", "(k)(%d)")
show(it3())
show(it3())
show(it3())

-- gsub with set leads, counts, limits and every kind of replacement.
show(string.gsub(text, "%s+", "_"))
show(string.gsub(text, "(%w+)", "<%1>", 3))
show(string.gsub(text, "[&<>]", { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;" }))
show(string.gsub(text, "%d+", function(d) return d * 2 end))
show(string.gsub(text, "[%p]", "%%"))
show(string.gsub(text, "%a+", "%0%0", 2))
show(string.gsub("hello world", "o+", ""))
show(string.gsub("aaa", "a+", "b"))
show(string.gsub("  trim me  ", "^%s*(.-)%s*$", "%1"))
show(string.gsub("x", "[%a]+", "%1"))
show(pcall(string.gsub, "abc", "b+", "%2"))

-- Long runs: repetitions of every class over a 3000-byte subject.
local long = string.rep("ab1 ", 750)
for _, p in ipairs{ "[%a%d]+", "%w+", "%s+", ".+", "[^ ]+", "b1+" } do
  local n = 0
  for _ in string.gmatch(long, p) do n = n + 1 end
  show(p, n, (string.gsub(long, p, "")):len(), string.find(long, p .. "$"))
end
