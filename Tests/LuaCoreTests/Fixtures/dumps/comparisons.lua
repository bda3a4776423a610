-- Comparisons whose C field lcode.c fills with isSCnumber's leftover "is float" flag: a float
-- with an integral value that does not fit an immediate (LT/LE/EQK with C = 1), and ones that do.
local x, y = ...
local a = x < 2^53
local b = 2^53 <= x
local c = x == 2^53
local d = x ~= 1e100
local e = x < 3.0 and y >= -2.0 and x == 7.0
local f = 5.0 > x or 300.0 < y or x == 300.0
local g = x < 0.5 or x == 0.5 or x == -1
if x > 1e15 then y = 1 elseif x <= 2^31 then y = 2 end
return a, b, c, d, e, f, g, y
