-- Calls of vararg functions with more arguments than the callee has registers (the frame is
-- moved above them by VARARGPREP, which makes its own stack room), with fixed parameters
-- missing or present, under call hooks, inside coroutines and protected calls, and deep.
local t = {}
for i = 1, 240 do t[i] = i end

local function count(...) return select('#', ...) end
local function firstLast(...)
  local n = select('#', ...)
  return n, (...), (select(n > 0 and n or 1, ...))
end
local function fixed2(a, b, ...)
  local rest = {...}
  return a, b, #rest, rest[#rest]
end

print(count(), count(nil), count(nil, nil))
print(count(table.unpack(t)))
print(firstLast(table.unpack(t, 1, 200)))
print(fixed2())
print(fixed2(1))
print(fixed2(table.unpack(t, 1, 230)))

-- A vararg function whose registers outnumber its arguments, and the reverse.
local function wide(...)
  local a1, a2, a3, a4, a5, a6, a7, a8, a9, a10 = ...
  local s = 0
  for _, v in ipairs({...}) do s = s + v end
  return s, a1, a10
end
print(wide(1, 2, 3))
print(wide(table.unpack(t, 1, 120)))

-- Under a call hook that calls functions of its own.
local calls = 0
debug.sethook(function(event)
  calls = calls + 1
  local info = debug.getinfo(2, "S")
  local _ = tostring(info.what) .. string.rep("x", 3)
end, "c")
local r = {firstLast(table.unpack(t, 1, 150))}
debug.sethook()
print(r[1], r[2], r[3], calls > 0)

-- In coroutines (arguments moved from one stack to another) and protected calls.
local co = coroutine.wrap(function(...)
  local n = select('#', ...)
  local got = {coroutine.yield(n)}
  return #got, got[#got]
end)
print(co(table.unpack(t, 1, 210)))
print(co(table.unpack(t, 1, 220)))
print(pcall(firstLast, table.unpack(t, 1, 180)))
print(select('#', pcall(count, table.unpack(t))))

-- Deep: vararg recursion that allocates at every level.
local function deep(n, ...)
  if n == 0 then return select('#', ...) end
  local keep = {n, ...}
  return deep(n - 1, keep[1], ...)
end
print(deep(100, 1, 2, 3))
collectgarbage()
print(count(table.unpack(t, 1, 239)), collectgarbage("count") > 0)
