-- _ENV: globals are fields of the _ENV upvalue; local _ENV, sandboxes, _G.
print(_ENV == _G, _G._G == _G, _ENV._ENV)

-- global assignment and lookup go through _ENV
gv = 1
print(_ENV.gv, _G.gv, rawget(_ENV, "gv"))

-- a local _ENV changes global resolution in its scope
do
  local _ENV = { print = print, x = "local env x" }
  print(x, y)
  z = "stored in local env"
  print(z, _ENV.z)
end
print(z)

-- functions capture the _ENV in scope where they are defined
local function makeGetter()
  local _ENV = { value = "captured" }
  return function() return value end
end
print(makeGetter()())

-- _ENV as a parameter
local function withEnv(_ENV) return a + b end
print(withEnv({ a = 1, b = 2 }), withEnv({ a = 10, b = 20 }))

-- sandboxing with a metatable falling back to _G
local sandbox = setmetatable({}, { __index = _G })
local chunk = load("newvar = 5; return newvar, type(print)", "sandbox", "t", sandbox)
print(chunk())
print(rawget(sandbox, "newvar"), newvar)

-- tracking global accesses
local reads, writes = {}, {}
local tracked = setmetatable({}, {
  __index = function(_, k) reads[#reads + 1] = k; return _G[k] end,
  __newindex = function(t, k, v) writes[#writes + 1] = k; rawset(t, k, v) end,
})
load("local s = tostring(1) .. tostring(2); result = s; result = result .. '!'; return result", "t", "t", tracked)()
print(table.concat(reads, ","), table.concat(writes, ","), rawget(tracked, "result"))

-- strict mode: error on undefined globals
local strict = setmetatable({}, {
  __index = function(_, k) error("undefined global '" .. tostring(k) .. "'", 2) end,
})
local strictChunk = load("local ok = print ~= nil; return undefinedThing", "=strict", "t", setmetatable({ print = print }, getmetatable(strict)))
print(pcall(strictChunk))

-- assigning to _ENV itself
local function swap()
  local _ENV = _ENV
  local saved = _ENV
  _ENV = { tostring = saved.tostring }
  return tostring(nil) .. "|" .. tostring(print)
end
print(swap())

-- _ENV is an ordinary upvalue: nested functions see changes
local function outer()
  local _ENV = { counter = 0 }
  local function bump() counter = counter + 1; return counter end
  bump(); bump()
  return counter, bump()
end
print(outer())

-- error messages name globals via _ENV
print(pcall(load("return missingGlobal.field")))
print(pcall(load("local _ENV = {}; return missingField.x")))
print(pcall(load("local _ENV = nil; return anything")))
print(pcall(load("local e = {}; local _ENV = e; return q.w")))

-- _G is just a field of the global table
local savedG = _G
_G = nil
print(type(_G), type(savedG.print))
_G = savedG
print(_G == _ENV)

-- setting a global named _ENV does not change resolution
_G._ENV = "not the environment"
print(type(_ENV), rawget(_G, "_ENV"))
_G._ENV = nil

-- globals with keyword-like and unusual names via _ENV indexing
_ENV["with space"] = "ws"
_ENV[1] = "numeric global"
print(_ENV["with space"], _ENV[1])
_ENV["with space"] = nil
_ENV[1] = nil
