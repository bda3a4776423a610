-- Varargs, select, table.pack/unpack, result adjustment.
local function count(...) return select("#", ...) end
print(count(), count(nil), count(nil, nil), count(1, nil, 3, nil))

local function args(...)
  local t = table.pack(...)
  local out = {}
  for i = 1, t.n do out[i] = tostring(t[i]) end
  return t.n .. "[" .. table.concat(out, ",") .. "]"
end
print(args(1, 2, 3), args(), args(nil), args(nil, false))

-- select with positive and negative indices
print(select(1, "a", "b", "c"))
print(select(2, "a", "b", "c"))
print(select(3, "a", "b", "c"))
print(select(4, "a", "b", "c"))
print(select(-1, "a", "b", "c"))
print(select(-3, "a", "b", "c"))
print(pcall(select, -4, "a", "b", "c"))
print(pcall(select, 0, "a"))
print(select(2.0, "a", "b"))
print(pcall(select, 1.5, "a"))
print(pcall(select, "x"))

-- ... in the middle of a list is truncated to one value
local function three() return 1, 2, 3 end
print(three(), three())
print((three()))
print(({ three(), three() })[4], #{ three(), three() }, #{ three(), (three()) })
print(args(three(), 10), args(10, three()))

-- varargs in table constructors and calls
local function pass(...) return ... end
print(args(pass(1, nil, 3)))
print(args(pass()))
local function tail(...) return select("#", ...), ... end
print(tail(nil, nil))

-- vararg function with fixed parameters
local function fixed(a, b, ...)
  return a, b, select("#", ...), ...
end
print(fixed(1))
print(fixed(1, 2, 3, 4, 5))

-- ... captured into locals
local function locals(...)
  local a, b, c = ...
  local d = ...
  return a, b, c, d
end
print(locals(9, 8))

-- table.unpack with ranges
local t = { 1, 2, 3, 4, 5 }
print(table.unpack(t))
print(table.unpack(t, 2))
print(table.unpack(t, 2, 3))
print(table.unpack(t, 4, 8))
print(table.unpack(t, 3, 2))
print(table.unpack({}, 1, 3))
print(select("#", table.unpack({}, 1, 0)))
print(pcall(table.unpack, {}, 1, 1e8))
print(table.unpack({ n = 3, "x" }, 1, 3))

-- many values through varargs
local big = {}
for i = 1, 250 do big[i] = i end
local function sum(...)
  local s = 0
  for i = 1, select("#", ...) do s = s + select(i, ...) end
  return s
end
print(sum(table.unpack(big)), count(table.unpack(big)))

-- the main chunk is a vararg function
print("main chunk varargs", select("#", ...))

-- vararg in nested closures must be explicit
local function outer(...)
  local captured = table.pack(...)
  return function() return table.unpack(captured, 1, captured.n) end
end
print(outer(1, nil, 3)())
print(count(outer(nil, nil)()))

-- string.format and print with many arguments
print(string.format(string.rep("%d ", 10), table.unpack(big, 1, 10)))

-- adjustment in return of parenthesised call
local function paren() return (three()) end
print(paren())
local function none() end
print(none(), (none()), count(none()), count((none())))
