local a <const> = 1
local t = {}
t.x, a = 1, 2
