local x = 0x7fffffffffffffff + 1 -- ok
local y = 1 // 0 + "x"
return 1
x = 2
