-- Numeric for: integer and float loops, overflow-safe bounds, step errors.
local function collect(a, b, c)
  local out = {}
  if c == nil then
    for i = a, b do out[#out + 1] = tostring(i) end
  else
    for i = a, b, c do out[#out + 1] = tostring(i) end
  end
  return #out .. ": " .. table.concat(out, " ")
end

print(collect(1, 5))
print(collect(5, 1))
print(collect(5, 1, -1))
print(collect(1, 10, 3))
print(collect(10, 1, -3))
print(collect(1, 1))
print(collect(1, 0))
print(collect(1.0, 3))
print(collect(1, 3.5))
print(collect(1, 2, 0.5))
print(collect(0.1, 0.5, 0.1))
print(collect(1, 0, -0.25))
print(collect(3, 1.5, -0.5))

-- bounds near the integer limits never overflow
local maxi, mini = math.maxinteger, math.mininteger
print(collect(maxi - 2, maxi))
print(collect(mini + 2, mini, -1))
print(collect(maxi - 1, maxi, 10))
print(collect(mini, mini + 1))
print(collect(maxi, maxi, maxi))
print(collect(mini, mini, mini))
print(collect(1, math.huge, maxi))
print(collect(-1, -math.huge, mini))
print(collect(maxi - 5, 1e100, 4))
print(collect(0, 2^63, maxi // 2))
print(collect(3, -math.huge))

-- float limits clip for integer loops
print(collect(1, 3.9))
print(collect(-1, -3.9, -1))
print(collect(1, -0.5))
print(collect(1, 0/0))

-- zero step is an error
print(pcall(collect, 1, 10, 0))
print(pcall(collect, 1, 10, 0.0))
-- non-number bounds
print(pcall(collect, 1, nil))
print(pcall(collect, nil, 1))
print(pcall(collect, 1, 2, {}))
print(pcall(collect, 1, "x"))

-- loop variable is a fresh local each iteration; modifying it does not affect the loop
local seen = {}
for i = 1, 5 do
  seen[#seen + 1] = i
  i = i * 10
  seen[#seen + 1] = i
end
print(table.concat(seen, ","))

-- the limit and step are evaluated once
local calls = 0
local function lim() calls = calls + 1; return 3 end
for _ = 1, lim() do end
print("limit evaluated", calls)

-- closures capture each iteration's variable
local fs = {}
for i = 1, 3 do fs[i] = function() return i end end
print(fs[1](), fs[2](), fs[3]())

-- float accumulation
local sum = 0
for x = 0, 1, 0.1 do sum = sum + x end
print(string.format("%.10f", sum))
local count = 0
for _ = 1, 0, 0.1 do count = count + 1 end
print("count", count)

-- types of the control variable
for i = 1, 1 do print(math.type(i)) end
for i = 1.0, 1 do print(math.type(i)) end
for i = 1, 1, 1.0 do print(math.type(i)) end
for i = 1, 1.5 do print(math.type(i)) end

-- nested loops with break
local pairsFound = {}
for a = 1, 10 do
  for b = a, 10 do
    if a * b == 12 then pairsFound[#pairsFound + 1] = a .. "x" .. b; break end
  end
  if #pairsFound >= 2 then break end
end
print(table.concat(pairsFound, " "))

-- large iteration counts
local n = 0
for _ = mini, mini + 999999 do n = n + 1 end
print(n)
local acc = 0
for i = 1000000, 1, -1 do acc = acc + i end
print(acc)
