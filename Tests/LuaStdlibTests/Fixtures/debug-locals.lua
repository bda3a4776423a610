-- debug.getlocal/setlocal, upvalues, metatables of any type, registry, user values.

local function locals(level)
  local out = {}
  for i = 1, 20 do
    local name, value = debug.getlocal(level + 1, i)
    if not name or name:sub(1, 1) == "(" then break end
    out[#out + 1] = name .. "=" .. tostring(value)
  end
  return table.concat(out, " ")
end

local function varargs(level)
  local out = {}
  for i = -1, -10, -1 do
    local name, value = debug.getlocal(level + 1, i)
    if not name then break end
    out[#out + 1] = name .. "=" .. tostring(value)
  end
  return table.concat(out, " ")
end

local function f(a, b, ...)
  local x = a + b
  do local inner = "scoped"; print(locals(1)) end
  print(locals(1))
  print(varargs(1))
  print(debug.setlocal(1, 3, 100), x)
  print(debug.setlocal(1, -1, "changed"), ...)
  print(debug.setlocal(1, 50, 0), debug.setlocal(1, -10, 0))
  print(debug.getlocal(1, 0), debug.getlocal(1, -10))
  return x
end
print(f(1, 2, "va1", "va2"))
print(f(3, 4))

-- parameter names of a function that is not running
print(debug.getlocal(f, 1), debug.getlocal(f, 2), debug.getlocal(f, 3), debug.getlocal(print, 1))
print(debug.getlocal(function(p, q, ...) local r end, 2))

-- C temporaries: the arguments of getlocal itself
print(debug.getlocal(0, 1))
print(debug.getlocal(0, 2))
print(debug.getlocal(0, 3))

-- a caller's locals
local function callee() return locals(2) end
local function caller(p) local q = p * 2; return callee() end
print(caller(21))

-- in other threads
local co = coroutine.create(function(n)
  local m = n + 1
  coroutine.yield()
  return m
end)
coroutine.resume(co, 10)
print(debug.getlocal(co, 1, 1), debug.getlocal(co, 1, 2))
print(debug.setlocal(co, 1, 2, 99))
print(coroutine.resume(co))

-- argument checks
print(pcall(debug.getlocal, 50, 1))
print(pcall(debug.getlocal, 1))
print(pcall(debug.setlocal, 50, 1, 1))
print(pcall(debug.setlocal, 1, 1))
print(pcall(debug.getlocal, co, 5, 1))

-- upvalues
local u1, u2 = "one", "two"
local function g() return u1 .. u2 end
local function h() return u2 end
print(debug.getupvalue(g, 1))
print(debug.getupvalue(g, 2))
print(debug.getupvalue(g, 3), select("#", debug.getupvalue(g, 3)))
print(debug.setupvalue(g, 1, "ONE"), u1, g())
print(select("#", debug.setupvalue(g, 9, 0)))
print(debug.getupvalue(string.gmatch("a", "a"), 1))
print(debug.upvalueid(g, 2) == debug.upvalueid(h, 1), debug.upvalueid(g, 1) == debug.upvalueid(h, 1))
print(debug.upvalueid(g, 3), debug.upvalueid(string.gmatch("a", "a"), 1) ~= nil)
debug.upvaluejoin(g, 1, h, 1)
print(g(), debug.upvalueid(g, 1) == debug.upvalueid(h, 1))
u2 = "TWO"
print(g(), h())
print(pcall(debug.upvaluejoin, g, 3, h, 1))
print(pcall(debug.upvaluejoin, g, 1, h, 2))
print(pcall(debug.upvaluejoin, print, 1, h, 1))
print(pcall(debug.upvaluejoin, g, 1, string.gmatch("a", "a"), 1))
print(pcall(debug.getupvalue, {}, 1))
print(pcall(debug.setupvalue, g, 1))
print(pcall(debug.upvalueid, g))

-- metatables, ignoring __metatable
local protected = setmetatable({}, {__metatable = "locked", tag = "real"})
print(getmetatable(protected), debug.getmetatable(protected).tag)
print(debug.getmetatable("s").__index == string, debug.getmetatable(1), debug.getmetatable(nil))
print(debug.setmetatable(7, {__index = {double = function(n) return n * 2 end}}))
print((21):double(), (1.5):double())
print(debug.setmetatable(7, nil), pcall(function() return (1):double() end))
debug.setmetatable(nil, {__index = function() return "from nil" end})
print((nil).anything)
debug.setmetatable(nil, nil)
debug.setmetatable(true, {__len = function() return 99 end})
print(#true, #false)
debug.setmetatable(true, nil)
local fmt = debug.setmetatable(print, {__index = {kind = "function"}})
print(fmt == print, print.kind, (function() end).kind)
debug.setmetatable(print, nil)
print(debug.setmetatable(protected, nil) == protected, getmetatable(protected))
print(pcall(debug.setmetatable, {}, 1))
print(pcall(debug.setmetatable, {}))
print(pcall(debug.getmetatable))

-- registry, user values, C stack limit
local reg = debug.getregistry()
print(type(reg), reg == debug.getregistry(), type(reg._LOADED), reg._LOADED.string == string)
print(debug.getuservalue(1), debug.getuservalue({}), debug.getuservalue(nil, 2))
print(debug.getuservalue(io.stdout), debug.getuservalue(io.stdout, 2))
print(debug.setuservalue(io.stdout, 1))
print(pcall(debug.setuservalue, {}, 1))
print(pcall(debug.setuservalue, io.stdout))
print(debug.setcstacklimit(1000), pcall(debug.setcstacklimit))
