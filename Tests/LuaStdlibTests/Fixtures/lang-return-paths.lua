-- Returns delivered to every result count a caller can ask for, through each kind of return
-- (RETURN0, RETURN1, RETURN with upvalues to close, varargs, tail calls), and __index chains
-- looked up with short strings, long strings and other keys.

local function show(...)
  local t = table.pack(...)
  local parts = {}
  for i = 1, t.n do parts[i] = tostring(t[i]) end
  return t.n .. ":" .. table.concat(parts, ",")
end

local function none() end
local function one() return 1 end
local function two() return 1, 2 end
local function closing(k)      -- RETURN with an upvalue to close
  local f = function() return k end
  return f, k
end
local function closingNone(k)  -- closes an upvalue, returns nothing
  local f = function() return k end
  f = nil
  return
end
local function va(...) return ... end
local function tail1(x) return one(x) end
local function tailva(...) return va(...) end

print("statement calls")
none(); one(); two(); closing(3); closingNone(4); va(1, 2, 3); tail1(); tailva(5)

print("one result wanted")
do
  local a = none(); local b = one(); local c = two(); local d = select(2, closing(7))
  local e = closingNone(1); local f = va(); local g = va(9, 8); local h = tail1(); local i = tailva()
  print(a, b, c, d, e, f, g, h, i)
end

print("three results wanted")
do
  local a1, a2, a3 = none()
  local b1, b2, b3 = one()
  local c1, c2, c3 = two()
  local d1, d2, d3 = closing(5)
  local e1, e2, e3 = closingNone(5)
  local f1, f2, f3 = va(1, 2, 3, 4)
  local g1, g2, g3 = tailva(6)
  print(a1, a2, a3, b1, b2, b3, c1, c2, c3, type(d1), d2, d3, e1, e2, e3, f1, f2, f3, g1, g2, g3)
end

print("all results wanted")
print(show(none()), show(one()), show(two()), show(select(2, closing(8))), show(closingNone(2)))
print(show(va()), show(va(nil, nil)), show(tail1()), show(tailva(1, nil, 3)))
print(#{none()}, #{one()}, #{two()}, #{va(1, 2, 3, 4, 5)})

print("returns inside loops and recursion")
local function depth(n) if n == 0 then return end return depth(n - 1) end
local function count(n) if n == 0 then return 0 end local r = count(n - 1) return r + 1 end
local function pair(n) if n == 0 then return 0, 0 end local a, b = pair(n - 1) return a + 1, b + 2 end
print(show(depth(50)), count(200), pair(100))
local acc = 0
for i = 1, 1000 do
  local f, k = closing(i)
  acc = acc + f() + k
  one()
  acc = acc + (va(i) or 0)
end
print(acc)

print("__index chains")
local Base = {}
Base.__index = Base
Base.greet = function(self) return "base " .. self.name end
Base[1] = "one from base"
Base[2.5] = "two and a half"
Base[true] = "yes"
local longKey = string.rep("k", 50)
Base[longKey] = "long key found"
local Mid = setmetatable({}, Base)
Mid.__index = Mid
Mid.kind = "mid"
local obj = setmetatable({ name = "obj" }, Mid)
print(obj:greet(), obj.kind, obj[1], obj[2.5], obj[true], obj[longKey])
print(obj.missing, obj[string.rep("k", 49)], obj[3], obj[false])
local viaFunction = setmetatable({}, { __index = function(t, k) return "fn:" .. tostring(k) end })
local chain = setmetatable({}, { __index = viaFunction })
print(chain.x, chain[longKey] == "fn:" .. longKey, chain[4])
local deep = {}
for _ = 1, 20 do deep = setmetatable({}, { __index = deep }) end
print(deep.nothing)
local ok, err = pcall(function() local t = setmetatable({}, { __index = 5 }) return t.x end)
print(ok, (err:gsub("^.-:%d+: ", "")))

-- return f(...) with a host f: vararg frames, metamethods, coroutines, pcall, hooks
local function v(...) return select('#', ...), ... end
local function tv(...) return select(2, ...) end             -- vararg frame tail-calls a host
print(tv(1, 2, 3))
print((tv(1, 2, 3)))
local t = { tv(1, 2, 3, 4) }
print(#t, t[1], t[3])
local function mk(o, mt) return setmetatable(o, mt) end
local mt = { __index = { hi = "hi" } }
print(mk({}, mt).hi)
-- as a metamethod (finishOp afterwards)
local V = {}
V.__add = function(a, b) return setmetatable({ a[1] + b[1] }, V) end
V.__eq = function(a, b) return rawequal(a, b) end
V.__lt = function(a, b) return rawlen(a) < rawlen(b) end
V.__concat = function(a, b) return tostring(#a) .. tostring(#b) end
V.__index = function(t, k) return rawget(V, k) end
V.__len = function(a) return rawlen(a) end
local x, y = setmetatable({ 1 }, V), setmetatable({ 2, 3 }, V)
print((x + y)[1], x == y, x < y, x .. y, #y, x.nothing)
-- in a coroutine, with yields around
local co = coroutine.wrap(function(a)
  local function f(...) return select('#', ...) end
  local function g(...) return math.max(...) end
  coroutine.yield(g(a, 5, 2))
  return tostring(f(1, 2))
end)
print(co(7), co())
-- pcall of a function ending in a host tail call, and an error from one
print(pcall(function(...) return select(2, ...) end, "a", "b", "c"))
print(pcall(function() return error("boom", 0) end))
print(pcall(function(...) return tostring(...) end))
-- a chain: Lua tail-calls Lua that tail-calls a host
local function h2(...) return select('#', ...) end
local function h1(...) return h2(...) end
print(h1(nil, nil, nil))
-- a return hook sees the host and Lua returns
local events = {}
debug.sethook(function(e) local info = debug.getinfo(2, "n"); events[#events + 1] = e .. ":" .. tostring(info and info.name) end, "r")
local function hooked(a) return tostring(a) end
local r = hooked(5)
debug.sethook()
print(r, #events > 0)
-- RETURN that closes upvalues: the common case (up to two results, vararg frames) and what it
-- leaves to the general way (all results to the top, more than two, to-be-closed variables,
-- upvalues closed while black during an incremental collection).
do
  local function mk(k) return function(x) return x + k end end
  local function va(...) local n = select('#', ...) local g = function() return n end return g, ... end
  local function three(a) local f = function() return a end return f, a, a * 2 end
  local g, p, q = va(5, 6, 7)
  local f, b, c, d = three(4)
  print(mk(1)(2), select('#', va(1, 2, 3)), g(), p, q, f(), b, c, d)
  local closed = 0
  local function tbc(k)
    local v <close> = setmetatable({}, {__close = function() closed = closed + k end})
    local h = function() return k end
    return h
  end
  print(tbc(3)(), closed)
  collectgarbage("incremental")
  local keep, sum = {}, 0
  for i = 1, 200 do
    keep[i] = (function(k) local t = {k} local h = function() return t[1] end
      for j = 1, i do local _ = {} end collectgarbage("step", 0) return h end)(i)
  end
  for i = 1, 200 do sum = sum + keep[i]() end
  print(sum)
  collectgarbage("generational")
end
-- the main chunk ends with a host tail call
return print("end")

