local t = {}
print(1, "two", 3.0)
t:method(1, 2)
t.field.sub(t)
local x, y = f(g(h()))
local s = string.format("%d", 42)
return f(...), select('#', ...)
