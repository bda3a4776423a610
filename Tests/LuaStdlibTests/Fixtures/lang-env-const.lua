-- `_ENV` as a compile-time constant (`local _ENV <const> = ...`): globals index that value.
local function set()
  local _ENV <const> = 11
  X = "hi"
end
print(pcall(set))

local function get()
  local _ENV <const> = 11
  return X
end
print(pcall(get))

local function strings()
  local _ENV <const> = "abc"
  return rep("ab", 2), upper("x")
end
print(pcall(strings))

local function nilenv()
  local _ENV <const> = nil
  return Y
end
print(pcall(nilenv))

-- a table constant is a <const> local, not a compile-time constant
local function tbl()
  local _ENV <const> = { print = print, x = 42 }
  print(x, y)
  z = 7
  return _ENV.z
end
print(tbl())

-- nested functions reach it as an upvalue
local function outer()
  local _ENV <const> = { v = "upvalue" }
  return function() return v end
end
print(outer()())

local function outerconst()
  local _ENV <const> = 3.5
  return function() return W end
end
print(pcall(outerconst()))

-- a <const> _ENV after other locals and inside a block
do
  local print, pcall = print, pcall
  local a, b = 1, 2
  local _ENV <const> = true
  print(pcall(function() return Q end))
  local ok, msg = pcall(function() R = a + b end)
  print(ok, msg)
end
