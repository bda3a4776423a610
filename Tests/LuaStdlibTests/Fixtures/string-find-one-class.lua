-- find/match of a pattern that is one single-byte class (no matcher is built), next to
-- patterns that only look like one: anchors, frontier, repetition, captures, malformed.
local subjects = {"", "a", "  x y", "\t\r\nz", "abc123", "é\0b", ("ab"):rep(10)}
local pats = {"[^ \t\r\n]", '["\\]', "%d", "x", ".", "[a-c]", "%", "[", "[]", "[^]", "%z", "[%a]", "^x", "%f[%a]", "a*", "(a)"}
for _, s in ipairs(subjects) do
  for _, p in ipairs(pats) do
    for _, i in ipairs({1, 2, -1, -100, 0, 5, 100}) do
      print(s:len(), p, i, pcall(string.find, s, p, i))
      print(s:len(), p, i, pcall(string.match, s, p, i))
    end
  end
end
