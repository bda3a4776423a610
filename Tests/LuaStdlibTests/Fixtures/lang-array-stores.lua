-- Stores into a table's array part: existing slots, empty slots (holes and the slots past
-- the border of a grown array), with and without a metatable, under both collectors.

-- Appends with t[#t + 1] and with a counter, then holes punched and refilled.
local t = {}
for i = 1, 100 do t[#t + 1] = i * 2 end
local u = {}
for i = 1, 100 do u[i] = i end
for i = 10, 90, 10 do u[i] = nil end
for i = 10, 90, 20 do u[i] = -i end
local s = 0
for i = 1, 100 do s = s + (u[i] or 0) end
print("append", #t, t[1], t[100], "holes", s, u[10], u[20], u[30])

-- A preallocated array part (constructor) with holes made by nil.
local p = {1, 2, 3, 4, 5, 6, 7, 8}
p[3] = nil; p[6] = nil
p[3] = "three"
local k = 6
p[k] = "six"
print("prealloc", p[3], p[6], #p)

-- __newindex is called for a hole of the array part, not for a present slot.
local seen = {}
local mt = {__newindex = function(tt, key, v) seen[#seen + 1] = key .. "=" .. tostring(v); rawset(tt, key, v) end}
local m = setmetatable({10, 20, 30, 40}, mt)
m[2] = 21            -- present: plain store
m[3] = nil           -- present: plain store (makes a hole)
m[3] = 33            -- hole: __newindex (SETI)
local j = 4
m[j] = nil
m[j] = 44            -- hole: __newindex (SETTABLE)
m[5] = 50            -- past the end: __newindex
print("newindex", table.concat(seen, " "), m[2], m[3], m[4], m[5])

-- A __newindex table receives the store; the hole stays empty.
local sink = {}
local r = setmetatable({1, 2, 3}, {__newindex = sink})
r[2] = nil
r[2] = "x"
print("newindex table", rawget(r, 2), sink[2])

-- A metatable without __newindex: stores land in the table.
local q = setmetatable({1, 2, 3}, {__index = function() return "dflt" end})
q[2] = nil
print("index only", q[2])
q[2] = "two"
print("index only", q[2], rawget(q, 2))

-- __newindex that refuses (errors) on holes.
local ro = setmetatable({1, 2, 3}, {__newindex = function(_, key) error("read-only " .. key, 2) end})
ro[1] = "ok"
ro[2] = nil
print("read-only", ro[1], pcall(function() ro[2] = "no" end))

-- Weak values in the array part (a metatable with __mode): stores and collection.
local weak = setmetatable({}, {__mode = "v"})
for i = 1, 8 do weak[i] = {i} end
weak[3] = nil
weak[3] = {3}
local keep = weak[5]
collectgarbage()
local alive = 0
for i = 1, 8 do if weak[i] ~= nil then alive = alive + 1 end end
print("weak", alive, keep[1])

-- New objects stored into the array holes of an old table survive minor collections.
for _, mode in ipairs({"generational", "incremental"}) do
  collectgarbage(mode)
  local old = {}
  for i = 1, 64 do old[i] = false end
  collectgarbage(); collectgarbage()     -- old is old now
  for i = 1, 64 do old[i] = nil end
  for round = 1, 4 do
    for i = 1, 64 do old[i] = {round, i, tostring(i)} end
    collectgarbage("step", 0)
    local junk = {}
    for n = 1, 200 do junk[n] = {n} end
  end
  collectgarbage()
  local sum = 0
  for i = 1, 64 do sum = sum + old[i][2] + #old[i][3] end
  print(mode, sum, old[64][1], old[64][3])
end

