-- Coroutines: errors, close, yield across pcall and metamethods, C-call boundaries.
-- errors inside coroutines are returned by resume, and kill the coroutine
local co = coroutine.create(function() local x = nil; return x.field end)
print(coroutine.resume(co))
print(coroutine.status(co))
local tco = coroutine.create(function() error({ code = 7 }) end)
local ok, e = coroutine.resume(tco)
print(ok, type(e), e.code)

-- wrap propagates errors with position information added to strings
local w = coroutine.wrap(function() error("wrapped failure") end)
print(pcall(w))
local w2 = coroutine.wrap(function() error({ "table error" }) end)
local ok2, e2 = pcall(w2)
print(ok2, type(e2), e2[1])

-- yield across pcall inside a coroutine
local yp = coroutine.create(function()
  local ok3, v = pcall(function()
    local got = coroutine.yield("from inside pcall")
    if got == "raise" then error("raised after yield", 0) end
    return got
  end)
  coroutine.yield("pcall returned", ok3, v)
  return "done"
end)
print(coroutine.resume(yp))
print(coroutine.resume(yp, "raise"))
print(coroutine.resume(yp))
print(coroutine.status(yp))

-- yield across xpcall with a handler
local yx = coroutine.wrap(function()
  return xpcall(function()
    coroutine.yield("in xpcall")
    error("late", 0)
  end, function(m) return "handled: " .. m end)
end)
print(yx())
print(yx())

-- yield inside metamethods (__index, __add, __lt, __concat, __eq, __call)
local mt = {
  __index = function(_, k) return coroutine.yield("index " .. k) end,
  __add = function(a, b) return coroutine.yield("add") end,
  __lt = function() return coroutine.yield("lt") end,
  __concat = function() return coroutine.yield("concat") end,
  __eq = function() return coroutine.yield("eq") end,
  __call = function(self, x) return coroutine.yield("call " .. x) end,
  __len = function() return coroutine.yield("len") end,
}
local obj = setmetatable({}, mt)
local obj2 = setmetatable({}, mt)
local mco = coroutine.wrap(function()
  local a = obj.key
  local b = obj + 1
  local c = obj < obj2
  local d = obj .. "x"
  local e = obj == obj2
  local f = obj("arg")
  local g = #obj
  return a, b, c, d, e, f, g
end)
print(mco())
print(mco("A"))
print(mco("B"))
print(mco(false))
print(mco("D"))
print(mco(1))
print(mco("F"))
print(mco(99))

-- yield inside a generic-for iterator and inside a tbc __close
local forCo = coroutine.wrap(function()
  for v in function(_, c) c = (c or 0) + 1; if c <= 2 then coroutine.yield("iter " .. c); return c end end do end
  do
    local x <close> = setmetatable({}, { __close = function() coroutine.yield("closing") end })
  end
  return "for done"
end)
print(forCo(), forCo(), forCo(), forCo())

-- yield across a C-call boundary is an error (table.sort comparator, gsub callback)
local cb = coroutine.create(function()
  table.sort({ 3, 2, 1 }, function(a, b) coroutine.yield() return a < b end)
end)
print(coroutine.resume(cb))
local gs = coroutine.create(function()
  return (string.gsub("abc", "%w", function(c) coroutine.yield(c) end))
end)
print(coroutine.resume(gs))
-- but pcall, xpcall, and tostring-free paths are yieldable; load's reader is not
local ld = coroutine.create(function()
  return load(function() coroutine.yield("in reader") end)
end)
print(coroutine.resume(ld))

-- coroutine.close
local closable = coroutine.create(function() coroutine.yield() end)
coroutine.resume(closable)
print(coroutine.close(closable), coroutine.status(closable))
print(coroutine.close(coroutine.create(print)))
local errored = coroutine.create(function() error("E", 0) end)
coroutine.resume(errored)
print(coroutine.close(errored))
print(pcall(coroutine.close, coroutine.running()))
-- close with a __close that errors
local closeErr = coroutine.create(function()
  local x <close> = setmetatable({}, { __close = function() error("close error", 0) end })
  coroutine.yield()
end)
coroutine.resume(closeErr)
print(coroutine.close(closeErr))
-- closing a normal (resuming) coroutine is an error
local parent
parent = coroutine.create(function()
  local child = coroutine.create(function() return coroutine.close(parent) end)
  return coroutine.resume(child)
end)
print(coroutine.resume(parent))

-- errors with tbc: resume reports the error but leaves the variable pending;
-- coroutine.close closes it (passing the error) and returns false plus the error
local tbcErr = coroutine.create(function()
  local x <close> = setmetatable({}, { __close = function(_, err) print("closing with", err) end })
  error("inside", 0)
end)
print(coroutine.resume(tbcErr))
print("status after error", coroutine.status(tbcErr))
print(coroutine.close(tbcErr))
print(coroutine.close(tbcErr))

-- error objects pass through unchanged; non-string errors get no position
local valErr = coroutine.create(function() error(42) end)
print(coroutine.resume(valErr))
local nilErr = coroutine.create(function() error() end)
print(coroutine.resume(nilErr))

-- resume passing values into a coroutine that returns immediately
print(coroutine.resume(coroutine.create(function(...) return select("#", ...), ... end), 1, nil, 3))

-- wrap inside wrap: yields go to the nearest resume
local outerW = coroutine.wrap(function()
  local innerW = coroutine.wrap(function()
    coroutine.yield("inner 1")
    coroutine.yield("inner 2")
  end)
  coroutine.yield(innerW())
  coroutine.yield("outer own")
  coroutine.yield(innerW())
end)
print(outerW(), outerW(), outerW())

-- a coroutine resumed from within itself via wrap is an error
local recursive
recursive = coroutine.wrap(function() return recursive() end)
print(pcall(recursive))

-- stack traces do not matter, but error levels inside coroutines do
local lv = coroutine.create(function()
  local function check(x) if not x then error("bad input", 2) end end
  check(false)
end)
print(coroutine.resume(lv))
