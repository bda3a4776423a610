-- table.sort on 100k elements: default order (numbers, strings, array and hash parts) and
-- a Lua comparator; prints checksums so the output is small
local function lcg(seed)
  local x = seed
  return function(m) x = (x * 1103515245 + 12345) % 2147483648 return x % m end
end
local function checksum(t) local s = 0 for i = 1, #t do s = (s * 31 + i * (t[i] // 1)) % 1000000007 end return s end
local function sorted(t, lt) lt = lt or function(a, b) return a < b end for i = 2, #t do if lt(t[i], t[i - 1]) then return false end end return true end

local N = 100000
local r = lcg(2024)
local a = {}
for i = 1, N do a[i] = r(1000000) end
table.sort(a)
print("ints", sorted(a), checksum(a), a[1], a[N // 2], a[N])

local f = {}
for i = 1, N do f[i] = r(1000000) / 7 end
table.sort(f)
print("floats", sorted(f), f[1], f[N // 2], f[N])

local h = {}
for i = N, 1, -1 do h[i] = r(1000) end   -- filled backwards: lives in the hash part
table.sort(h)
print("hash part", sorted(h), checksum(h))

local c = {}
for i = 1, N do c[i] = r(1000000) end
local calls = 0
table.sort(c, function(x, y) calls = calls + 1 return x > y end)
print("comparator", sorted(c, function(x, y) return x > y end), checksum(c), calls > N)

local s = {}
for i = 1, 20000 do s[i] = "k" .. r(100000) end
table.sort(s)
print("strings", sorted(s), s[1], s[10000], s[20000])
