-- Patterns: %b, %f, back references, nested and position captures, greedy/lazy.
local function all(s, p)
  local out = {}
  for a, b, c in s:gmatch(p) do
    out[#out + 1] = tostring(a) .. (b ~= nil and ("," .. tostring(b)) or "") .. (c ~= nil and ("," .. tostring(c)) or "")
  end
  return #out .. "{" .. table.concat(out, "|") .. "}"
end

-- balanced matches
print(all("f(a(b)c) g(d) (unclosed", "%b()"))
print(all("[[x]] [y] ]z[", "%b[]"))
print(all("if x then y end end", "%bie"))
print(("((a)"):match("%b()"), ("a)b(c"):match("%b()"), ("<<>>"):match("%b<>"))
print(("x = {1, {2, 3}, 4}"):match("=%s*(%b{})"))
print(all("''a'' 'b'", "%b''"))

-- frontier
print(all("THE (quick) fox", "%f[%a]%a+"))
print(all("hello world", "%f[%w]%w+%f[%W]"))
print(all("aaa bbb aaab", "%f[%a]a+%f[%A]"))
print(("x"):find("%f[%a]"), ("1x"):find("%f[%a]"), ("abc"):find("%f[%z]"), ("abc"):find("%f[^%z]"))
print(all("THE END", "%f[%u]%u"), all("a.b.c", "%f[.]."))
print(all("x1y22z333", "%f[%d]%d+"))

-- back references
print(("hello"):match("(l)%1"), ("abcabc"):match("(abc)%1"), ("abab"):match("(a)(b)%1%2"))
print(all([[say "hi" and 'bye']], "([\"'])(.-)%1"))
print(("xx yy zz"):gsub("(%a)%1", "<%1>"))
print(pcall(string.match, "aa", "(a)%2"))
print(pcall(string.match, "aa", "%0"))

-- nested captures are numbered by their opening parenthesis
print(("abcd"):match("((a)(b)((c)d))"))
print(("key=val"):match("((%w+)=(%w+))"))
print(("2024-06-30T12:34"):match("((%d+)-(%d+)-(%d+))T((%d+):(%d+))"))

-- position captures mixed with value captures
print(("abcabc"):match("()(b)()"))
print(all("a1b2c3", "()%a()"))
print(("    x"):match("^%s*()"))
print(("hello"):gsub("()", "%1"))

-- empty captures and empty matches
print(("abc"):match("()"), ("abc"):match("(x*)"), #("abc"):match("(x*)"))
print(all("abc", "x*"))
print(all("", ".*"), all("", "x*"))
print(all("a,b,,c", "([^,]*)"))

-- greedy vs lazy vs optional
print(("aXbXc"):match("(.*)X"), ("aXbXc"):match("(.-)X"), ("aXbXc"):match("(.+)X(.+)"))
print(("<<a>>"):match("<(.-)>"), ("<<a>>"):match("<(.*)>"), ("ab"):match("a-b"), ("b"):match("a-b"))
print(("numbers: 12 345 6789"):match("(%d+)%D*$"), ("numbers: 12 345 6789"):match("(%d-)%s"))
print(("-12.5e3"):match("^[+-]?%d+%.?%d*[eE]?[+-]?%d*$"))

-- patterns with special characters inside sets
print(("a.b"):match("[.]"), ("a%b"):match("[%%]"), ("a]b"):match("[%]]"), ("a^b"):match("[%^]"), ("a-b"):match("[-]"))
print(all("a1-b2_c3", "[%w_]+"))
print(all("x+y-z*w", "[+%-*]"))

-- in gmatch a leading '^' is not an anchor: it matches a literal '^' (manual 6.4.1)
print(all("aaa", "^a"))
print(all("hello", "^(h)"), all("^h^h", "^h"))

-- long subjects and patterns stay linear for simple cases
local big = string.rep("ab", 5000) .. "c"
print(#big:match("[ab]*c"), big:find("c"), select(2, big:gsub("ab", "")), (big:match("(ab)*c")))
print(#(string.rep("a", 12)):match(string.rep("a?", 12) .. string.rep("a", 12)))

-- limits raise errors rather than crashing: 32 captures, 200 levels of matcher recursion
print(pcall(string.match, string.rep("a", 40), string.rep("(a)", 33)))
print(select("#", string.match(string.rep("a", 40), string.rep("(a)", 32))))
print(pcall(string.match, string.rep("a", 300), string.rep("a?", 300) .. "b"))

-- %g, %p, %c combinations
print(all("a b\tc\n!", "%g"), all("a.b,c!", "%p"))
print(("line\r\n"):match("([^\r\n]*)"), #("\1\2\3x"):match("%c+"))
