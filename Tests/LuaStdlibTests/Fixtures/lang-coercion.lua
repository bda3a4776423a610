-- String <-> number coercions in arithmetic and concatenation.
local function show(v) print(v, math.type(v), type(v)) end
show("10" + 1)
show("10" + 1.0)
show("10.0" + 1)
show("0x10" + 0)
show("1e1" * 1)
show(" 5 " * "2")
show("-3" // 2)
show("7" % "4")
show("2" ^ "3")
show(-"2")
show(-"2.5")
show("10" / "4")
show("9007199254740993" + 0)
show("9223372036854775807" + 0)
show("9223372036854775808" + 0)
show("-9223372036854775808" + 0)

local function try(f)
  local ok, err = pcall(f)
  print(ok, err)
end
try(function() return "abc" + 1 end)
try(function() return "" + 1 end)
try(function() return "1a" * 2 end)
try(function() return {} + 1 end)
try(function() local s = "x"; return -s end)
try(function() return "10" + nil end)
try(function() return true + 1 end)
try(function() local t = {}; return t.x .. "a" end)

-- concatenation converts numbers, not the other way round
print(1 .. 2, 1.5 .. "", -0.0 .. "|", 10 // 1 .. "", 2^63 .. "")
print(type(1 .. 2), #(123 .. 456))
try(function() return "a" .. true end)
try(function() return "a" .. nil end)
try(function() return {} .. "a" end)
try(function() return print .. "a" end)

-- tonumber vs arithmetic coercion
print(tonumber("10"), tonumber("10.5"), tonumber("  0x1F  "), tonumber("1 0"), tonumber(""))
print(tonumber("1e"), tonumber("0x1p"), tonumber("--1"), tonumber("+1"), tonumber("+-1"))
print(tonumber(" \t\n10\n"), tonumber("10\0"), tonumber("0b101"), tonumber("1_000"))

-- comparisons never coerce
try(function() return "10" < 9 end)
print("10" == 10, "10" ~= 10)

-- numeric for accepts numeric strings; a string init or step makes the loop a float loop
for i = "1", 2 do io.write(tostring(i), ":", math.type(i), " ") end
for i = 1, "2.5" do io.write(tostring(i), ":", math.type(i), " ") end
for i = 1, 2, "1" do io.write(tostring(i), ":", math.type(i), " ") end
print()
try(function() for i = "x", 2 do end end)

-- string arithmetic keeps integer subtype where possible
local a = "3"
local b = "4"
show(a + b)
show(a * b)
show(a / b)
show(a // b)
show(a - b)

-- string methods on numbers need explicit conversion
print(("5"):rep(3), (tostring(5)):rep(2))
try(function() return (5):rep(2) end)

-- math functions accept numeric strings
print(math.floor("3.7"), math.abs("-4"), string.rep("ab", "3"), math.max("3"), math.type(math.max("3")))
-- math.max checks its arguments are numbers but compares the original values
try(function() return math.max("3", 2) end)
try(function() return math.floor("x") end)
print(string.sub(12345, 2, 3), string.len(100), string.upper(1.5))
