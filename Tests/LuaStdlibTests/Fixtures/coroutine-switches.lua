-- Coroutine switches made directly by the VM (resume, yield and wrap called from Lua):
-- result counts, errors, tracebacks, hooks, large value lists and GC during switches.

local function show(...)
  local t = table.pack(...)
  for i = 1, t.n do t[i] = tostring(t[i]) end
  print(t.n, table.concat(t, " "))
end

-- results adjusted to what the call site wants
local co = coroutine.create(function(a, b)
  local x, y = coroutine.yield(a + b, a - b, a * b)
  local z = coroutine.yield(x .. y)
  return z, "done", nil
end)
local ok, s = coroutine.resume(co, 5, 3)       -- fewer wanted than yielded
print(ok, s)
show(coroutine.resume(co, "p", "q"))           -- all results (open call)
local r1, r2, r3, r4, r5 = coroutine.resume(co, 42)  -- more wanted than returned
print(r1, r2, r3, r4, r5)
show(coroutine.resume(co))                      -- dead
print(coroutine.status(co))

-- resume in table constructors, as arguments, in returns
local gen = coroutine.create(function(...)
  local args = {...}
  while true do args = {coroutine.yield(#args, table.unpack(args))} end
end)
local t = {coroutine.resume(gen, 1, 2, 3)}
print(#t, t[1], t[2], t[5])
print(select("#", coroutine.resume(gen)))
local function passthrough(...) return coroutine.resume(gen, ...) end
show(passthrough("a", nil, "c"))

-- wrap: values, errors with positions, generic for
local w = coroutine.wrap(function(...)
  local n = select("#", ...)
  for i = 1, 3 do coroutine.yield(i, n) end
  error("wrapped failure")
end)
print(w(1, 2, 3))
print(w())
print(w())
print(pcall(w))
print(pcall(w))
local sum = 0
for v in coroutine.wrap(function() for i = 1, 10 do coroutine.yield(i) end end) do sum = sum + v end
print("sum", sum)
local werr = coroutine.wrap(function() error({code = 7}) end)
local okw, ew = pcall(werr)
print(okw, type(ew), ew.code)

-- errors inside the coroutine, and errors resuming
local bad = coroutine.create(function() local x = nil; return x.field end)
print(coroutine.resume(bad))
print(coroutine.resume(bad))
print(pcall(coroutine.resume, 42))
print(pcall(coroutine.resume))
print(select("#", coroutine.resume(coroutine.create(function() end))))

-- yield outside a coroutine and across a host call
print(pcall(coroutine.yield, 1))
local across = coroutine.create(function()
  return table.sort({3, 2, 1}, function(a, b) coroutine.yield() return a < b end)
end)
print(coroutine.resume(across))
-- yield across pcall inside a coroutine is fine
local inpcall = coroutine.create(function()
  local okp, v = pcall(function() return coroutine.yield("in pcall") + 1 end)
  return okp, v
end)
print(coroutine.resume(inpcall))
print(coroutine.resume(inpcall, 41))

-- a resumer is "normal" while the coroutine runs; running/isyieldable inside
local outer
outer = coroutine.create(function()
  local inner = coroutine.create(function()
    print("outer is", coroutine.status(outer), coroutine.isyieldable())
    coroutine.yield()
  end)
  coroutine.resume(inner)
  print("inner is", coroutine.status(inner))
  coroutine.yield(coroutine.running() == outer)
end)
print(coroutine.resume(outer))
print(coroutine.resume(outer))

-- traceback of a suspended coroutine and of the resumer while the coroutine runs
local tb = coroutine.create(function() local function deep() coroutine.yield() end deep() end)
coroutine.resume(tb)
print(debug.traceback(tb))
local main = coroutine.running()
local seen
local peek = coroutine.wrap(function() seen = debug.traceback(main, "main:") end)
peek()
print((seen:gsub("\n[^\n]*%[C%]: in %?", "")))

-- many values both ways (the stack grows during the switch)
local many = coroutine.create(function(...)
  local n = select("#", ...)
  local got = {coroutine.yield(table.unpack({...}, 1, n))}
  return #got, got[1], got[#got]
end)
local big = {}
for i = 1, 300 do big[i] = i end
local res = {coroutine.resume(many, table.unpack(big))}
print(#res, res[2], res[301])
local bigger = {}
for i = 1, 5000 do bigger[i] = -i end
print(coroutine.resume(many, table.unpack(bigger)))

-- deep chains of resumes
local function chain(n)
  if n == 0 then return coroutine.yield("bottom") end
  local c = coroutine.create(chain)
  local _, v = coroutine.resume(c, n - 1)
  return v
end
local top = coroutine.create(chain)
print(coroutine.resume(top, 150))
local function tooDeep(n)
  local c = coroutine.create(tooDeep)
  local okd, e = coroutine.resume(c, n + 1)
  if not okd then return e end
  return e
end
print(tooDeep(0))

-- hooks switched on inside a coroutine see the resume and yield calls
local events = {}
local hooked = coroutine.create(function()
  debug.sethook(function(ev) events[#events + 1] = ev end, "cr")
  coroutine.yield(1)
  debug.sethook()
  return 2
end)
print(coroutine.resume(hooked))
print(coroutine.resume(hooked))
print(#events > 0, events[1])

-- a collection in the middle of many switches keeps every value alive
local keep = coroutine.wrap(function()
  local acc = {}
  for i = 1, 200 do
    acc[#acc + 1] = {i}
    if i % 50 == 0 then collectgarbage() end
    coroutine.yield(#acc)
  end
  return acc
end)
local last
for _ = 1, 201 do last = keep() end
print(type(last), #last, last[200][1])
