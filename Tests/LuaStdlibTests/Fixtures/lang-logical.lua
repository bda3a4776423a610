-- and/or/not: values, short-circuit evaluation, truthiness.
print(nil and 1, false and 1, 0 and 1, "" and 1, 1 and nil)
print(nil or 1, false or nil, 0 or 1, nil or false, false or false)
print(not nil, not false, not 0, not "", not not nil, not {})
print(1 and 2 or 3, nil and 2 or 3, 1 and false or 3, 1 or error("no"))
print(false == nil, nil == nil, not nil == true)

local calls = {}
local function f(name, v)
  calls[#calls + 1] = name
  return v
end
local r = f("a", false) and f("b", true) or f("c", "C")
print(r, table.concat(calls, ","))
calls = {}
r = f("a", 1) or f("b", 2)
print(r, table.concat(calls, ","))
calls = {}
r = f("a", nil) or f("b", false) or f("c", nil)
print(r, table.concat(calls, ","))
calls = {}
r = f("a", 1) and f("b", 2) and f("c", 3)
print(r, table.concat(calls, ","))

-- only the first value of a multi-value call is used
local function multi() return nil, 2 end
print(multi() or "default", (multi()))
local function multi2() return 1, 2 end
print(multi2() and "yes", multi2())

-- in conditions
local function truth(v)
  if v then return "T" else return "F" end
end
print(truth(nil), truth(false), truth(0), truth(0.0), truth(""), truth({}), truth(print), truth(0 / 0))

-- comparison results combined
local a, b = 3, 5
print(a < b and "lt" or "ge", a > b and "gt" or "le", (a == 3) and (b == 5))
print(a < b and nil or "fallthrough")

-- ternary-like idiom over a table
local vals = { 1, false, nil, "x", 0 }
for i = 1, 5 do
  io.write(tostring(vals[i] and "truthy" or "falsy"), " ")
end
print()

-- nested
print((nil or false) and 1 or 2, nil or (false and 1) or 3, not (1 and nil))
print(1 == 1 and 2 == 2, 1 == 2 or 2 == 2, not (1 == 2) and "ok")

-- while with and/or condition
local i, out = 0, {}
while i < 10 and (i % 7 ~= 6 or false) do
  i = i + 1
  out[#out + 1] = i
end
print(table.concat(out, " "))

-- constant folding corner cases
print(true and 1, false or "f", nil and nil, (1 < 2) or error("x"))
local x = nil
print(x and x.field, x == nil or x.field)
local t = { k = { k2 = "deep" } }
print(t and t.k and t.k.k2, t and t.missing and t.missing.k2)

-- not binds tighter than comparison
print(not 1 == nil, not (1 == nil))
