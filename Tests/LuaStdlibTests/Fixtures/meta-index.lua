-- __index / __newindex: tables, functions, chains, rawget/rawset.
local base = { greet = "hello", shared = "base" }
local mid = setmetatable({ shared = "mid" }, { __index = base })
local leaf = setmetatable({}, { __index = mid })
print(leaf.greet, leaf.shared, leaf.missing, rawget(leaf, "greet"))

-- __index function receives the table and key
local log = {}
local lazy = setmetatable({}, { __index = function(t, k)
  log[#log + 1] = tostring(k)
  local v = type(k) == "number" and k * k or k .. "!"
  rawset(t, k, v)
  return v
end })
print(lazy[4], lazy.x, lazy[4], lazy.x, table.concat(log, ","))

-- __newindex table redirects writes
local store = {}
local proxy = setmetatable({}, { __newindex = store, __index = store })
proxy.a = 1
print(rawget(proxy, "a"), store.a, proxy.a)

-- __newindex is only used for absent keys
local writes = {}
local guarded = setmetatable({ existing = 1 }, { __newindex = function(t, k, v)
  writes[#writes + 1] = k .. "=" .. tostring(v)
  rawset(t, k, v)
end })
guarded.existing = 2
guarded.new = 3
guarded.new = 4
print(guarded.existing, guarded.new, table.concat(writes, " "))

-- read-only tables
local function readonly(t)
  return setmetatable({}, {
    __index = t,
    __newindex = function(_, k) error("attempt to modify read-only field " .. tostring(k), 2) end,
    __len = function() return #t end,
  })
end
local ro = readonly({ 1, 2, 3, x = "y" })
print(ro[2], ro.x, #ro)
print(pcall(function() ro.x = 5 end))

-- chains of __newindex tables
local final = {}
local chain = setmetatable({}, { __newindex = setmetatable({}, { __newindex = final }) })
chain.deep = "value"
print(rawget(chain, "deep"), final.deep)

-- default values via __index
local defaults = setmetatable({}, { __index = function() return 0 end })
defaults.a = defaults.a + 5
defaults.b = defaults.b + 1
print(defaults.a, defaults.b, defaults.c)

-- __index on strings: the string library
print(("abc"):upper(), ("x"):rep(3), #getmetatable("").__index.format("%d", 5))
print(getmetatable("").__index == string)

-- indexing non-tables without metatables
print(pcall(function() local n = 5; return n.x end))
print(pcall(function() local b = true; return b.x end))
print(type(("str").len), ("str").len == string.len, ("str").nonexistent)

-- rawset / rawget / rawequal / rawlen bypass metamethods
local mt = { __index = function() return "meta" end, __newindex = function() error("no") end, __eq = function() return true end, __len = function() return 99 end }
local r1 = setmetatable({}, mt)
local r2 = setmetatable({}, mt)
rawset(r1, "k", "raw")
print(r1.k, r1.other, rawget(r1, "other"), r1 == r2, rawequal(r1, r2), #r1, rawlen(r1))
print(rawset(r1, 1, "x") == r1, rawlen(r1))
print(pcall(rawget, "str", 1))
print(pcall(rawset, {}, 0/0, 1))

-- __index depth: a long chain of tables
local top = { answer = 42 }
local cur = top
for _ = 1, 50 do cur = setmetatable({}, { __index = cur }) end
print(cur.answer)

-- __index function errors propagate with the right message
local bad = setmetatable({}, { __index = function(_, k) error("no field " .. k) end })
print(pcall(function() return bad.zzz end))

-- class-style inheritance
local Animal = {}
Animal.__index = Animal
function Animal.new(name, sound) return setmetatable({ name = name, sound = sound }, Animal) end
function Animal:speak() return self.name .. " says " .. self.sound end
function Animal:kind() return "animal" end
local Dog = setmetatable({}, { __index = Animal })
Dog.__index = Dog
function Dog.new(name) local d = Animal.new(name, "woof"); return setmetatable(d, Dog) end
function Dog:kind() return "dog, an " .. Animal.kind(self) end
local d = Dog.new("rex")
print(d:speak(), d:kind(), getmetatable(d) == Dog, rawget(Dog, "speak"))

-- __index/__newindex on global environment via _ENV
local env = setmetatable({}, { __index = _G })
local chunk = load("x = 10; return x + (y or 1), print ~= nil", "env", "t", env)
print(chunk())
print(rawget(env, "x"), x)

-- metatables of primitive types are shared per type
print(getmetatable(1), getmetatable(true), getmetatable(nil), getmetatable(print))

-- where a chain of tables turns into something else: a function deep in the chain gets the
-- table whose metatable holds it; a string takes the string metatable's __index
local seen
local inner = setmetatable({}, { __index = function(t, k) seen = t; return k .. "?" end })
local outer = setmetatable({}, { __index = setmetatable({}, { __index = inner }) })
print(outer.name, seen == inner, outer.name2, seen == inner)
local viaString = setmetatable({}, { __index = setmetatable({}, { __index = "text" }) })
print(viaString.len == string.len, viaString.upper("x"), viaString.nothing)
-- other keys through a chain, and absent keys of tables without metatables
local long = string.rep("k", 60)
local arr = setmetatable({}, { __index = setmetatable({ 10, 20, [2.5] = "f", [long] = "long", [true] = "t" }, { __index = {} }) })
print(arr[2], arr[3], arr[2.5], arr[long], arr[true], arr[false], ({})[1], ({})[long], ({}).x)
-- a loop of __index tables ends with an error, for short and other keys
local loop = {}
setmetatable(loop, { __index = loop })
print(pcall(function() return loop.x end))
print(pcall(function() return loop[1] end))
local a, b = {}, {}
setmetatable(a, { __index = b }); setmetatable(b, { __index = a })
print(pcall(function() return a.missing end))
-- a chain exactly as long as the limit minus one still answers
local last = { deep = "yes" }
for _ = 1, 1999 do last = setmetatable({}, { __index = last }) end
print(last.deep, pcall(function() return setmetatable({}, { __index = last }).deep end))
