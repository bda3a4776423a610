-- Comparisons: integer/float exactness, strings, mixed types.
print(1 == 1.0, 1 < 1.5, 2 > 1.5, -0.0 == 0.0, 0.0 == -0)
print(math.maxinteger == 2^63, math.maxinteger < 2^63, math.maxinteger + 0.0 == 2^63)
print(math.mininteger == -2^63, math.mininteger < -2^63, math.mininteger <= -2^63)
print(2^53 == 2^53 + 1, (2^53 | 0) + 1 == 2^53, (2^53 | 0) + 1 > 2^53)
print(9007199254740993 < 9007199254740992.0, 9007199254740993 > 9007199254740992.0)
print(9007199254740993 == 9007199254740992.0)
print(math.maxinteger < math.huge, math.mininteger > -math.huge)
print(1 < 0/0, 1 > 0/0, 1 == 0/0, 0/0 == 0/0, not (0/0 < 0/0))
local nan = 0/0
print(nan ~= nan, nan <= nan, nan >= nan)
print(1 <= 1.0, 1 >= 1.0, 1.0 <= 1, -1 < -0.5)
print(math.maxinteger <= math.maxinteger + 0.0, math.maxinteger >= math.maxinteger + 0.0)
print(math.maxinteger - 1 < math.maxinteger + 0.0)
print(3 == 3.0000000000000001, 3 < 3.0000000000001)

-- strings compare bytewise (C locale)
print("a" < "b", "a" < "B", "abc" < "abd", "ab" < "abc", "" < "a", "Z" < "a")
print("a\0b" < "a\0c", "a\0" > "a", "a\0b" == "a\0b", "10" < "9", "abc" <= "abc")
print("\255" > "\127", "é" > "e")

-- equality never coerces
print(1 == "1", "1" == 1, 0 == false, nil == false, "" == false)
local t1, t2 = {}, {}
print(t1 == t1, t1 == t2, t1 ~= t2, print == print)

-- ordering across types raises errors
local function try(f, ...)
  local ok, err = pcall(f, ...)
  print(ok, err)
end
try(function() return 1 < "2" end)
try(function() return "1" < 2 end)
try(function() return {} < {} end)
try(function() return nil < 1 end)
try(function() return 1 <= nil end)
try(function() return true > false end)
try(function() return "a" >= {} end)
try(function() return print < print end)
try(function() local a = {} return a > 1 end)

-- comparison results are booleans
print(type(1 < 2), (1 < 2) == true)

-- chains of comparisons in expressions
local a, b, c = 1, 2, 3
print(a < b and b < c, a < b == true, not (a > b))

-- sort-like use of mixed int/float
local vals = { 3, 1.5, 2, -1, 2.5, 0.5, -0.0, 10 }
table.sort(vals)
for i = 1, #vals do io.write(tostring(vals[i]), " ") end
print()

-- large integer vs float comparisons around 2^63
local big = 2^63
print(math.maxinteger < big, math.maxinteger >= big, math.mininteger >= -big, math.mininteger > -big)
print(-9223372036854775807 > -2^63, 9223372036854775807 // 1 == 2^63)
for _, f in ipairs({ 2^62, 2^62 + 2^10, -2^62, 1.5, -1.5, 1e20, -1e20 }) do
  local i = 4611686018427387904
  io.write(tostring(i < f), tostring(i <= f), tostring(i == f), tostring(f < i), " ")
end
print()
