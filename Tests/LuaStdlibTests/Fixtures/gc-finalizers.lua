-- Finalizers (__gc) and collectgarbage options, as lua5.4 runs them.
-- Garbage with finalizers is created right before each collectgarbage() so that the
-- output is the same whenever the collector runs.
collectgarbage("incremental")

-- collect runs the pending finalizers before it returns
setmetatable({}, {__gc = function() print("finalized") end}) collectgarbage()
print("after collect")

-- order: reverse of marking for finalization
do
  local log = {}
  local objects = {}
  for i = 1, 5 do objects[i] = setmetatable({}, {__gc = function() log[#log + 1] = i end}) end
  objects = nil collectgarbage()
  print(table.concat(log, " "))
end

-- the object is passed to its finalizer, intact
do
  local got
  setmetatable({name = "obj"}, {__gc = function(o) got = o.name end}) collectgarbage()
  print("finalizer saw", got)
end

-- only a __gc present when setmetatable is called marks the object
do
  local ran = false
  local mt = {}
  local o = setmetatable({}, mt)
  mt.__gc = function() ran = true end
  o = nil
  collectgarbage()
  print("late __gc ran", ran)
end

-- a finalizer that is not a function is ignored
setmetatable({}, {__gc = true}) collectgarbage()
setmetatable({}, {__gc = 42}) collectgarbage()
print("non-function __gc ignored")

-- resurrection: the finalizer stores the object; it runs once
do
  local saved
  setmetatable({v = 7}, {__gc = function(o) saved = o end}) collectgarbage()
  print("resurrected", saved.v)
  saved = nil
  collectgarbage()
  print("collected again without finalizer")
end

-- the collector is not reentrant: collectgarbage inside a finalizer returns fail
do
  local r = {}
  setmetatable({}, {__gc = function()
    r[1] = collectgarbage()
    r[2] = collectgarbage("count")
    r[3] = collectgarbage("step")
    r[4] = collectgarbage("isrunning")
  end})
  collectgarbage()
  print("inside finalizer", r[1], r[2], r[3], r[4], #r)
end

-- an error in a finalizer does not escape into the program
setmetatable({}, {__gc = function() error("boom") end})
print(pcall(collectgarbage))
print("still running")

-- finalizers with weak tables: weak values are cleared before the finalizer runs
do
  local wv = setmetatable({}, {__mode = "v"})
  local seen = "not run"
  wv[1] = {}
  setmetatable({}, {__gc = function() seen = wv[1] end}) collectgarbage()
  print("weak value in finalizer", seen)
end

-- a weak table reachable only from a finalized object is cleared before its finalizer
-- runs; a __gc held only weakly is gone (PUC gc.lua)
do
  local u = setmetatable({}, {__gc = true})
  setmetatable(getmetatable(u), {__mode = "v"})
  getmetatable(u).__gc = function (o) print("cannot happen") end
  u = nil
  collectgarbage()
  local m
  u = setmetatable({}, {__gc = true})
  m = getmetatable(u)
  m.x = {[{0}] = 1; [0] = {1}}; setmetatable(m.x, {__mode = "kv"})
  m.__gc = function (o) print("weak table empty in finalizer", next(getmetatable(o).x) == nil) end
  u, m = nil
  collectgarbage()
end

-- options
print(type(collectgarbage("count")), math.type(collectgarbage("count")))
print(collectgarbage("isrunning"))
print(collectgarbage("stop"), collectgarbage("isrunning"))
print(collectgarbage("restart"), collectgarbage("isrunning"))
print(collectgarbage("generational"), collectgarbage("generational", 20, 100))
print(collectgarbage("incremental", 200, 100, 13), collectgarbage("incremental"))
print(collectgarbage("collect"), collectgarbage())
print(type(collectgarbage("step")), collectgarbage("step", 1000000))
print(pcall(collectgarbage, "nope"))
print(pcall(collectgarbage, "step", "x"))

-- finalizers still pending at the end run when the state closes, newest first
A = setmetatable({}, {__gc = function() print("close: A") end})
B = setmetatable({}, {__gc = function() print("close: B") end})
print("end of program")
