-- table.concat insert move pack remove unpack, with metamethods.
local function show(t, n)
  local out = {}
  for i = 1, n or #t do out[i] = tostring(t[i]) end
  return "{" .. table.concat(out, ",") .. "}"
end

-- concat
print(table.concat({}), table.concat({ 1, 2, 3 }), table.concat({ "a", "b" }, ", "), table.concat({ 1, 2.5, "x" }, "-"))
print(table.concat({ 1, 2, 3, 4, 5 }, "", 2, 4), table.concat({ 1, 2 }, ",", 3), table.concat({ 1, 2 }, ",", 2, 1))
print(pcall(table.concat, { 1, {}, 3 }))
print(pcall(table.concat, { 1, 2 }, ",", 1, 3))
print(pcall(table.concat, { true }))
print(table.concat({ [1] = "a", [2] = "b", [4] = "d" }, ",", 1, 2))

-- insert
local t = {}
table.insert(t, "a")
table.insert(t, "c")
table.insert(t, 2, "b")
table.insert(t, 1, "start")
table.insert(t, #t + 1, "end")
print(show(t), #t)
print(pcall(table.insert, t, 0, "x"))
print(pcall(table.insert, t, #t + 2, "x"))
print(pcall(table.insert, t))
print(pcall(table.insert, t, 1, 2, 3))
print(pcall(table.insert, nil, 1))
print(pcall(table.insert, t, "2", "y"), show(t))
print(pcall(table.insert, t, 1.5, "z"))

-- remove
local r = { 1, 2, 3, 4, 5 }
print(table.remove(r), show(r))
print(table.remove(r, 1), show(r))
print(table.remove(r, 2), show(r))
print(table.remove(r, #r + 1), show(r))
print(pcall(table.remove, r, 7))
local empty = {}
print(table.remove(empty), table.remove(empty, 0), table.remove(empty, 1), #empty)
print(pcall(table.remove, empty, 2))
local z = { [0] = "zero" }
print(table.remove(z, 0), z[0])
local single = { "only" }
print(table.remove(single, 1), #single)

-- move
local src = { 1, 2, 3, 4, 5 }
print(show(table.move(src, 2, 4, 1)))
src = { 1, 2, 3, 4, 5 }
print(show(table.move(src, 1, 3, 3), 5))
src = { 1, 2, 3 }
local dst = table.move(src, 1, 3, 2, { "x" })
print(show(dst), show(src))
print(show(table.move({ 1, 2 }, 1, 0, 1, { "keep" })))
print(pcall(table.move, {}, 1, math.maxinteger, 2))
print(pcall(table.move, {}, -1, math.maxinteger, 1))
print(show(table.move({ 1, 2, 3 }, 1, 3, -1), 3), table.move({ 1, 2, 3 }, 1, 3, -1)[-1])

-- pack and unpack
local p = table.pack(1, nil, 3, nil)
print(p.n, p[1], p[2], p[3], p[4], #table.pack())
print(table.unpack({ 1, 2, 3 }, -1, 1))
print(table.unpack({ 1, 2, 3 }, 2, 2))
print(pcall(table.unpack, {}, math.mininteger, math.maxinteger))
print(table.unpack({ 1, 2, 3 }, math.maxinteger, math.maxinteger))

-- metamethods are honoured (__index, __newindex, __len)
local log = {}
local proxyData = { 10, 20, 30 }
local proxy = setmetatable({}, {
  __index = function(_, k) log[#log + 1] = "get" .. k; return proxyData[k] end,
  __newindex = function(_, k, v) log[#log + 1] = "set" .. k; proxyData[k] = v end,
  __len = function() log[#log + 1] = "len"; return #proxyData end,
})
print(table.concat(proxy, ","), table.concat(log, " "))
log = {}
table.insert(proxy, 40)
print(table.concat(log, " "), show(proxyData))
log = {}
print(table.remove(proxy, 1), table.concat(log, " "))
log = {}
print(table.unpack(proxy))
print(table.concat(log, " "))
log = {}
table.move(proxy, 1, 2, 5)
print(table.concat(log, " "))

-- __len returning non-integers
print(pcall(table.insert, setmetatable({}, { __len = function() return "x" end }), 1))
print(pcall(table.insert, setmetatable({}, { __len = function() return 2.5 end }), 1))
local lenTwo = setmetatable({}, { __len = function() return 2 end })
table.insert(lenTwo, "third")
print(rawget(lenTwo, 3))

-- table functions reject non-tables (unless they have the right metamethods)
print(pcall(table.concat, "abc"))
print(pcall(table.insert, "abc", 1))
print(type(select(2, pcall(table.pack))))
print(table.pack().n)

-- large tables
local big = {}
for i = 1, 10000 do table.insert(big, i) end
for _ = 1, 5000 do table.remove(big, 1) end
print(#big, big[1], big[#big])
local moved = table.move(big, 1, #big, 1, {})
print(#moved, moved[2500])
