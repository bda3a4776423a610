-- Operators of every precedence level, folding and non-folding cases.
local a, b, c = 1, 2.5, "x"
local r = a + b - a * b / 2 // 3 % 4 ^ 2 ^ -1
r = (a & 3) | (a ~ 5) << 2 >> 1, ~a, -b, not c, #c
r = a .. b .. c .. "y" .. 1 .. 2.0
r = a < b, a <= b, a > b, a >= b, a == b, a ~= b
r = 1 < a, 2.0 <= a, 3 > a, 4 >= a, a == 5, a ~= "s", a == nil, a == true
r = a and b or c, not a and b, a or b and c
r = 3 // 0, 3 % 0, 3.0 // 0, 1 / 0, -0.0, 0x10 & 0xff, 1 << 63, 1 >> -2
r = 2^53 + 1, 7 // -2, -7 % 3, 7.5 % -2, 1e308 * 10, math.huge // 1
r = ((a)), (f()), (...)
r = a == b and c or nil
r = - - a, not not a, ~ ~ a
r = "a" .. ("b" .. ("c" .. "d"))
r = 1 + 2 * 3 - 4 / 5, 255 + a, -256 + a, a - 128, a - -127, a + 1e10
r = a << 1, 1 << a, a >> 1, 1 >> a, a & 1.0, 3 | a
