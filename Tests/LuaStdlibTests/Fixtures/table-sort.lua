-- table.sort: default order, comparators, stability-independent checks, errors, metamethods.
local function show(t) local o = {} for i = 1, #t do o[i] = tostring(t[i]) end return table.concat(o, " ") end

local nums = { 5, 2, 8, 1, 9, 3, 7, 4, 6, 0 }
table.sort(nums)
print(show(nums))
table.sort(nums, function(a, b) return a > b end)
print(show(nums))

local mixed = { 3, 1.5, -2, 2^40, -0.5, 10, 2.25 }
table.sort(mixed)
print(show(mixed))

local strs = { "banana", "apple", "Cherry", "apple pie", "", "Apple", "b" }
table.sort(strs)
print(show(strs))
table.sort(strs, function(a, b) return a:lower() < b:lower() or (a:lower() == b:lower() and a < b) end)
print(show(strs))

-- sort by multiple keys
local people = {
  { name = "ann", age = 30 }, { name = "bob", age = 25 }, { name = "cid", age = 30 },
  { name = "dan", age = 25 }, { name = "eve", age = 35 },
}
table.sort(people, function(a, b)
  if a.age ~= b.age then return a.age < b.age end
  return a.name < b.name
end)
local names = {}
for i, p in ipairs(people) do names[i] = p.name .. p.age end
print(table.concat(names, " "))

-- edge sizes
local e0 = {}
table.sort(e0)
local e1 = { 42 }
table.sort(e1)
local e2 = { 2, 1 }
table.sort(e2)
print(#e0, e1[1], show(e2))

-- already sorted, reversed, all equal
local sorted, reversed, equal = {}, {}, {}
for i = 1, 1000 do sorted[i] = i; reversed[i] = 1001 - i; equal[i] = 7 end
table.sort(sorted); table.sort(reversed); table.sort(equal)
local okSorted = true
for i = 2, 1000 do if sorted[i - 1] > sorted[i] or reversed[i - 1] > reversed[i] then okSorted = false end end
print(okSorted, reversed[1], reversed[1000], equal[500])

-- pseudo-random data from a deterministic LCG
local seed = 12345
local function lcg() seed = (seed * 1103515245 + 12345) % 2147483648; return seed end
local data = {}
for i = 1, 5000 do data[i] = lcg() % 1000 end
table.sort(data)
local ok = true
for i = 2, #data do if data[i - 1] > data[i] then ok = false end end
local sum = 0
for i = 1, #data do sum = sum + data[i] end
print(ok, data[1], data[2500], data[5000], sum)

-- errors
print(pcall(table.sort, { 1, "x", 2 }))
print(pcall(table.sort, { 1, nil, 2 }))
print(pcall(table.sort, { {}, {} }))
print(pcall(table.sort, { 3, 2, 1 }, 42))
print(pcall(table.sort, "abc"))
print(pcall(table.sort, { 3, 1, 2 }, function(a, b) error("cmp failed") end))
-- an inconsistent comparator may raise "invalid order function for sorting"
local bad = {}
for i = 1, 100 do bad[i] = i % 7 end
local okBad, errBad = pcall(table.sort, bad, function(a, b) return true end)
print(okBad, errBad)

-- sorting with __lt metamethod
local V = {}
V.__lt = function(a, b) return a.v < b.v end
local objs = {}
for _, v in ipairs({ 4, 2, 9, 1 }) do objs[#objs + 1] = setmetatable({ v = v }, V) end
table.sort(objs)
local vs = {}
for i, o in ipairs(objs) do vs[i] = o.v end
print(table.concat(vs, " "))

-- sort respects __index/__newindex/__len of proxies
local backing = { 3, 1, 2 }
local proxy = setmetatable({}, {
  __index = backing, __newindex = backing, __len = function() return #backing end,
})
table.sort(proxy)
print(show(backing), rawget(proxy, 1))

-- comparator receives elements of the array, count of calls is positive
local calls = 0
local arr = { 5, 4, 3, 2, 1 }
table.sort(arr, function(a, b) calls = calls + 1; return a < b end)
print(show(arr), calls > 0)

-- sorting strings with embedded zeros and high bytes
local bin = { "a\0c", "a\0b", "a", "\255", "\0" }
table.sort(bin)
for i = 1, #bin do bin[i] = (bin[i]:gsub("%z", "<0>"):gsub("\255", "<ff>")) end
print(table.concat(bin, " "))

-- sort large table with comparator returning on floats
local fl = {}
for i = 1, 200 do fl[i] = math.sin(i) end
table.sort(fl, function(a, b) return a > b end)
print(string.format("%.6f %.6f", fl[1], fl[200]))

-- too big arrays are rejected
print(pcall(table.sort, setmetatable({}, { __len = function() return math.maxinteger end })))
