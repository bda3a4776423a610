-- Creating and calling closures: counters, adders, upvalue sharing, higher-order helpers.
-- Usage: lua closures.lua [n]   (default 9000000)
local n = tonumber(arg and arg[1]) or 9000000

local function makeAdder(k)
  return function(x) return x + k end
end

local function makeCounter()
  local c = 0
  return function() c = c + 1; return c end, function() return c end
end

local function map(f, t, out)
  for i = 1, #t do out[i] = f(t[i]) end
  return out
end

local function compose(f, g)
  return function(x) return f(g(x)) end
end

local total = 0
local inc, get = makeCounter()
for i = 1, n do
  local add = makeAdder(i % 100)          -- a fresh closure every iteration
  total = total + add(i)
  inc()
end

local small = {}
for i = 1, 100 do small[i] = i end
local out = {}
local double = function(x) return x * 2 end
local plusOneTimesTwo = compose(double, makeAdder(1))
for _ = 1, n // 100 do
  map(plusOneTimesTwo, small, out)
  total = total + out[100]
end

-- closures capturing loop variables, called later
local fs = {}
for i = 1, 1000 do fs[i] = function(y) return i * y end end
for r = 1, n // 1000 do
  local f = fs[r % 1000 + 1]
  total = total + f(3)
end

print(string.format("total %d  counter %d", total, get()))
