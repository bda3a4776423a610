local a, b = ...
local c = a + b * 2 - a / 3 // b % 5 ^ 2
local d = -a, ~b, a & 0xff, a | b, a ~ 3, a << 2, a >> b, 1 << a
local e = a + 1, a - 1, a + 1000, 3.5 * a, a - 2.5, 1 + 2 * 3
return c, d, e, 7 // 0, 2 ^ 10, 10 // 3.0
