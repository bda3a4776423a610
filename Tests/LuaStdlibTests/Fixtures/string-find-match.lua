-- string.find and string.match: init, plain, anchors, captures, classes.
local s = "hello world from Lua"
print(s:find("world"), s:find("o"), s:find("o", 6), s:find("o", -3), s:find("xyz"))
print(s:find(""), s:find("", 10), s:find("", #s + 1), s:find("", #s + 2), s:find("", -100))
print(s:find("l+"), s:find("o w"), s:find("^hello"), s:find("^world"), s:find("Lua$"), s:find("from$"))
print(s:find(".", 1, true), s:find("o.", 1, true), ("a.b"):find(".", 1, true), ("a+b"):find("+", 1, true))
print(("a%b"):find("%", 1, true), ("x^y"):find("^", 1, true), ("$"):find("$", 1, true))
print(s:find("(o)(r)"), s:find("()o()"), s:find("(h)(e)(l)(l)(o)"))
print(s:find("wor", 100), s:find("h", 0), s:find("h", -1000), s:find("a", math.mininteger))

-- match returns captures or the whole match
print(s:match("w%a+"), s:match("(%a+) (%a+)"), s:match("^(%a+)"), s:match("(%a+)$"))
print(s:match("()ll()"), s:match("x"), s:match(""), s:match("", 5), s:match(".-o"), s:match(".*o"))
print(("key = value"):match("^(%w+)%s*=%s*(%w+)$"))
print(("  trim me  "):match("^%s*(.-)%s*$") .. "|")
print(("2024-01-15"):match("(%d+)-(%d+)-(%d+)"))
print(("[[nested]]"):match("%[%[(.*)%]%]"))
print(("f(a,b)"):match("%((.-)%)"))

-- character classes
local classes = { "%a", "%c", "%d", "%g", "%l", "%p", "%s", "%u", "%w", "%x", "%A", "%D", "%S", "%W" }
local sample = "aZ09 \t\n!~_\127\0"
for _, c in ipairs(classes) do
  local n = select(2, sample:gsub(c, ""))
  io.write(c, "=", n, " ")
end
print()
local counts = {}
for _, c in ipairs({ "%a", "%c", "%d", "%g", "%l", "%p", "%s", "%u", "%w", "%x" }) do
  local n = 0
  for i = 0, 255 do if string.char(i):find(c) then n = n + 1 end end
  counts[#counts + 1] = c .. ":" .. n
end
print(table.concat(counts, " "))

-- sets and ranges
print(("hello123"):match("[%a]+"), ("hello123"):match("[%d]+"), ("a-b"):match("[a%-]+"), ("x]y"):match("[]x]+"))
print(("abc^"):match("[c^]+"), ("^abc"):match("[^a]+"), ("ABCdef"):match("[A-C]+"), ("z"):match("[a-]"))
print(("-"):match("[a-]"), pcall(string.match, "a", "[]"))
print(("x123y"):match("[^%a]+"), ("tab\there"):match("[%s]"), ("0x1F"):match("0[xX](%x+)"))

-- quantifiers
print(("aaab"):match("a*"), ("aaab"):match("a+"), ("aaab"):match("a-b"), ("aaab"):match("a?"), ("b"):match("a?b"))
print(("<a><b>"):match("<.->"), ("<a><b>"):match("<.*>"), ("abc"):match("a.-c"), ("ac"):match("ab?c"))
print(("xyz"):match(".-"), ("xyz"):match(".-$"), ("aaa"):match("^a-$"))

-- anchors only at pattern start; ^ elsewhere is literal
print(("a^b"):match("a^b"), ("^x"):match("^^x"), ("ab$c"):match("b$c"))

-- escapes of magic characters
print(("1+1=2"):match("1%+1"), ("50%"):match("%d+%%"), ("a.b.c"):match("%.(%a)%."), ("(x)"):match("%((%a)%)"))

-- init beyond bounds and negative
print(("abc"):match("c", -1), ("abc"):match("a", -1), ("abc"):match(".", 4), ("abc"):match(".", 10))

-- malformed patterns raise errors
for _, p in ipairs({ "%", "(", ")", "[a", "%b", "%f", "(()", "%1", "[%", "a%" }) do
  local ok, err = pcall(string.find, "abc", p)
  print(p, ok, err)
end

-- special characters in subject
print(("a\0b"):find("\0"), ("a\0b"):find("%z"), ("a\0b"):match(".(.)."), #("a\0b"):match(".(.).") )

-- position captures
print(("hello"):match("()"), ("hello"):match("()", 3), ("hello"):match(".()"), ("hello"):find("()(l+)()"))
