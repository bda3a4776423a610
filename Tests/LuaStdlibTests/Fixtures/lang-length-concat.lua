-- The length operator (borders) and concatenation.
print(#"", #"abc", #"a\0b", #"\u{10FFFF}", #[[
x]])
print(#{}, #{1, 2, 3}, #{n = 1}, #{1, 2, 3, nil}, #{nil})

-- sequences built in different ways
local t = {}
for i = 1, 100 do t[i] = i end
print(#t)
t[#t] = nil
print(#t)
t[#t + 1] = "x"
print(#t, t[#t])
for i = 1, 50 do t[i] = nil end
-- 100 is still a border when 51..100 are non-nil, and 0 is also a border;
-- the reference implementation answers 100 here because the array part is kept
local b = #t
print(b == 100 or b == 0)

local u = {}
u[1] = 1; u[2] = 2; u[4] = 4
local n = #u
print(n == 2 or n == 4)

local seq = { 10, 20, 30 }
table.insert(seq, 40)
print(#seq, seq[#seq])
table.remove(seq, 1)
print(#seq, seq[1], seq[#seq])

-- length of a table constructor with trailing varargs
local function pack(...) return { ... } end
local holes = #pack(nil, nil, 3)
print(#pack(1, 2, 3), #pack(), holes == 3 or holes == 0)
print(select("#", pack(1, 2)), #pack(table.unpack({ 1, 2, 3, 4, 5 })))

-- hash-only sequences
local h = {}
h[3] = "c"; h[2] = "b"; h[1] = "a"
print(#h, table.concat(h, ","))

-- __len metamethod
local mt = { __len = function(self) return 42 end }
local p = setmetatable({}, mt)
print(#p, rawlen(p), rawlen({ 1, 2 }), rawlen("abcd"))
local mt2 = { __len = function() return "not a number" end }
print(#setmetatable({}, mt2))
print(pcall(rawlen, 5))

-- length errors name the variable
print(pcall(function() local z; return #z end))
print(pcall(function() return #nothing end))
print(pcall(function() local t = {}; return #t.field end))
print(pcall(function() return #5 end))

-- concatenation
print("a" .. "b" .. "c", "x" .. 1 .. 2.0, 1 .. "")
local parts = {}
for i = 1, 10 do parts[#parts + 1] = i end
print(table.concat(parts), table.concat(parts, "-"), table.concat(parts, ", ", 3, 6))
local s = ""
for i = 1, 5 do s = s .. i .. (i < 5 and "+" or "=") end
print(s .. 15)

-- concatenation is right associative: __concat sees the partially built right side
local cmt = {}
cmt.__concat = function(a, b)
  local as = type(a) == "table" and "T" .. a.id or tostring(a)
  local bs = type(b) == "table" and "T" .. b.id or tostring(b)
  return "(" .. as .. "|" .. bs .. ")"
end
local x1 = setmetatable({ id = 1 }, cmt)
local x2 = setmetatable({ id = 2 }, cmt)
print("a" .. x1 .. "b" .. "c")
print(x1 .. x2, x1 .. 3, 3 .. x1, "s" .. x1 .. x2 .. "e")

-- long concatenations
local long = string.rep("ab", 1000)
print(#long, #(long .. long), long:sub(1, 6))
print(#("" .. "" .. ""), ("x"):rep(3, "-") .. "!")

-- Concatenations of numbers and strings around the length where a join is built on the
-- stack (each number counts 48 bytes toward it): every float form, integer extremes.
for _, v in ipairs{ 0, -0.0, 1/0, -1/0, 2^53, 2^63, -2^63, math.maxinteger, math.mininteger,
    1e100, -1e-300, 0.1, 1/3, 100, 3.0, -7 } do
  io.write(v .. "|" .. -v .. "|", v .. "", " ")
end
print()
local nan = 0/0
print(#(nan .. ""), ("x" .. 1 .. 2.5 .. "y" .. -3 .. 4e20))
for _, n in ipairs{ 0, 1, 100, 159, 160, 161, 200, 207, 208, 209, 255, 256, 257, 300 } do
  local s = ("s"):rep(n)
  local a = s .. 12345 .. 0.5
  local b = 1 .. 2 .. 3 .. 4 .. 5 .. s
  local c = s .. s .. math.mininteger
  print(n, #a, #b, #c, a:sub(-9), b:sub(1, 6), c:sub(-20))
end
local parts = {}
for i = 1, 8 do parts[i] = 1.5 * i end
print(parts[1] .. parts[2] .. parts[3] .. parts[4] .. parts[5] .. parts[6] .. parts[7] .. parts[8])
