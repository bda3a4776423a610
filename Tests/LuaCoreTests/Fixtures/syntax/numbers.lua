-- Numerals: integers, floats, hex, exponents, overflow rules.
local a = 0, 1, 123456789, 9223372036854775807
local b = 9223372036854775808, 18446744073709551616, 1e100
local c = 0x0, 0xff, 0XFF, 0x7fffffffffffffff, 0xffffffffffffffff, 0x10000000000000000
local d = 1.0, .5, 5., 3e2, 3E-2, 1e+10, 0.1e1
local e = 0x1p4, 0x.8, 0x1.8P1, 0xA.8p-1, 0x1p-1074
local f = 65535, 65536, -65535, -65536, 131071, 131072
local g = 1.5e308, 2^63, -2^63, 3.14159265358979
return a, b, c, d, e, f, g
