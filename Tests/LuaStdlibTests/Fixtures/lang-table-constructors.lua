-- Table constructors and SETLIST: the array part sized at once from a multi-value tail,
-- keys already in the hash part, borders, traversal order and later growth.
local function f(...) return ... end
local function keys(t)
  local out = {}
  for k, v in pairs(t) do out[#out + 1] = tostring(k) .. "=" .. tostring(v) end
  return table.concat(out, " ")
end

local t = {[2] = "x", f(1, 2, 3)}
print(#t, t[1], t[2], t[3], keys(t))
local u = {f()}
print(#u, next(u))
local v = {1, 2, f(nil, nil, 5)}
print(#v, v[5], keys(v))
local w = {n = 1, f(1, 2)}
w[3] = 3
print(#w, keys(w))
print(keys({1, 2, [10] = 3, f(4, 5)}))
print(keys({f(1), f(2), f(3, 4)}))

-- constructors with 1..20 items then growth by appends and removals
for n = 0, 20 do
  local items = {}
  for i = 1, n do items[i] = i * 10 end
  local a = {table.unpack(items)}
  local b = {0, table.unpack(items)}
  local lens = #a .. "/" .. #b
  for i = 1, 5 do a[#a + 1] = -i end
  b[#b] = nil
  a[2] = nil
  io.write(n, ":", lens, ":", #b, ":", keys(a), "\n")
end

-- two-element nodes (the binary_trees shape) and traversal with assignment to existing fields
local function make(d) if d == 0 then return {false, false} end return {make(d - 1), make(d - 1)} end
local function count(n) if not n[1] then return 1 end return 1 + count(n[1]) + count(n[2]) end
print(count(make(8)))
local r = {f(1, 2, 3, 4, 5, 6, 7, 8)}
for k in pairs(r) do r[k] = k * 2 end
print(keys(r))
local s = {f(1, 2)}
for i = 3, 40 do s[i] = i end
for i = 1, 40, 3 do s[i] = nil end
print(#s == 40 or #s % 3 ~= 1, keys(s))
s.x, s.y = "x", "y"
for k = 1, 40 do s[k] = nil end
print(next(s) ~= nil, #s)

-- large lists (more than one SETLIST batch) and a tail call in the middle
local big = {f(table.unpack(items or {}, 1, 0))}
local many = {}
for i = 1, 120 do many[i] = i end
local c = {table.unpack(many)}
local d = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25,
  26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50,
  51, 52, 53, 54, 55, f(56, 57, 58)}
print(#big, #c, c[120], #d, d[58])

-- weak tables built by constructors
local weak = setmetatable({{}, {}, f({}, {})}, {__mode = "v"})
collectgarbage()
collectgarbage()
print(#weak == 0 or next(weak) == nil)
