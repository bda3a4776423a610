-- coroutine.close and coroutine.wrap errors close pending to-be-closed variables inside the
-- coroutine being closed (PUC's lua_closethread): there it is the running coroutine.
local function func2close(f) return setmetatable({}, { __close = f }) end

-- closing a coroutine from its own __close fails: it is running there
local co
co = coroutine.create(function()
  local x <close> = func2close(function()
    print("inside", coroutine.status(co), coroutine.running() == co, coroutine.isyieldable())
    coroutine.close(co)
  end)
  coroutine.yield(20)
end)
print(coroutine.resume(co))
print(coroutine.close(co))
print(coroutine.status(co), coroutine.close(co))

-- the closer is "normal" while its coroutine's variables are closed
local main = coroutine.running()
co = coroutine.create(function()
  local x <close> = func2close(function() print("main is", coroutine.status(main)) end)
  coroutine.yield()
end)
coroutine.resume(co)
print(coroutine.close(co))

-- a yield inside __close during coroutine.close is refused
co = coroutine.create(function()
  local x <close> = func2close(function() print(pcall(coroutine.yield, 1)) end)
  coroutine.yield()
end)
coroutine.resume(co)
print(coroutine.close(co))

-- errors in __close: the last one wins; every variable is still closed
co = coroutine.create(function()
  local a <close> = func2close(function(_, e) print("a gets", e); error("from a", 0) end)
  local b <close> = func2close(function(_, e) print("b gets", e); error("from b", 0) end)
  local c <close> = func2close(function(_, e) print("c gets", e) end)
  coroutine.yield()
end)
coroutine.resume(co)
print(coroutine.close(co))
print(coroutine.close(co))

-- a coroutine that died of an error: its variables get the error, close reports it once
co = coroutine.create(function()
  local x <close> = func2close(function(_, e) print("closing with", e) end)
  local y = nil
  return y.z
end)
print(coroutine.resume(co))
print(coroutine.close(co))
print(coroutine.close(co))
print(coroutine.status(co))

-- error(nil) still counts as an error
co = coroutine.create(function() error(nil) end)
print(coroutine.resume(co))
print(coroutine.close(co))
print(coroutine.close(co))

-- coroutine.wrap closes the variables of a coroutine that raised
local f = coroutine.wrap(function()
  local x <close> = func2close(function(_, e) print("wrap closing with", e) end)
  error("boom")
end)
print(pcall(f))
print(pcall(f))
f = coroutine.wrap(function()
  local x <close> = func2close(function() error("replaced", 0) end)
  error("boom")
end)
print(pcall(f))

-- a traceback inside such a __close shows only the coroutine's side
co = coroutine.create(function()
  local x <close> = func2close(function() print(debug.traceback("tb")) end)
  coroutine.yield()
end)
coroutine.resume(co)
print(coroutine.close(co))

-- closing a chain of coroutines whose __close closes the previous one
local prev
for i = 1, 5 do
  local p = prev
  prev = coroutine.create(function()
    local x <close> = func2close(function()
      print("close", i)
      if p then assert(coroutine.close(p)) end
    end)
    coroutine.yield()
  end)
  coroutine.resume(prev)
end
print(coroutine.close(prev))
