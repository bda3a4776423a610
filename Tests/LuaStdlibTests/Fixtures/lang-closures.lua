-- Closures: counters, shared upvalues, per-iteration locals, upvalue lifetime.
local function counter(start)
  local n = start or 0
  return function() n = n + 1; return n end, function() return n end
end
local inc1, get1 = counter()
local inc2, get2 = counter(100)
inc1(); inc1(); inc2()
print(get1(), get2(), inc1(), inc2())

-- two closures sharing one upvalue
local function pair()
  local v = 0
  local function set(x) v = x end
  local function get() return v end
  return set, get
end
local set, get = pair()
set(5)
print(get())
set("changed")
print(get())

-- upvalue survives after the creating function returns and is shared after close
local fns = {}
do
  local shared = 1
  fns.a = function() shared = shared * 2; return shared end
  fns.b = function() shared = shared + 1; return shared end
end
print(fns.a(), fns.b(), fns.a(), fns.b())

-- closures created in loops capture a fresh variable each iteration
local list = {}
for i = 1, 5 do list[i] = function() return i * i end end
local out = {}
for i = 1, 5 do out[i] = list[i]() end
print(table.concat(out, " "))

-- while loop: a local declared inside the body is fresh per iteration
local wl = {}
local j = 0
while j < 3 do
  j = j + 1
  local captured = j
  wl[j] = function() captured = captured + 10; return captured end
end
print(wl[1](), wl[1](), wl[2](), wl[3]())

-- but a variable declared outside the loop is shared
local sharedList = {}
local k = 0
while k < 3 do
  k = k + 1
  sharedList[k] = function() return k end
end
print(sharedList[1](), sharedList[2](), sharedList[3]())

-- nested closures three levels deep
local function level1(a)
  return function(b)
    return function(c)
      a = a + 1
      return a + b + c
    end
  end
end
local l3 = level1(1)(10)
print(l3(100), l3(100), level1(0)(0)(0))

-- recursive local function sees itself as an upvalue
local function fact(n) if n <= 1 then return 1 end return n * fact(n - 1) end
print(fact(10), fact(20), fact(21))

-- local function vs local f = function
local g = function(n) return n end
local g = function(n) if n == 0 then return "base" end return g(n - 1) end
print(g(3))

-- memoization through a closure over a table
local function memoize(f)
  local cache, hits = {}, 0
  return function(n)
    local v = cache[n]
    if v then hits = hits + 1; return v end
    v = f(n)
    cache[n] = v
    return v
  end, function() return hits end
end
local fib
local mfib, hitsOf = memoize(function(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end)
fib = mfib
print(fib(80), hitsOf())

-- upvalues of upvalues
local function makeAcc()
  local total = 0
  local function add(x) total = total + x end
  return function(xs)
    for _, v in ipairs(xs) do add(v) end
    return total
  end
end
local acc = makeAcc()
print(acc({ 1, 2, 3 }), acc({ 10 }))

-- closures as objects
local function Stack()
  local items, n = {}, 0
  return {
    push = function(v) n = n + 1; items[n] = v end,
    pop = function() local v = items[n]; items[n] = nil; n = n - 1; return v end,
    size = function() return n end,
  }
end
local st = Stack()
st.push("a"); st.push("b"); st.push("c")
print(st.pop(), st.size(), st.pop(), st.pop(), st.size())

-- function identity: each evaluation of a function expression makes a new closure
local made = {}
for i = 1, 2 do made[i] = function() end end
print(made[1] == made[2], made[1] == made[1])

-- closures capturing loop variables of generic for
local gl = {}
for idx, name in ipairs({ "x", "y", "z" }) do gl[idx] = function() return idx .. name end end
print(gl[1](), gl[2](), gl[3]())

-- compose/curry
local function compose(f, h) return function(...) return f(h(...)) end end
local function curry(f) return function(a) return function(b) return f(a, b) end end end
local addc = curry(function(a, b) return a + b end)
print(compose(tostring, addc(5))(7), compose(string.upper, string.reverse)("abc"))
