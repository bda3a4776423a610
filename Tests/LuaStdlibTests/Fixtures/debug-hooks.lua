-- debug.sethook/gethook: call, return, line and count hooks, per thread.

local function describe(event, line)
  local i = debug.getinfo(2, "nSltr")
  return string.format("%s line=%s fn=%s(%s) src=%s cur=%d tail=%s transfer=%d,%d", event, tostring(line),
    tostring(i.name), i.namewhat, i.short_src, i.currentline, tostring(i.istailcall), i.ftransfer, i.ntransfer)
end

local function square(x)
  local y = x * x
  return y
end

print(debug.gethook())
debug.sethook(function(e, l) print(describe(e, l)) end, "crl")
local r = square(3)
local s = square(4) +
  square(5)
debug.sethook()
print(r, s)

-- what gethook reports
local function hook() end
debug.sethook(hook, "cr", 0)
local f, mask, count = debug.gethook()
debug.sethook()
print(f == hook, mask, count)
debug.sethook(hook, "l", 7)
f, mask, count = debug.gethook()
debug.sethook()
print(f == hook, mask, count)
debug.sethook(hook, "", 5)
f, mask, count = debug.gethook()
debug.sethook()
print(f == hook, mask, count, debug.gethook())
debug.sethook(hook, "")
print(debug.gethook())
debug.sethook()

-- count hooks fire while code runs
local counted = 0
debug.sethook(function(e) if e == "count" then counted = counted + 1 end end, "", 1)
for i = 1, 50 do local _ = i * 2 end
debug.sethook()
print("count events", counted > 50)

-- tail calls and C functions
local function leaf() return 1 end
local function middle() return leaf() end
debug.sethook(function(e) local i = debug.getinfo(2, "nSt") print(e, i.name, i.what, i.istailcall) end, "cr")
middle()
local _ = math.max(1, 2)
debug.sethook()

-- a hook does not run inside itself; the hook's own name is "hook"
local depth = 0
debug.sethook(function(e, l)
  depth = depth + 1
  local i = debug.getinfo(1, "n")
  print("in hook", e, l, depth, i.namewhat, i.name)
  square(2)
  depth = depth - 1
end, "l")
local z = 1
debug.sethook()

-- hooks in coroutines are per thread
local co = coroutine.create(function(a)
  local b = a + 1
  coroutine.yield(b)
  return b * 2
end)
debug.sethook(co, function(e, l) print("co hook", e, l) end, "lcr")
print(debug.gethook())
print(coroutine.resume(co, 1))
print("main runs unhooked")
print(coroutine.resume(co))
print(select(2, debug.gethook(co)))

-- the hook can set hooks and read locals of the hooked function
local seen
local function target(p1, p2) local inside = p1 + p2 return inside end
debug.sethook(function(e)
  debug.sethook(function(e2, l)
    local names = {}
    for i = 1, 2 do names[#names + 1] = (debug.getlocal(2, i)) end
    seen = e .. "," .. e2 .. "," .. l .. "," .. table.concat(names, ",")
    debug.sethook()
  end, "l")
end, "c")
target(1, 2)
print(seen)

-- return hooks see the results
debug.sethook(function(e)
  local i = debug.getinfo(2, "nr")
  if i.name == "multi" then
    for k = i.ftransfer, i.ftransfer + i.ntransfer - 1 do print("result", debug.getlocal(2, k)) end
  end
end, "r")
local function multi() local p, q = 10, 20 return p, q, p + q end
print(multi())
debug.sethook()

-- errors in hooks propagate to the hooked code
print(pcall(function()
  debug.sethook(function(e, l) debug.sethook() error("hook failed at " .. l) end, "l")
  local never = 1
end))
print(debug.gethook())

-- argument checks
print(pcall(debug.sethook, print))
print(pcall(debug.sethook, 1, "l"))
print(pcall(debug.sethook, print, "l", "x"))
