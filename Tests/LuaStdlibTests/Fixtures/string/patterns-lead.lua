-- Patterns that begin with a plain, non-optional byte (searches skip to its next occurrence),
-- next to ones that do not; short string.char and string.rep results (built on the stack).
local function show(...) local t = table.pack(...) for i = 1, t.n do t[i] = tostring(t[i]) end print(t.n, table.concat(t, " ")) end
local function e(f) local ok, err = pcall(f) print(ok, err) end
local text = '{"name": "moonlet", "version": 54, "tags": ["vm", "gc"], "ok": true}'
local pos, found = 1, {}
while true do
  local s, f = string.find(text, '"[^"]*"', pos)
  if not s then break end
  found[#found + 1] = s .. "-" .. f
  pos = f + 1
end
print(table.concat(found, " "))
show(string.find(text, '"(%w+)":%s*(%d+)'), string.match(text, '"(%w+)":%s*(%d+)'))
show(string.find("abc", "x"), string.find("abc", "x%d"), string.find("", "a"), string.find("aaa", "a", 4), string.find("aaa", "a", 10))
show(string.find("xax", "a+"), string.find("aab", "b", -1), string.find("ab", "b", -5), string.find("abab", "ba", 2), string.find("a\0b", "\0b"))
show(string.match("hello", "lo$"), string.match("hello", "l(l)"), string.match("x=1 y=2", "y=(%d)"), string.match("abc", "c()"))
show(string.find("abc", "a*"), string.find("bbb", "a?b"), string.find("bbb", "a-b"), string.find("]x", "]"), string.find("a^b", "^b"))
-- Errors after the leading byte appear only where it matches, as in PUC.
e(function() return string.find("xyz", "a%") end)
e(function() return string.find("xaz", "a%") end)
e(function() return string.find("bbb", "a(") end)
e(function() return string.find("bab", "a(") end)
e(function() return string.match("zzz", "z%g[") end)
e(function() return string.find("qq", "q%1") end)
for w in string.gmatch("say: 'a' and 'bc' or ''", "'(%a*)'") do io.write("[", w, "]") end print()
for w in string.gmatch("k1=v1;k2=v2;;k3=", "k(%d)=") do io.write(w, ",") end print()
for a, b in string.gmatch("x1 x22 y3 x", "x(%d*)()") do io.write(a, "@", b, " ") end print()
for w in string.gmatch("aXbXc", "X", 3) do io.write(w, ";") end print()
show(string.gsub("hello world", "o", "0"), string.gsub("hello world", "o", "0", 1), string.gsub("abc", "x", "y"))
show(string.gsub("a,b,,c", ",", ";"), string.gsub("<a><b>", "<(%w)>", "%1%1"), string.gsub("aaa", "a", "b", 2))
show(string.gsub("x = 1, y = 22", "= (%d+)", function(d) return "= " .. d * 2 end), string.gsub("$1 $2", "%$(%d)", { ["1"] = "one" }))
show(string.gsub("", "a", "b"), string.gsub("abab", "b", ""), string.gsub("ba", "a", "%0%0"), string.gsub("a.b", "%.", "!"))
e(function() return string.gsub("abc", "b", "%2") end)
e(function() return string.gsub("xyz", "b", "%2") end)
-- char and rep: empty, short, at and past the stack buffer (256 bytes), with separators.
show(string.char(), string.char(72, 105), #string.char(table.unpack({65}, 1, 1)), string.char(0, 255):byte(1, -1))
local many = {} for i = 1, 300 do many[i] = 65 + i % 26 end
show(#string.char(table.unpack(many, 1, 256)), #string.char(table.unpack(many, 1, 257)), string.char(table.unpack(many, 1, 300)):sub(250, 260))
e(function() return string.char(65, 256) end)
e(function() return string.char(65, -1, 66) end)
e(function() return string.char(65, "x") end)
e(function() return string.char(table.unpack(many, 1, 255), 300) end)
show(string.rep("ab", 3), string.rep("ab", 3, ","), string.rep("", 5), string.rep("", 5, "-"), string.rep("x", 0), string.rep("x", -1, ","))
show(string.rep("x", 1, ","), #string.rep("ab", 128), #string.rep("ab", 129), #string.rep("a", 128, "b"), #string.rep("a", 129, "b"), string.rep(12, 2, 3))
show(#string.rep("abcd", 64), #string.rep("abcd", 65), #string.rep(string.rep("z", 256), 1), #string.rep(string.rep("z", 257), 1), #string.rep("q", 300))
e(function() return string.rep("x", 1e10) end)
e(function() return string.rep() end)
