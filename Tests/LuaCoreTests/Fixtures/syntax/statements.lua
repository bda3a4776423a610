-- Every statement form.
local x, y = 1
local z;
x = 1; y = 2
x, y = y, x
local t = {}
t.a, t.b, x = 1, 2
t[x], t[y] = t[y], t[x]
x, t.c = f()
do local inner = 1 end
while x < 10 do x = x + 1 if x == 5 then break end end
repeat local w = x; x = x - 1 until w < 3
if x then y = 1 elseif y then y = 2 elseif z then y = 3 else y = 4 end
if x then elseif y then end
while x do if x then break end end
for i = 1, 10 do end
for i = 10, 1, -1 do x = x + i end
for i = 1.0, 2 do end
for k, v in pairs(t) do t[k] = v end
for k in next, t do end
for a, b, c, d, e in f() do end
function g() end
function t.m() end
function t.a.b.c:m() return self end
local function h(...) return ... end
goto skip
x = 2
::skip::
return
