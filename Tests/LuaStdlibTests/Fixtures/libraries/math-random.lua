-- math.random / math.randomseed with fixed seeds: xoshiro256** bit for bit
local function E(f, ...) print(pcall(f, ...)) end
for _, seed in ipairs({0, 1, 42, -7, 123456789, math.maxinteger, math.mininteger}) do
  print("seed", seed, math.randomseed(seed))
  local out = {}
  for i = 1, 6 do out[#out + 1] = math.random(1, 100) end
  for i = 1, 3 do out[#out + 1] = math.random(10) end
  for i = 1, 3 do out[#out + 1] = math.random() end
  for i = 1, 3 do out[#out + 1] = math.random(0) end
  out[#out + 1] = math.random(-10, 10)
  out[#out + 1] = math.random(math.mininteger, math.maxinteger)
  out[#out + 1] = math.random(math.mininteger, -1)
  out[#out + 1] = math.random(0, math.maxinteger)
  out[#out + 1] = math.random(1, 1)
  out[#out + 1] = math.random(3, 2^40)
  out[#out + 1] = math.random(7.0)
  out[#out + 1] = math.random(1000000007)
  print(table.concat(out, " "))
end
print(math.randomseed(1, 2))
print(math.random(1, 1000), math.random(1, 1000), math.random())
print(math.randomseed(1, -2))
print(math.random(1, 1000), math.random(1, 1000), math.random())
print(math.randomseed(2^53))
print(math.random(100))
print(math.randomseed("12"))
print(math.random(100))
-- ranges are respected; float in [0,1)
math.randomseed(99)
local lo, hi, fl = math.huge, -math.huge, true
for i = 1, 10000 do
  local r = math.random(-3, 3)
  if r < lo then lo = r end
  if r > hi then hi = r end
  local f = math.random()
  if f < 0 or f >= 1 or math.type(f) ~= "float" then fl = false end
end
print(lo, hi, fl, math.type(math.random(5)))
E(function() math.random(2, 1) end)
E(function() math.random(-5) end)
E(function() math.random(1, 2, 3) end)
E(function() math.random(1.5) end)
E(function() math.random("x") end)
E(function() math.random(1, nil) end)
E(function() math.randomseed(1.5) end)
E(function() math.randomseed(nil) end)
E(function() math.randomseed(1, "y") end)
-- randomseed() with no arguments reseeds randomly and returns two integers
local s1, s2 = math.randomseed()
print(math.type(s1), math.type(s2))
