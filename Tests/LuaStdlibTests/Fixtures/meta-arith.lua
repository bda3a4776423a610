-- Arithmetic, bitwise, concat, unary and length metamethods.
local V = {}
V.__index = V
local function vec(x, y) return setmetatable({ x = x, y = y }, V) end
local function str(v) if getmetatable(v) == V then return "(" .. v.x .. "," .. v.y .. ")" end return tostring(v) end
local function lift(op)
  return function(a, b)
    local ax, ay = type(a) == "table" and a.x or a, type(a) == "table" and a.y or a
    local bx, by = type(b) == "table" and b.x or b, type(b) == "table" and b.y or b
    return vec(op(ax, bx), op(ay, by))
  end
end
V.__add = lift(function(a, b) return a + b end)
V.__sub = lift(function(a, b) return a - b end)
V.__mul = lift(function(a, b) return a * b end)
V.__div = lift(function(a, b) return a / b end)
V.__mod = lift(function(a, b) return a % b end)
V.__pow = lift(function(a, b) return a ^ b end)
V.__idiv = lift(function(a, b) return a // b end)
V.__band = lift(function(a, b) return a & b end)
V.__bor = lift(function(a, b) return a | b end)
V.__bxor = lift(function(a, b) return a ~ b end)
V.__shl = lift(function(a, b) return a << b end)
V.__shr = lift(function(a, b) return a >> b end)
V.__unm = function(a) return vec(-a.x, -a.y) end
V.__bnot = function(a) return vec(~a.x, ~a.y) end
V.__len = function(a) return a.x * a.x + a.y * a.y end
V.__concat = function(a, b) return str(a) .. "&" .. str(b) end
V.__tostring = function(a) return "vec" .. str(a) end

local a, b = vec(6, 12), vec(4, 5)
print(str(a + b), str(a - b), str(a * b), str(a / b), str(a % b), str(a ^ vec(2, 1)), str(a // b))
print(str(a & b), str(a | b), str(a ~ b), str(a << vec(1, 2)), str(a >> vec(1, 2)))
print(str(-a), str(~a), #a, a .. b, a .. "s", "s" .. a, 1 .. a)
print(str(a + 1), str(1 + a), str(2 * a), str(a * 2.5), str(10 - a))
print(tostring(a), tostring(vec(1.5, -0.0)))

-- which operand's metamethod is used: the first operand that has one
local tagA = setmetatable({}, { __add = function() return "A" end })
local tagB = setmetatable({}, { __add = function() return "B" end })
print(tagA + tagB, tagB + tagA, tagA + 1, 1 + tagB, "x" + tagA)

-- metamethods receive operands in the original order
local order = setmetatable({}, { __sub = function(x, y)
  return (type(x) == "table" and "T" or tostring(x)) .. "-" .. (type(y) == "table" and "T" or tostring(y))
end })
print(order - 1, 1 - order, order - order)

-- unary metamethods receive the operand twice
local un = setmetatable({}, { __unm = function(x, y) return rawequal(x, y) end, __bnot = function(x, y) return rawequal(x, y) end, __len = function(x, y) return rawequal(x, y) end })
print(-un, ~un, #un)

-- bitwise metamethods are tried for floats without integer representation and strings
local bitmt = setmetatable({}, { __bor = function(x, y) return "bor" end, __shl = function() return "shl" end })
print(bitmt | 1.5, 1.5 | bitmt, "a" | bitmt, bitmt << 2)

-- string arithmetic goes through the string metatable
print("10" + 5, "3" * "4", "2" ^ 2, -"3", "7" // 2, "7.5" % 2)

-- numbers win over metamethods
local num = setmetatable({}, { __add = function() return "never" end })
print(1 + 2, pcall(function() return num + nil end))

-- missing metamethods produce errors naming the operation
local plain = setmetatable({}, {})
print(pcall(function() return plain + 1 end))
print(pcall(function() return plain & 1 end))
print(pcall(function() return -plain end))
print(pcall(function() return plain .. "x" end))
print(pcall(function() return #nil end))

-- __concat with numbers on either side and chains
local cc = setmetatable({}, { __concat = function(x, y)
  local function s(v) return type(v) == "table" and "C" or tostring(v) end
  return s(x) .. s(y)
end })
print(1 .. cc, cc .. 2, cc .. cc, "a" .. "b" .. cc .. "c" .. "d")

-- __len results can be any value
print(#setmetatable({}, { __len = function() return nil end }))
print(#setmetatable({}, { __len = function() return 1, 2 end }))

-- metamethods that are callable tables
local callableMeta = setmetatable({}, { __call = function(self, x, y) return "called add" end })
local withCallable = setmetatable({}, { __add = callableMeta })
print(withCallable + 1)

-- integer and float results are preserved from metamethods
local ident = setmetatable({}, { __mul = function() return 3 end, __div = function() return 3.0 end })
print(math.type(ident * 1), math.type(ident / 1))

-- __index is not used to find metamethods
local noInherit = setmetatable({}, { __index = { __add = function() return "inherited" end } })
print(pcall(function() return noInherit + 1 end))

-- metamethods looked up with rawget on the metatable (metatable's own __index ignored)
local mmt = setmetatable({}, { __index = function(_, k) return function() return "via index " .. k end end })
local objm = setmetatable({}, mmt)
print(pcall(function() return objm + 1 end))
