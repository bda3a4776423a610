-- Multiple assignment: evaluation order and adjustment.
local a, b, c = 1, 2
print(a, b, c)
a, b = b, a
print(a, b)
local x, y = 1, 2, 3
print(x, y)

-- all expressions are evaluated before assignment
local i = 1
local t = {}
i, t[i] = i + 1, 20
print(i, t[1], t[2])

-- swapping table fields
local s = { 1, 2, 3 }
s[1], s[3] = s[3], s[1]
print(s[1], s[2], s[3])

-- function results are expanded only at the end
local function mr() return 10, 20, 30 end
local p, q, r, u = mr()
print(p, q, r, u)
p, q, r, u = mr(), 5
print(p, q, r, u)
p, q, r, u = 0, mr()
print(p, q, r, u)
p, q = (mr())
print(p, q)

-- evaluation order of __newindex calls: the reference implementation assigns right to left
local order = {}
local logger = setmetatable({}, { __newindex = function(_, k, v) order[#order + 1] = k .. "=" .. tostring(v) end })
logger.a, logger.b, logger.c = 1, 2, 3
print(table.concat(order, " "))

-- globals
g1, g2 = "G1", "G2"
print(g1, g2, _ENV.g1, _G.g2)
g1 = nil
print(g1, rawget(_G, "g1"))

-- compound targets: nested fields and calls
local obj = { inner = { list = {} } }
local function getInner() return obj.inner end
getInner().list[1], getInner().value = "first", "v"
print(obj.inner.list[1], obj.inner.value)

-- assignment to a local shadowing a global
print_ = print
local print = function(...) print_("[local]", ...) end
print("shadowed")
print = print_
print("restored")

-- attribs: const and close
local K <const> = 42
local S <const> = "str"
print(K, S, K * 2)
print(load("local z <const> = 1; z = 2"))
print(load("local z <foo> = 1"))

-- chained assignment through function arguments
local function set(tbl, k, v) tbl[k] = v; return tbl end
local chained = set(set(set({}, "a", 1), "b", 2), "c", 3)
print(chained.a, chained.b, chained.c)

-- integer/float key normalization on assignment
local nk = {}
nk[1.0] = "one"; nk[2] = "two"; nk[2^53] = "big"
print(nk[1], nk[2.0], nk[2^53 | 0], math.type(next({ [3.0] = true })))

-- assigning nil removes a key; counting with next
local cnt = { a = 1, b = 2 }
cnt.a = nil
local keys = 0
for _ in pairs(cnt) do keys = keys + 1 end
print("keys", keys)

-- errors in assignment targets
print(pcall(function() local z = nil; z.f = 1 end))
print(pcall(function() undefinedGlobal.f = 1 end))
print(pcall(function() local z = {}; z[nil] = 1 end))
print(pcall(function() local z = {}; z[0/0] = 1 end))
print(pcall(function() local z = {}; z.a.b = 1 end))
print(pcall(rawset, {}, nil, 1))

-- multiple assignment with more targets than values at different positions
local m1, m2, m3, m4, m5 = 1, nil, mr()
print(m1, m2, m3, m4, m5)
