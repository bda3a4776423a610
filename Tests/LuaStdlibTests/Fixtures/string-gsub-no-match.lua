-- gsub where no byte of the subject can begin a match (the subject comes back unchanged
-- without matching), next to patterns and replacements that match, anchor or fail.
local subjects = {"", "abc", "a\"b", "x\0y", "plain text here", 12345, 1.5}
local pats = {'[%c"\\]', "%d", "x", "[", "%", "[a-c]+", "^x", "%f[%a]", "a*", "(a)", "[%z]", "q(", "q%1", ".", "%s+"}
local reps = {"%1", "<%0>", "%z", function(c) return "!" end, {a = "A"}, 7, true}
for _, s in ipairs(subjects) do
  for _, p in ipairs(pats) do
    for ri, r in ipairs(reps) do
      for _, n in ipairs({-1, 0, 1, 100}) do
        print(s, p, ri, n, pcall(string.gsub, s, p, r, n))
      end
      print(s, p, ri, pcall(string.gsub, s, p, r))
    end
  end
end
print(pcall(string.gsub, "abc", "z", "x", "bad"))
print(pcall(string.gsub, "abc", "z"))
print(pcall(string.gsub, nil, "z", "x"))
