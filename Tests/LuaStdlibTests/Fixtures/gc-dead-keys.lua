-- Removed table entries and the collector: the key of a removed entry (PUC's dead key) does
-- not keep its object alive, `next` still continues from it, and lookups never match it.
-- Memory is compared, never printed, so the output does not depend on the allocator.

local function kb() return collectgarbage("count") end
local big = 2^20      -- bytes in each long string below (1 MiB = 2^10 KB)

-- a removed entry's long string key is freed by the next collection
do
  collectgarbage(); collectgarbage()
  local m = kb()
  local t = {}
  t[string.rep("x", big)] = 1
  print("grew", kb() > m + 2^9)
  t[string.rep("x", big)] = nil   -- the same key by content, another object
  collectgarbage()
  print("key freed", kb() < m + 2^9)
  print("lookup", t[string.rep("x", big)], next(t))
  t[string.rep("x", big)] = 2     -- inserted again after its dead key
  print("again", t[string.rep("x", big)])
end

-- all weak: a string key whose value dies is collected in the same cycle
do
  collectgarbage(); collectgarbage()
  local m = kb()
  local a = setmetatable({}, {__mode = "kv"})
  a[string.rep("a", big)] = 25
  a[string.rep("b", big)] = {}
  a[{}] = 14
  print("kv grew", kb() > m + 2^11 - 1)
  collectgarbage()
  local k, v = next(a)
  print("kv one string left", kb() >= m + 2^10 and kb() < m + 2^11, #k, v)
  print("kv rest cleared", next(a, k), a[string.rep("b", big)])
  a[k] = nil
  k = nil
  collectgarbage()
  print("kv empty", next(a), a[string.rep("b", 100)])
  print("kv all freed", kb() <= m + 1)
end

-- weak values only: keys are strong, so the string key of a dead value lives one cycle
-- more (how much memory the first collection leaves depends on whether a cycle was under
-- way, so only the end state is compared)
do
  collectgarbage(); collectgarbage()
  local m = kb()
  local a = setmetatable({}, {__mode = "v"})
  a[string.rep("a", big)] = 25
  a[string.rep("b", big)] = {}
  collectgarbage()
  local k, v = next(a)
  print("v cleared", #k, v, next(a, k))
  k = nil
  collectgarbage(); collectgarbage()
  print("v one string left", kb() >= m + 2^10 and kb() < m + 2^11)
  a = nil
  collectgarbage()
  print("v all freed", kb() <= m + 1)
end

-- next continues from entries removed during the traversal, across collections
do
  local keys = {}
  local t = {}
  for i = 1, 20 do
    local k = i % 3 == 0 and {} or i % 3 == 1 and string.rep(tostring(i), 30) or ("k" .. i)
    keys[i] = k
    t[k] = i
  end
  keys = nil
  local count, sum = 0, 0
  for k, v in pairs(t) do
    t[k] = nil
    collectgarbage()
    count, sum = count + 1, sum + v
  end
  print("traversal", count, sum, next(t))
end

-- a weak-keyed table whose keys die during a traversal
do
  local t = setmetatable({}, {__mode = "k"})
  local hold = {}
  for i = 1, 10 do
    local k = {}
    t[k] = i
    if i % 2 == 0 then hold[#hold + 1] = k end
  end
  collectgarbage()
  local sum = 0
  for k, v in pairs(t) do
    sum = sum + v
    t[k] = nil
    collectgarbage()
  end
  print("weak keys", sum, next(t))
  for _, k in ipairs(hold) do t[k] = 1 end
  local n = 0
  for _ in pairs(t) do n = n + 1 end
  print("reinserted", n)
end

-- many removals and reinsertions through the same nodes stay consistent
do
  local t = {}
  local objs = {}
  for i = 1, 64 do objs[i] = {} end
  for round = 1, 5 do
    for i = 1, 64 do t[objs[i]] = round end
    for i = 1, 64, 2 do t[objs[i]] = nil end
    collectgarbage()
    for i = 1, 64, 4 do t[objs[i]] = -round end
    for i = 1, 8 do t["s" .. string.rep("z", 40 + i)] = i end
    for i = 1, 8 do t["s" .. string.rep("z", 40 + i)] = nil end
    collectgarbage()
  end
  local n, sum = 0, 0
  for k, v in pairs(t) do n = n + 1; sum = sum + v end
  print("churn", n, sum, t[objs[1]], t[objs[2]], t[objs[3]])
end
