-- debug.getinfo and debug.traceback: fields, names, levels, argument checks.

local function show(t, keys)
  local parts = {}
  for _, k in ipairs(keys) do parts[#parts + 1] = k .. "=" .. tostring(t[k]) end
  print(table.concat(parts, " "))
end

local all = {"source", "short_src", "linedefined", "lastlinedefined", "what", "currentline",
             "nups", "nparams", "isvararg", "name", "namewhat", "istailcall", "ftransfer", "ntransfer"}

local function lines(f)
  local t, out = debug.getinfo(f, "L").activelines, {}
  for k in pairs(t) do out[#out + 1] = k end
  table.sort(out)
  return table.concat(out, ",")
end

-- levels
local function inner(a, b, ...)
  local info = debug.getinfo(1)
  show(info, all)
  print(info.func == inner, info.activelines)
  show(debug.getinfo(2, "nSl"), all)
  show(debug.getinfo(0, "nSlu"), all)
  return info
end
inner(1, 2, 3)
local t = {inner = inner}
t.inner()
t:inner()
_G.globalinner = inner
globalinner()
globalinner = nil

-- functions
show(debug.getinfo(print), all)
show(debug.getinfo(inner, "SuL"), all)
print(lines(inner))
print(lines(function(...) local x = 1
  return x end))
show(debug.getinfo(string.gsub, "Su"), all)
print(debug.getinfo(1, "f").func ~= nil, debug.getinfo(print, "f").func == print)
print(debug.getinfo(1, "").currentline, next(debug.getinfo(1, "")))

-- main chunk and the host level below it
show(debug.getinfo(1, "Sn"), all)
show(debug.getinfo(2, "Slnt"), all)
print(debug.getinfo(3), debug.getinfo(100), debug.getinfo(-1))

-- tail calls
local function tailee() return debug.getinfo(1, "nt"), debug.getinfo(2, "n") end
local function tailer() return tailee() end
local a, b = tailer()
print(a.istailcall, a.name, a.namewhat, b.name, b.namewhat)

-- names given by the calling instruction
local mt = {}
local obj = setmetatable({}, mt)
local function who() local i = debug.getinfo(2, "n") return i.namewhat .. ":" .. tostring(i.name) end
local function named() return who() end
mt.__index = function() local i = debug.getinfo(1, "n") return i.namewhat .. " " .. i.name end
mt.__add = mt.__index
mt.__len = mt.__index
mt.__call = function() local i = debug.getinfo(1, "n") return i.namewhat .. " " .. tostring(i.name) end
mt.__concat = mt.__index
mt.__unm = mt.__index
mt.__lt = function() print(debug.getinfo(1, "n").name) return true end
mt.__le = mt.__lt
mt.__eq = mt.__lt
print(obj.field, obj + 1, #obj, obj(), obj .. "x", -obj)
print(obj < obj, obj <= obj, obj == setmetatable({}, mt))
for _ in function() print(debug.getinfo(1, "n").name) end do end
do
  local up = function() return debug.getinfo(1, "n") end
  local function viaup() return (up()) end
  local i = viaup()
  print(i.name, i.namewhat)
end

-- argument checks
print(pcall(debug.getinfo, 1, ">S"))
print(pcall(debug.getinfo, 1, "Sx"))
print(pcall(debug.getinfo, print, "q"))
print(pcall(debug.getinfo, {}))
print(pcall(debug.getinfo))
print(type(select(2, pcall(debug.getinfo, "1"))))

-- tracebacks
print(debug.traceback())
print(debug.traceback("message"))
print(debug.traceback("message", 2))
print(debug.traceback(42))
print(debug.traceback(nil, 1))
print(type(debug.traceback({})), debug.traceback(true))
local function tb() return debug.traceback("in tail") end
local function calltb() return tb() end
print(calltb())
print(pcall(table.sort, {3, 2, 1}, function(x, y) print(debug.traceback("sort")) error("stop") end))
print(xpcall(function() local x = nil; return x.y end, debug.traceback))
print(xpcall(error, debug.traceback, "raised"))
print(select(2, xpcall(string.rep, debug.traceback)))
local obj2 = {}
function obj2:method() return debug.traceback("method") end
print(obj2:method())
print(string.gsub("x", "x", function() return debug.traceback("gsub", 1) end))
local function recurse(n) if n == 0 then return debug.traceback("deep") end return (recurse(n - 1)) end
print(recurse(30))
print((recurse(20)))

-- coroutines
local co = coroutine.create(function(x)
  local function deeper() coroutine.yield(debug.traceback("inside")) end
  deeper()
  error("dead")
end)
print(coroutine.resume(co, 1))
print(debug.traceback(co))
print(debug.traceback(co, "msg"))
print(debug.traceback(co, "lvl", 1))
show(debug.getinfo(co, 0, "Sln"), all)
show(debug.getinfo(co, 1, "Sln"), all)
print(debug.getinfo(co, 3))
print(coroutine.resume(co))
print(debug.traceback(co))
print(debug.traceback(coroutine.create(print)))
