-- __eq, __lt, __le, __call, __tostring, __name, __metatable.
local Num = {}
local function num(v) return setmetatable({ v = v }, Num) end
Num.__eq = function(a, b) return a.v == b.v end
Num.__lt = function(a, b)
  local av = type(a) == "table" and a.v or a
  local bv = type(b) == "table" and b.v or b
  return av < bv
end
Num.__le = function(a, b)
  local av = type(a) == "table" and a.v or a
  local bv = type(b) == "table" and b.v or b
  return av <= bv
end
local one, one2, two = num(1), num(1), num(2)
print(one == one2, one ~= one2, one == two, one < two, two < one, one <= one2, two >= one, one > two)
print(one < 5, 5 < one, 1 <= one, one >= 0)

-- __eq is only called for two tables (or two userdata), never for different types
local called = 0
local E = { __eq = function() called = called + 1; return true end }
local e1, e2 = setmetatable({}, E), setmetatable({}, E)
print(e1 == e2, e1 == 1, e1 == "x", e1 ~= e2, called)
-- the result of __eq is converted to a boolean
local E2 = { __eq = function() return "yes" end, __lt = function() return nil end, __le = function() return 0 end }
local f1, f2 = setmetatable({}, E2), setmetatable({}, E2)
print(f1 == f2, f1 < f2, f1 <= f2, f1 > f2)
-- only one operand needs __eq
local plainT = {}
print(e1 == plainT, plainT == e1)
-- rawequal tables are equal without calling __eq
local before = called
print(e1 == e1, called == before)

-- without __le, a <= b is "not (b < a)" via __lt: LUA_COMPAT_LT_LE, on in the stock 5.4 build (LUA_COMPAT_5_3)
local onlyLt = { __lt = function(a, b) return a.k < b.k end }
local l1, l2 = setmetatable({ k = 1 }, onlyLt), setmetatable({ k = 2 }, onlyLt)
print(l1 < l2, pcall(function() return l1 <= l2 end))

-- __lt between table and number, mixed metatables
local left = setmetatable({}, { __lt = function() return "left" end })
local right = setmetatable({}, { __lt = function() return false end })
print(left < right, right < left, 1 < left, left > 1)

-- __call with arguments and multiple returns
local callable = setmetatable({ name = "obj" }, { __call = function(self, a, b) return self.name, a, b, select("#", a, b) end })
print(callable(1, 2))
print(callable())
print(pcall(callable, "p"))
-- __call chains: a callable whose __call is a callable table
local inner = setmetatable({}, { __call = function(self, x, y) return "inner", type(x), y end })
local outer = setmetatable({}, { __call = inner })
print(pcall(outer, "arg"))

-- calling non-callables
print(pcall(function() local t = {}; t() end))
print(pcall(function() local t = setmetatable({}, { __call = 5 }); t() end))

-- __tostring and __name
local named = setmetatable({}, { __name = "MyType" })
print((tostring(named):gsub("0x%x+", "ADDR")))
local ts = setmetatable({}, { __tostring = function(self) return "custom!" end })
print(tostring(ts), ts)
print(pcall(tostring, setmetatable({}, { __tostring = function() return 42 end })))
print(pcall(tostring, setmetatable({}, { __tostring = function() return nil end })))
print(string.format("%s|%s", ts, 1))
local namedNum = setmetatable({}, { __name = 42 })
print((tostring(namedNum):gsub("0x%x+", "ADDR")))

-- __name in error messages of library functions
print(pcall(string.rep, named))
print(pcall(math.floor, named))

-- __metatable protection
local protected = setmetatable({}, { __metatable = "locked", __index = { x = 1 } })
print(getmetatable(protected), protected.x)
print(pcall(setmetatable, protected, {}))
local falseProtected = setmetatable({}, { __metatable = false })
print(getmetatable(falseProtected), pcall(setmetatable, falseProtected, nil))
print(getmetatable("").__metatable, getmetatable("abc") == getmetatable(""))

-- setmetatable arguments
print(pcall(setmetatable, {}, 5))
print(pcall(setmetatable, 5, {}))
print(pcall(setmetatable, {}))
local t = {}
print(setmetatable(t, nil) == t, getmetatable(t))

-- metatable changes take effect immediately
local dyn = setmetatable({}, {})
print(pcall(function() return dyn + 1 end))
getmetatable(dyn).__add = function() return "now works" end
print(dyn + 1)

-- comparison metamethods with sorting
local items = {}
for _, v in ipairs({ 5, 3, 9, 1, 7 }) do items[#items + 1] = num(v) end
table.sort(items)
local out = {}
for i, it in ipairs(items) do out[i] = it.v end
print(table.concat(out, " "))
table.sort(items, function(a, b) return a > b end)
out = {}
for i, it in ipairs(items) do out[i] = it.v end
print(table.concat(out, " "))
