-- table functions through __index / __newindex / __len (lua_geti / lua_seti / luaL_len)
local log = {}
local function L(...) local p = {} for i = 1, select('#', ...) do p[#p + 1] = tostring((select(i, ...))) end log[#log + 1] = table.concat(p, " ") end
local function flush() print(table.concat(log, "; ")) log = {} end
local function E(f, ...) print(pcall(f, ...)) end

local function proxy(n)
  local store = {}
  for i = 1, n do store[i] = i * 10 end
  local t = setmetatable({}, {
    __index = function(_, k) L("get", k) return store[k] end,
    __newindex = function(_, k, v) L("set", k, v) store[k] = v end,
    __len = function() L("len") return n end,
  })
  return t, store
end

local t, s = proxy(3)
table.insert(t, 40); flush()
print(s[4])
t, s = proxy(3)
table.insert(t, 1, 5); flush()
print(s[1], s[2], s[3], s[4])
t, s = proxy(3)
print(table.remove(t)); flush()
t, s = proxy(3)
print(table.remove(t, 1)); flush()
t = proxy(4)
print(table.concat(t, ",")); flush()
t = proxy(3)
print(table.unpack(t)); flush()
t = proxy(3)
print(table.unpack(t, 2, 3)); flush()
t, s = proxy(4)
table.move(t, 1, 3, 2); flush()
print(s[1], s[2], s[3], s[4])
t, s = proxy(4)
local d, ds = proxy(0)
table.move(t, 2, 4, 1, d); flush()
print(ds[1], ds[2], ds[3])
t, s = proxy(5)
s[1], s[2], s[3], s[4], s[5] = 5, 3, 1, 4, 2
table.sort(t); flush()
print(s[1], s[2], s[3], s[4], s[5])

-- a userdata-like non-table with metamethods: strings have none, so these fail
E(function() table.insert("abc", 1) end)
E(function() table.concat(setmetatable({}, {__len = function() return 2 end})) end)

-- __len results
local function lenis(v) return setmetatable({}, {__len = function() return v end, __index = function(_, k) return k end}) end
print(table.concat(lenis(3), ","))
print(table.concat(lenis(3.0), ","))
print(table.concat(lenis("2"), ","))
E(function() table.concat(lenis(2.5), ",") end)
E(function() table.concat(lenis("x"), ",") end)
E(function() table.concat(lenis(nil), ",") end)
E(function() table.sort(lenis(2^40)) end)
E(function() table.insert(lenis(1.5), 1) end)
print(table.unpack(lenis(4)))
print(table.unpack(lenis(3), 2))

-- __index chains through tables, __newindex tables
local base = {1, 2, 3}
local chained = setmetatable({}, {__index = setmetatable({}, {__index = base}), __len = function() return 3 end})
print(table.concat(chained, "+"))
print(table.unpack(chained))
local sink = {}
local redirect = setmetatable({}, {__newindex = sink, __len = function() return #sink end, __index = sink})
table.insert(redirect, "a"); table.insert(redirect, "b"); table.insert(redirect, 1, "c")
print(rawlen(redirect), #sink, table.concat(sink, ","))
print(table.remove(redirect, 1), table.concat(sink, ","))

-- move between tables with __eq
local mt = {__eq = function(a, b) L("eq") return true end}
local a1 = setmetatable({1, 2, 3, 4}, mt)
local a2 = setmetatable({}, mt)
table.move(a1, 1, 3, 2, a2); flush()
print(a2[1], a2[2], a2[3], a2[4])
local mt2 = {__eq = function() L("eq") return false end}
local b1 = setmetatable({1, 2, 3, 4}, mt2)
local b2 = setmetatable({}, mt2)
table.move(b1, 1, 3, 2, b2); flush()
print(b2[1], b2[2], b2[3], b2[4])

-- errors raised inside metamethods propagate
local bad = setmetatable({}, {__index = function() error("boom") end, __len = function() return 2 end})
E(function() table.concat(bad) end)
E(function() table.unpack(bad) end)
local bad2 = setmetatable({}, {__newindex = function() error({code = 7}) end, __len = function() return 0 end})
local ok, err = pcall(table.insert, bad2, 1); print(ok, type(err), err.code)

-- pack never uses metamethods; unpack of a plain table uses raw access
local p = table.pack(1, 2); print(getmetatable(p), p.n)
