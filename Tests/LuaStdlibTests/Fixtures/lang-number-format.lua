-- How numbers print: %.14g for floats, ".0" suffix for integral floats, inf/nan.
print(1e15, 2^53, 0.1, -0.0, 1/0, -1/0, 0/0)
print(1e14, 1e16, 123456789012345.0, 1234567890123456.0)
print(0.1 + 0.2, 1/3, -1/3, 2/3)
print(100.0, -100.0, 1e100, 1e-100, 5e-324, 1.7976931348623157e308)
print(3.14159265358979, math.pi, -math.pi)
print(2^63, -2^63, 2^64)
print(1e300 * 1e10, -1e300 * 1e10)
print(0.0, -0.0 == 0.0, 1/(-0.0))
print(123, -123, 0, math.maxinteger, math.mininteger)
print(12345678901234567890)
print(1e0, 10e0, 1.5e1, 25e-1)

-- tostring agrees with print
for _, v in ipairs({ 1, 1.0, -1.5, 1e15, 1e16, 2^24, 0.1, 1e-5, 123e-7 }) do
  io.write(tostring(v), " ")
end
print()

-- string.format("%.14g") is the float format
for _, v in ipairs({ 1.0, 0.1, 1e15, 1e100, 2^53 }) do
  io.write(string.format("%.14g", v), " ")
end
print()

-- concatenation uses the same format
print(1.0 .. "", 1 .. "", -0.0 .. "", 1e15 .. "", 2^63 .. "", (0/0 ~= 0/0) and "nan-ok" or "")

-- io.write number formatting
io.write(1, " ", 1.0, " ", 1e100, " ", -0.0, " ", math.huge, "\n")

-- integer vs float keys print identically when used with tostring
local t = { [1] = "int", [2.5] = "float" }
print(t[1.0], t[2.5], t[1])

-- numbers that round-trip through strings
for _, s in ipairs({ "1", "1.0", "0x10", "1e3", "  42  ", "0x1p-2", "-0", "-0.0", "1e500", "-1e500", "inf", "nan", "0x", "1e", ".", "5." }) do
  local n = tonumber(s)
  print(string.format("%-10s", string.format("%q", s)), n, math.type(n))
end

-- float formatting of large integral floats
for e = 10, 20 do
  io.write(tostring(10.0 ^ e), " ")
end
print()
for e = 1, 8 do
  io.write(tostring(2.0 ^ (e * 8) - 1), " ")
end
print()

-- %.14g rounding cases
print(0.30000000000000004, 1.00000000000001, 1.000000000000001, 99999999999999.9, 999999999999999.9)
print(123456.789e3, 1.5e-7, 0.000123456789012345)
