-- Table workload: array insert/remove, sorting with and without a comparator, hash-heavy counting.
-- Usage: lua table_ops.lua [n]   (default 1000000)
local n = tonumber(arg and arg[1]) or 1000000

-- deterministic pseudo-random numbers (LCG)
local seed = 42
local function rand(m)
  seed = (seed * 6364136223846793005 + 1442695040888963407) & 0x7fffffffffffffff
  return (seed >> 33) % m
end

-- 1. append / insert-at-front (small) / remove from the back
local arr = {}
for i = 1, n do arr[#arr + 1] = rand(1000000) end
local q = {}
for i = 1, 2000 do table.insert(q, 1, i) end
for _ = 1, 1000 do table.remove(q, 1) end
local popped = 0
for _ = 1, n // 2 do popped = popped + table.remove(arr) end

-- 2. sorting
local sorted = {}
for i = 1, n do sorted[i] = rand(1000000) end
table.sort(sorted)
local desc = {}
for i = 1, n // 2 do desc[i] = rand(1000000) end
table.sort(desc, function(a, b) return a > b end)
local recs = {}
for i = 1, n // 4 do recs[i] = { key = rand(1000), id = i } end
table.sort(recs, function(a, b) if a.key ~= b.key then return a.key < b.key end return a.id < b.id end)

-- 3. hash-heavy: word counts with string keys, integer keys far apart, deletion
local counts = {}
for i = 1, n do
  local k = "k" .. rand(5000)
  counts[k] = (counts[k] or 0) + 1
end
local distinct, maxCount = 0, 0
for _, c in pairs(counts) do
  distinct = distinct + 1
  if c > maxCount then maxCount = c end
end
local sparse = {}
for i = 1, n do sparse[i * 7919] = i end
for i = 1, n, 2 do sparse[i * 7919] = nil end
local remaining = 0
for _ in pairs(sparse) do remaining = remaining + 1 end

-- 4. table.concat, table.move and unpack on medium arrays
local moved = table.move(sorted, 1, n // 2, 1, {})
local unpackSum = 0
for i = 1, n // 100 do unpackSum = unpackSum + select("#", table.unpack(moved, 1, 100)) end

print(string.format("popped %d  q %d  sorted %d %d %d  desc %d  recs %d:%d  distinct %d max %d  sparse %d  unpack %d",
  popped, #q, sorted[1], sorted[n // 2], sorted[n], desc[1], recs[1].key, recs[#recs].key,
  distinct, maxCount, remaining, unpackSum))
