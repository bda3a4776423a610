-- Allocation churn: a steady live set of records, each step replacing a random one, with
-- short-lived temporaries (small records and arrays, a closure, sometimes a string) on every
-- step. Exercises allocation, the collector's pacing and peak memory.
-- Usage: lua alloc_churn.lua [steps]   (default 500000)
local steps = tonumber(arg and arg[1]) or 500000
local liveCount = 50000

-- deterministic pseudo-random numbers (LCG)
local seed = 42
local function rand(m)
  seed = (seed * 6364136223846793005 + 1442695040888963407) & 0x7fffffffffffffff
  return (seed >> 33) % m
end

local function vec(x, y) return { x = x, y = y } end
local function add(a, b) return vec(a.x + b.x, a.y + b.y) end

local ring = {}
for i = 1, liveCount do
  ring[i] = { id = i, pos = vec(i, -i), tags = { i, i + 1 }, name = "r" .. i }
end

local sum = 0
for step = 1, steps do
  local slot = rand(liveCount) + 1
  local old = ring[slot]
  local p = add(old.pos, vec(1, 2))
  local tags = { old.tags[2], step % 97, p.x % 13 }
  local name = old.name
  if step % 16 == 0 then name = "s" .. step end
  ring[slot] = { id = step, pos = p, tags = tags, name = name }
  local f = function() return p.x + tags[3] end
  sum = (sum + f()) % 1000000007
end

local names, tagCount = 0, 0
for i = 1, liveCount do
  local r = ring[i]
  names = names + #r.name
  tagCount = tagCount + #r.tags
end
print(string.format("steps %d  live %d  sum %d  names %d  tags %d", steps, liveCount, sum, names, tagCount))
