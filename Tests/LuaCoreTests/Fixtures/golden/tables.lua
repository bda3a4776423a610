local t = {1, 2, 3, x = 1, ["y"] = 2, [3.5] = true, f()}
local u = {...}
t.a = t.b
t[1] = t[300]
t[t] = nil
t.x, t.y = t.y, t.x
return #t, {{}}
