local a, b = ...
local r1 = a < b, a <= b, a > b, a >= b, a == b, a ~= b
local r2 = a < 1, a <= 2.0, a > 3, a >= -4, 5 < a, 6 >= a, a == 7, a ~= 8.0
local r3 = a == "s", a ~= nil, a == true, a == 1000, a < 1000
if a and b or not a then r1 = 1 end
if a == b then return 1 elseif a < b then return 2 end
return r1, r2, r3, a and b, a or b, not a
