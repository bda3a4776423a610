-- Coroutines: resume/yield values both ways, status, wrap, running, isyieldable.
local co = coroutine.create(function(a, b)
  print("start", a, b)
  local c = coroutine.yield(a + b)
  print("got", c)
  local d, e = coroutine.yield(c * 2)
  print("got", d, e)
  return "finished", d + e
end)
print(type(co), coroutine.status(co))
print(coroutine.resume(co, 1, 2))
print(coroutine.status(co))
print(coroutine.resume(co, 10))
print(coroutine.resume(co, 3, 4))
print(coroutine.status(co))
print(coroutine.resume(co))
print(coroutine.resume(co))

-- yield with no values and many values
local many = coroutine.create(function(...)
  local n = select("#", coroutine.yield())
  coroutine.yield(n, ...)
  return select("#", coroutine.yield(nil, nil))
end)
print(coroutine.resume(many, "x", "y"))
print(coroutine.resume(many, nil, nil, nil))
print(coroutine.resume(many))
print(coroutine.resume(many, 1, 2, 3, 4))
print(coroutine.status(many))

-- status values: running, normal, suspended, dead
local outerCo
local innerCo = coroutine.create(function()
  print("inner sees outer as", coroutine.status(outerCo))
  print("inner sees itself as", coroutine.status(coroutine.running()))
end)
outerCo = coroutine.create(function()
  coroutine.resume(innerCo)
  print("inner after run", coroutine.status(innerCo))
end)
coroutine.resume(outerCo)
print("outer", coroutine.status(outerCo))

-- running and isyieldable
local main, isMain = coroutine.running()
print(type(main), isMain, coroutine.isyieldable())
coroutine.wrap(function()
  local c, m = coroutine.running()
  print(type(c), m, coroutine.isyieldable(), c ~= main)
end)()
print(coroutine.isyieldable(main))

-- wrap: a function that resumes; errors propagate
local gen = coroutine.wrap(function()
  for i = 1, 3 do coroutine.yield(i) end
  return "end"
end)
print(gen(), gen(), gen(), gen())
print(pcall(gen))

-- resuming dead or running coroutines
local selfResume
selfResume = coroutine.create(function() return coroutine.resume(selfResume) end)
print(coroutine.resume(selfResume))
print(coroutine.resume(coroutine.running()))

-- yield outside a coroutine
print(pcall(coroutine.yield, 1))

-- generators
local function range(n)
  return coroutine.wrap(function()
    for i = 1, n do coroutine.yield(i) end
  end)
end
local sum = 0
for i in range(100) do sum = sum + i end
print("sum", sum)

-- permutations generator
local function permgen(a, n)
  n = n or #a
  if n <= 1 then coroutine.yield(a)
  else
    for i = 1, n do
      a[n], a[i] = a[i], a[n]
      permgen(a, n - 1)
      a[n], a[i] = a[i], a[n]
    end
  end
end
local function permutations(a)
  return coroutine.wrap(function() permgen(a) end)
end
local ps = {}
for p in permutations({ "a", "b", "c" }) do ps[#ps + 1] = table.concat(p) end
print(#ps, table.concat(ps, " "))

-- producer / consumer with filter
local function producer()
  return coroutine.create(function()
    for _, w in ipairs({ "alpha", "beta", "gamma", "delta" }) do coroutine.yield(w) end
  end)
end
local function filter(prod)
  return coroutine.create(function()
    local n = 1
    while true do
      local _, x = coroutine.resume(prod)
      if x == nil then break end
      coroutine.yield(n .. ":" .. x)
      n = n + 1
    end
  end)
end
local function consumer(prod)
  local out = {}
  while true do
    local _, x = coroutine.resume(prod)
    if x == nil then break end
    out[#out + 1] = x
  end
  return table.concat(out, ", ")
end
print(consumer(filter(producer())))

-- coroutine.create argument checking
print(pcall(coroutine.create, 5))
print(pcall(coroutine.resume, 5))
print(pcall(coroutine.status, nil))
print(pcall(coroutine.wrap, {}))

-- a coroutine can wrap a C function
local cco = coroutine.create(print)
print(coroutine.resume(cco, "printed by C coroutine"))
print(coroutine.status(cco))
local upper = coroutine.wrap(string.upper)
print(upper("wrapped c"))

-- many coroutines alive at once
local cos = {}
for i = 1, 100 do
  cos[i] = coroutine.create(function(x) local y = coroutine.yield(x * 2); return x + y end)
end
local total = 0
for i = 1, 100 do local _, v = coroutine.resume(cos[i], i); total = total + v end
for i = 1, 100 do local _, v = coroutine.resume(cos[i], 1); total = total + v end
print("total", total)

-- deep recursion inside a coroutine
local deep = coroutine.wrap(function(n)
  local function rec(k) if k == 0 then return coroutine.yield("bottom") end return rec(k - 1) end
  return rec(n)
end)
print(deep(10000), deep("back"))
