-- string.byte char len lower upper rep reverse sub, negative indices, method syntax.
local s = "Hello, World"
print(s:len(), #s, string.len(""), string.len("\0\0"))
print(s:upper(), s:lower(), ("MiXeD 123 àé"):upper(), ("ÀB"):lower())
print(s:reverse(), (""):reverse(), ("a\0b"):reverse() == "b\0a")

-- sub with every index form
print(s:sub(1, 5), s:sub(8), s:sub(-5), s:sub(-5, -3), s:sub(0), s:sub(5, 1))
print(s:sub(-100, 3), s:sub(3, 100), s:sub(100), s:sub(-100, -100), s:sub(0, 0), s:sub(1, 0))
print(s:sub(math.mininteger, math.maxinteger), s:sub(math.maxinteger), s:sub(2, -2))
print(s:sub(2.0, 3), pcall(string.sub, s, 1.5))
print(("abc"):sub(-1, 1), ("abc"):sub(3, 3), ("abc"):sub(4, 4) == "")

-- byte
print(s:byte(), s:byte(1), s:byte(-1), s:byte(1, 3))
print(s:byte(100), s:byte(0), select("#", s:byte(5, 4)), s:byte(-3, -1))
print(("\0\255"):byte(1, 2))
print(select("#", ("abc"):byte(1, -1)), select("#", (""):byte()))

-- char
print(string.char(72, 105), string.char(), #string.char(0, 0, 0), string.char(255):byte())
print(pcall(string.char, -1))
print(pcall(string.char, 256))
print(pcall(string.char, "65"), pcall(string.char, 65.0))
print(pcall(string.char, 65.5))

-- rep with separator
print(("ab"):rep(3), ("ab"):rep(3, ","), ("ab"):rep(1, ","), ("ab"):rep(0), ("ab"):rep(-1), ("x"):rep(0, "sep"))
print((""):rep(5), #(""):rep(100, ""), ("a"):rep(2.0))
print(pcall(string.rep, "x", 1.5))
print(#string.rep("abc", 10000), #string.rep("a", 10, "bb"))
print(pcall(string.rep, "x", math.maxinteger))

-- upper/lower only touch ASCII letters in the C locale
local all = {}
for i = 0, 255 do all[#all + 1] = string.char(i) end
local allStr = table.concat(all)
local up, low = allStr:upper(), allStr:lower()
local changedUp, changedLow = 0, 0
for i = 1, 256 do
  if up:byte(i) ~= allStr:byte(i) then changedUp = changedUp + 1 end
  if low:byte(i) ~= allStr:byte(i) then changedLow = changedLow + 1 end
end
print(changedUp, changedLow, up:sub(98, 123), low:sub(66, 91))

-- string functions via the string metatable
local n = 42
print(("%d"):format(n), ("x"):rep(2), ("abc"):len())
print(#("abc"):rep(2):upper():reverse())

-- strings are immutable; operations return new strings
local orig = "abc"
local changed = orig:upper()
print(orig, changed)

-- numbers are accepted where strings are expected
print(string.len(12345), string.upper(1e3), string.reverse(123), string.sub(3.5, 2))
print(string.byte(7), string.rep(1, 3))

-- argument errors
print(pcall(string.len))
print(pcall(string.upper, {}))
print(pcall(string.sub))
print(pcall(string.byte, "x", "y"))

-- long strings
local long = string.rep("0123456789", 1000)
print(#long, long:sub(9995, 10000), long:byte(10000), long:reverse():sub(1, 3))
print(long:upper() == long, #long:rep(3, "|"))

-- comparing results of operations
print(("abc"):upper() == "ABC", ("ABC"):lower() == "abc", ("abc"):reverse():reverse() == "abc")

-- string.len vs # with multibyte characters
local utf = "日本語"
print(#utf, utf:len(), utf:byte(1), utf:sub(1, 3), utf:reverse() ~= utf)
