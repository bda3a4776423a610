-- string.gsub with string/table/function replacements and n; string.gmatch.
print(("hello world"):gsub("o", "0"))
print(("hello world"):gsub("o", "0", 1))
print(("hello world"):gsub("o", "0", 0))
print(("hello world"):gsub("o", "0", -1))
print(("hello world"):gsub("", "-"))
print(("abc"):gsub(".", "%0%0"))
print(("abc"):gsub("(b)", "[%1]"))
print(("hello world"):gsub("(%w+) (%w+)", "%2 %1"))
print(("50"):gsub("%d+", "%%"))
print(("x"):gsub("x", "%%1"))
print(pcall(string.gsub, "x", "x", "%2"))
print(pcall(string.gsub, "x", "x", "%z"))
print(pcall(string.gsub, "x", "x", "%"))
print(("a.b.c"):gsub("%.", "/"))
print(("a b c"):gsub(" ", "", 1.0))
print(pcall(string.gsub, "abc", "b", "x", 1.5))

-- table replacement: key is the first capture (or whole match)
local vars = { name = "Lua", version = 5.4, flag = false }
print(("$name $version $flag $missing"):gsub("%$(%w+)", vars))
print(("a b"):gsub("%w", { a = 1, b = "B" }))
print(pcall(string.gsub, "a b", "%w", { a = 1, b = true }))
print(pcall(string.gsub, "a", "a", { a = {} }))

-- function replacement: nil/false keep the match; numbers are converted
print(("1 2 3"):gsub("%d", function(d) return d * 2 end))
print(("1 2 3"):gsub("%d", function(d) if d == "2" then return nil end return "x" end))
print(("a b c"):gsub("%a", function(c) return false end))
print(("k=v; k2=v2"):gsub("(%w+)=(%w+)", function(k, v) return v .. "=" .. k end))
print(("abc"):gsub("()", function(p) return p end))
print(pcall(string.gsub, "a", "a", function() return {} end))
local seen = {}
print(("xyz"):gsub(".", function(...) seen[#seen + 1] = select("#", ...); return nil end), table.concat(seen))

-- replacement argument types
print(pcall(string.gsub, "a", "a"))
print(pcall(string.gsub, "a", "a", true))
print(("a1"):gsub("%d", 9))

-- anchored gsub
print(("aaa"):gsub("^a", "b"))
print(("  x  "):gsub("^%s+", ""))
print(("hello"):gsub("l*", "-"))
print(("abc"):gsub("b*", "X"))

-- gsub counts and empty matches after non-empty ones (5.4 rule)
print(("a,b,,c"):gsub(",*", "|"))
print((""):gsub("", "E"))
print((""):gsub("x*", "E"))

-- gsub with special characters in replacement
print(("path/to/file"):gsub("/", "\\"))
print(("100%"):gsub("%%", "%%%%"))

-- gmatch basics
local words = {}
for w in ("one two  three"):gmatch("%S+") do words[#words + 1] = w end
print(#words, table.concat(words, ","))
local kv = {}
for k, v in ("a=1, b=2, c=3"):gmatch("(%w+)=(%w+)") do kv[#kv + 1] = k .. v end
print(table.concat(kv, ";"))
local positions = {}
for p in ("banana"):gmatch("()a") do positions[#positions + 1] = p end
print(table.concat(positions, " "))
-- gmatch with init (5.4)
local fromInit = {}
for w in ("aa bb cc"):gmatch("%a+", 4) do fromInit[#fromInit + 1] = w end
print(table.concat(fromInit, ","))
local negInit = {}
for w in ("aa bb cc"):gmatch("%a+", -2) do negInit[#negInit + 1] = w end
print(table.concat(negInit, ","))
-- gmatch iterator can be called directly
local it = ("x1y2"):gmatch("%d")
print(it(), it(), it(), it())
-- empty matches in gmatch
local empties = 0
for m in ("abc"):gmatch("") do empties = empties + 1 end
print("empty matches", empties)
local chars = {}
for c in ("héllo"):gmatch(utf8.charpattern) do chars[#chars + 1] = c end
print(#chars, chars[2])

-- building CSV parsing with gsub and gmatch
local line = 'name,"quoted, value",42,,end'
local fields = {}
local pos = 1
while pos <= #line + 1 do
  local c = line:sub(pos, pos)
  if c == '"' then
    local closing = line:find('"', pos + 1, true)
    fields[#fields + 1] = line:sub(pos + 1, closing - 1)
    pos = closing + 2
  else
    local comma = line:find(",", pos, true) or (#line + 1)
    fields[#fields + 1] = line:sub(pos, comma - 1)
    pos = comma + 1
  end
end
print(#fields, table.concat(fields, "|"))

-- word frequency with sorted output
local text = "the cat and the hat and the bat"
local freq = {}
for w in text:gmatch("%a+") do freq[w] = (freq[w] or 0) + 1 end
local keys = {}
for k in pairs(freq) do keys[#keys + 1] = k end
table.sort(keys, function(a, b) if freq[a] ~= freq[b] then return freq[a] > freq[b] end return a < b end)
for i, k in ipairs(keys) do keys[i] = k .. "=" .. freq[k] end
print(table.concat(keys, " "))

-- template expansion with nested function replacement
local tpl = "Hello ${user}, you have ${count} new ${count|plural}"
local ctx = { user = "ana", count = 3 }
print((tpl:gsub("%${(%w+)|?(%w*)}", function(k, filter)
  local v = ctx[k]
  if filter == "plural" then return v == 1 and "message" or "messages" end
  return tostring(v)
end)))
