-- Base library: type, tostring, tonumber with bases, select, rawequal, _VERSION, collectgarbage.
print(type(nil), type(true), type(1), type(1.5), type("s"), type({}), type(print), type(type), type(coroutine.create(print)))
print(pcall(type))
print(_VERSION, type(_G), _G._G == _G, _G.print == print)

-- tostring
print(tostring(nil), tostring(true), tostring(false), tostring(12), tostring(-1.25), tostring("s"))
print((tostring({}):gsub("0x%x+", "ADDR")), (tostring(print):gsub("0x%x+", "ADDR")))
print((tostring(coroutine.create(print)):gsub("0x%x+", "ADDR")))
print((tostring(print):match("^builtin: ") or tostring(print):match("^function: ")) ~= nil)

-- tonumber without base
print(tonumber(10), tonumber(1.5), tonumber("10"), tonumber("  -7  "), tonumber("0x1A"), tonumber("-0x10"))
print(tonumber("1e2"), tonumber(".5"), tonumber("5."), tonumber("0x.1"), tonumber("1e+2"), tonumber("1E-1"))
print(tonumber(""), tonumber(" "), tonumber("abc"), tonumber(nil), tonumber({}), tonumber(true))
print(tonumber("9223372036854775807"), tonumber("9223372036854775808"), tonumber("-9223372036854775809"))
print(tonumber("0x7fffffffffffffff"), tonumber("0xffffffffffffffff"), tonumber("0x1ffffffffffffffff"))
print(pcall(tonumber))

-- tonumber with bases
print(tonumber("ff", 16), tonumber("FF", 16), tonumber("777", 8), tonumber("101", 2), tonumber("z", 36), tonumber("Z", 36))
print(tonumber("10", 10), tonumber("  11  ", 2), tonumber("-ff", 16), tonumber("+7", 8), tonumber("8", 8), tonumber("1.0", 10))
print(tonumber("", 10), tonumber("-", 10), tonumber("1 1", 10), tonumber("0x10", 16), tonumber("zz", 36))
print(tonumber("7fffffffffffffff", 16), tonumber("ffffffffffffffff", 16), tonumber("10000000000000000", 16))
print(math.type(tonumber("10", 36)), tonumber("1e1", 16))
print(pcall(tonumber, "10", 1))
print(pcall(tonumber, "10", 37))
print(pcall(tonumber, 10, 16))
print(pcall(tonumber, "10", 16.5))

-- select
print(select("#"), select("#", nil, nil), select(2, "a", "b", "c"))
print(select(-2, "a", "b", "c"))

-- rawequal, rawlen
print(rawequal(1, 1.0), rawequal("a", "a"), rawequal({}, {}), rawequal(nil, nil), rawequal(0/0, 0/0))
print(rawlen({ 1, 2, 3 }), rawlen("hello"), pcall(rawlen))

-- collectgarbage: only result types are deterministic
print(type(collectgarbage("count")), math.type(collectgarbage("count")))
print(collectgarbage(), collectgarbage("collect"), collectgarbage("step") ~= nil)
print(type(collectgarbage("isrunning")))
print(pcall(collectgarbage, "bogus"))

-- print uses tostring / __tostring and __name
local obj = setmetatable({}, { __tostring = function() return "OBJ" end })
print(obj, nil, false, 0, "")
print()
print("tab\tand\nnewline")

-- getmetatable/setmetatable round trip
local mt = {}
local t = setmetatable({}, mt)
print(getmetatable(t) == mt, setmetatable(t, nil) == t, getmetatable(t))

-- ipairs/pairs argument errors
print(pcall(ipairs))
print(pcall(pairs))
-- pairs(nil) itself succeeds (returns next, nil, nil); the loop fails later
local okp, fp, sp = pcall(pairs, nil)
print(okp, fp == next, sp)
print(pcall(function() for _ in pairs(nil) do end end))
print(pcall(next, nil))

-- pairs returns next, the table, nil when no __pairs
local pn, pt, pk = pairs(t)
print(pn == next, pt == t, pk)
local inext, it, i0 = ipairs(t)
print(type(inext), it == t, i0)
print(inext({ "a", "b" }, 1))
print(inext({ "a", "b" }, 2))

-- unpack order of results with nil holes
print(table.unpack({ 1, nil, 3 }, 1, 3))

-- _G manipulation
_G.newGlobal = "ng"
print(newGlobal)
rawset(_G, "rawGlobal", 5)
print(rawGlobal, rawget(_G, "rawGlobal"))

-- string -> number keys are not normalized
local sk = {}
sk["1"] = "str"; sk[1] = "int"
print(sk["1"], sk[1])

-- tostring(-nan) and integers-as-floats
print(tostring(-(0/0)) == "nan" or tostring(-(0/0)) == "-nan", tostring(2^63), tostring(-2^63))

-- warn exists and is silent when off
print(type(warn), warn("@off"), warn("not shown"))

-- tonumber with one argument of every kind
print(tonumber(nil), tonumber(true), tonumber({}), tonumber("  0x1p4  "), tonumber("1e"), tonumber(""), tonumber("9223372036854775808"), tonumber("-9223372036854775808"), tonumber(" 12 "), tonumber("12a"), tonumber(3), tonumber(3.5), tonumber("inf"), tonumber("0x"), tonumber("\t-0x10\n"))
