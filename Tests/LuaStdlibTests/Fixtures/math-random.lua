-- math.random with a fixed seed (xoshiro256** in 5.4): sequences are reproducible.
math.randomseed(42)
local floats = {}
for i = 1, 5 do floats[i] = string.format("%.17g", math.random()) end
print(table.concat(floats, " "))

math.randomseed(42)
local ints = {}
for i = 1, 10 do ints[i] = math.random(100) end
print(table.concat(ints, " "))

math.randomseed(42)
local ranged = {}
for i = 1, 10 do ranged[i] = math.random(-5, 5) end
print(table.concat(ranged, " "))

math.randomseed(42)
local bigs = {}
for i = 1, 4 do bigs[i] = math.random(0) end
print(table.concat(bigs, " "))

math.randomseed(42)
print(math.random(math.mininteger, math.maxinteger), math.random(1, 1), math.random(3, 3))
print(math.random(math.maxinteger), math.random(math.mininteger, -1), math.random(0, math.maxinteger))

-- same seed, same sequence; two-argument seeds
math.randomseed(42)
local a1, a2 = math.random(1000000), math.random(1000000)
math.randomseed(42)
local b1, b2 = math.random(1000000), math.random(1000000)
print(a1 == b1 and a2 == b2, a1, a2)
math.randomseed(42, 7)
print(math.random(1000000), math.random(1000000))
math.randomseed(0)
print(math.random(1000000), math.random(1000000))
math.randomseed(-1)
print(math.random(1000000), math.random(1000000))
math.randomseed(42.0)
print(math.random(1000000))
math.randomseed(1e10)
print(math.random(1000000))

-- result types and ranges
math.randomseed(42)
local okRange, okType = true, true
for _ = 1, 10000 do
  local f = math.random()
  if f < 0 or f >= 1 then okRange = false end
  local n = math.random(3, 7)
  if n < 3 or n > 7 then okRange = false end
  if math.type(n) ~= "integer" or math.type(f) ~= "float" then okType = false end
end
print(okRange, okType)

-- distribution sanity: every value in a small range appears
math.randomseed(42)
local seen = {}
for _ = 1, 1000 do seen[math.random(6)] = (seen[math.random(6)] or 0) + 1 end
local faces = {}
for i = 1, 6 do faces[i] = seen[i] or 0 end
print(table.concat(faces, " "))

-- shuffling with a seeded generator is deterministic
math.randomseed(42)
local deck = {}
for i = 1, 20 do deck[i] = i end
for i = #deck, 2, -1 do
  local j = math.random(i)
  deck[i], deck[j] = deck[j], deck[i]
end
print(table.concat(deck, " "))

-- errors
print(pcall(math.random, 2, 1))
print(pcall(math.random, 1, 2, 3))
print(pcall(math.random, 1.5))
print(pcall(math.random, "x"))
print(pcall(math.random, 0, -1))

-- randomseed returns the two seed components it used (5.4.4)
print(select("#", math.randomseed(42)), math.randomseed(42))
print(math.randomseed(42, 7))
