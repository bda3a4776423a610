-- Generic for: stateless and stateful iterators, the closing value, ipairs/pairs.
-- stateless iterator
local function iter(t, i)
  i = i + 1
  local v = t[i]
  if v ~= nil then return i, v end
end
local function myipairs(t) return iter, t, 0 end
for i, v in myipairs({ "a", "b", "c" }) do io.write(i, "=", v, " ") end
print()

-- stateful iterator (closure)
local function range(n, step)
  local i = 0
  return function()
    i = i + (step or 1)
    if i <= n then return i end
  end
end
local got = {}
for v in range(10, 3) do got[#got + 1] = v end
print(table.concat(got, ","))

-- iterator returning many values; extra variables get nil
for a, b, c, d in function(_, k) if not k then return 1, 2, 3 end end do
  print(a, b, c, d)
end

-- the control variable is the first value; loop ends when it is nil (false does not end it)
local seq = { false, false, nil }
local k = 0
for v in function() k = k + 1; if k <= 2 then return false, k end end do
  io.write(tostring(v), " ")
end
print("| iterations", k)

-- the fourth value is closed when the loop ends (normally, break, error)
local function closer(name)
  return setmetatable({}, { __close = function(_, err) print("closing " .. name, err) end })
end
local function counted(n, name)
  local i = 0
  return function()
    i = i + 1
    if i <= n then return i end
  end, nil, nil, closer(name)
end
for i in counted(2, "normal") do io.write("i=", i, " ") end
print()
for i in counted(5, "break") do
  if i == 2 then break end
  io.write("i=", i, " ")
end
print()
print(pcall(function()
  for i in counted(5, "error") do
    if i == 3 then error("boom at " .. i, 0) end
  end
end))
local function ret()
  for i in counted(5, "return") do
    if i == 2 then return "returned " .. i end
  end
end
print(ret())

-- a non-closable fourth value is an error
print(pcall(function()
  for _ in function() end, nil, nil, 42 do end
end))
-- nil and false fourth values are fine
for _ in function() end, nil, nil, false do end
print("false closing value ok")

-- ipairs stops at the first nil
local holes = { 1, 2, nil, 4 }
local n = 0
for _ in ipairs(holes) do n = n + 1 end
print("ipairs count", n)

-- ipairs respects __index
local proxy = setmetatable({}, { __index = function(_, i) if i <= 3 then return i * 100 end end })
for i, v in ipairs(proxy) do io.write(i, ":", v, " ") end
print()

-- pairs with sorted output
local t = { x = 1, y = 2, z = 3, 10, 20, [3.5] = "f" }
local keys = {}
for key in pairs(t) do keys[#keys + 1] = tostring(key) end
table.sort(keys)
print(table.concat(keys, " "))

-- next directly
print(next({}), next({ 7 }), type(next))
local one = { only = true }
local k1, v1 = next(one)
print(k1, v1, next(one, k1))
print(pcall(next, {}, "nokey"))

-- __pairs metamethod
local mp = setmetatable({}, { __pairs = function(self)
  return function(_, k) if not k then return "first", 1 elseif k == "first" then return "second", 2 end end, self, nil
end })
for kk, vv in pairs(mp) do io.write(kk, "=", vv, " ") end
print()

-- modifying existing fields during traversal is allowed; clearing is allowed
local m = { a = 1, b = 2, c = 3, d = 4 }
for key in pairs(m) do m[key] = nil end
print(next(m))

-- iterating a string with gmatch in a for
local words = {}
for w in ("the quick brown fox"):gmatch("%a+") do words[#words + 1] = w:upper() end
print(table.concat(words, "_"))

-- nested generic loops with shared upvalue
local grid = {}
for i, row in ipairs({ { 1, 2 }, { 3, 4 } }) do
  for j, v in ipairs(row) do grid[#grid + 1] = i .. j .. ":" .. v end
end
print(table.concat(grid, " "))

-- the iterator function may be a callable table
local callable = setmetatable({}, { __call = function(self, s, c)
  if c < 3 then return c + 1 end
end })
for v in callable, nil, 0 do io.write(v, " ") end
print()
