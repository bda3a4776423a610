-- Arithmetic: integer/float subtypes, wraparound, floor division and modulo signs.
local function show(label, v)
  print(label, v, math.type(v))
end

show("1+2", 1 + 2)
show("1+2.0", 1 + 2.0)
show("3-5", 3 - 5)
show("2*3", 2 * 3)
show("2*3.0", 2 * 3.0)
show("7/2", 7 / 2)
show("6/2", 6 / 2)
show("2^10", 2 ^ 10)
show("2^0.5", 2 ^ 0.5)
show("-2^2", -2 ^ 2)
show("2^-1", 2 ^ -1)
show("2^3^2", 2 ^ 3 ^ 2)

-- wraparound of integer arithmetic
show("maxint+1", math.maxinteger + 1)
show("minint-1", math.mininteger - 1)
show("maxint*2", math.maxinteger * 2)
show("-minint", -math.mininteger)
show("minint*-1", math.mininteger * -1)
show("maxint+1.0", math.maxinteger + 1.0)
show("maxint+0.0", math.maxinteger + 0.0)

-- floor division and modulo with every sign combination
local pairs_ = { {7, 3}, {-7, 3}, {7, -3}, {-7, -3}, {6, 3}, {-6, 3}, {0, 5}, {0, -5} }
for _, p in ipairs(pairs_) do
  local a, b = p[1], p[2]
  print(a, b, "//", a // b, "%", a % b, "float//", a // (b + 0.0), "float%", a % (b + 0.0))
end

for _, p in ipairs({ {5.5, 2}, {-5.5, 2}, {5.5, -2}, {-5.5, -2}, {5.25, 0.5}, {1e308, 3} }) do
  local a, b = p[1], p[2]
  print(a, b, a // b, a % b)
end

-- modulo with infinities and special floats
print("5 % inf", 5 % math.huge, "-5 % inf", -5 % math.huge)
print("5 % -inf", 5 % -math.huge, "-5 % -inf", -5 % -math.huge)
print("inf % 2", tostring(math.huge % 2))
print("5.0 // 0", 5.0 // 0, "-5.0 // 0", -5.0 // 0)
print("5 / 0", 5 / 0, "-5 / 0", -5 / 0, "0/0 ~= 0/0", (0 / 0) ~= (0 / 0))
print("5 % 0.0", tostring(5 % 0.0))
print("5.0 % 0", tostring(5.0 % 0))

-- integer division / modulo by zero raise errors
for _, f in ipairs({
  function() return 1 // 0 end,
  function() return 1 % 0 end,
  function() local z = 0; return math.mininteger // z end,
  function() local z = 0; return 10 % z end,
}) do
  local ok, msg = pcall(f)
  print(ok, msg)
end

-- minint // -1 and minint % -1 do not trap
show("minint // -1", math.mininteger // -1)
show("minint % -1", math.mininteger % -1)
show("maxint // -1", math.maxinteger // -1)

-- unary minus and mixing
show("-(1)", -(1))
show("-(1.5)", -(1.5))
show("- -3", - -3)
show("3 - -3", 3 - -3)

-- exponentiation always produces floats
show("0^0", 0 ^ 0)
show("4^0.5", 4 ^ 0.5)
show("(-8)^(1/3) is nan", tostring((-8) ^ (1 / 3)) )

-- integer literals that overflow become floats; hex wraps around
show("9223372036854775807", 9223372036854775807)
show("9223372036854775808", 9223372036854775808)
show("-9223372036854775808", -9223372036854775808)
show("0x7fffffffffffffff", 0x7fffffffffffffff)
show("0xffffffffffffffff", 0xffffffffffffffff)
show("0x10000000000000000", 0x10000000000000000)
show("0x1p4", 0x1p4)
show("0x.8", 0x.8)
show("0xA.8p1", 0xA.8p1)
show("1e2", 1e2)
show("1E-2", 1E-2)
show(".5", .5)
show("5.", 5.)
show("3e0", 3e0)

-- float to integer conversions in arithmetic results
show("3.0 + 0", 3.0 + 0)
show("10 // 3.0", 10 // 3.0)
show("10.0 % 3", 10.0 % 3)
show("2^53 + 1", 2 ^ 53 + 1)
show("(2^53|0) + 1", (2 ^ 53 | 0) + 1)

-- precedence
print(2 + 3 * 4 ^ 2 / 8, (2 + 3) * 4, 2 * 3 % 4, -3 ^ 2, not 1 == 2)
print(1 .. 2 .. 3, "a" .. 1 + 2, 2 ^ -2)
print(7 // 2 * 2, 7 % 4 % 3, 1 - 2 - 3, 2 ^ 2 ^ 3)
