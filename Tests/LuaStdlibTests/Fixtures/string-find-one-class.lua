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
-- Patterns that differ only past a zero byte or in length, alternating (the library keeps the
-- lead items of recent short patterns by their bytes), and patterns of 16 and 17 bytes.
local alternating = {"a", "a\0", "\0", "[\0a]", "[^\0]", "b", "a", "a\0", "[abcdefghijklmn]", "[abcdefghijklmno]", "[abcdefghijklmn]"}
for round = 1, 2 do
  for _, p in ipairs(alternating) do
    print(round, #p, string.find("xx\0a\0b", p), string.find("\0\0", p, 2), (string.gsub("zz\0a", p, "!")))
  end
end
