-- Coroutine switching: a ping-pong of resume/yield passing values both ways, plus a generator chain.
-- Usage: lua coroutine_pingpong.lua [n]   (default 10000000)
local n = tonumber(arg and arg[1]) or 10000000

-- ping-pong: the coroutine echoes back what it receives, transformed
local echo = coroutine.create(function(x)
  while true do x = coroutine.yield(x * 3 + 1) end
end)
local acc = 0
for i = 1, n do
  local _, r = coroutine.resume(echo, i)
  acc = (acc + r) % 1000000007
end

-- a pipeline of wrapped generators: source -> square -> filter
local function source(m)
  return coroutine.wrap(function() for i = 1, m do coroutine.yield(i) end end)
end
local function mapGen(g, f)
  return coroutine.wrap(function() for v in g do coroutine.yield(f(v)) end end)
end
local function filterGen(g, p)
  return coroutine.wrap(function() for v in g do if p(v) then coroutine.yield(v) end end end)
end
local total, count = 0, 0
for v in filterGen(mapGen(source(n // 4), function(v) return v * v end), function(v) return v % 3 ~= 0 end) do
  total = (total + v) % 1000000007
  count = count + 1
end

-- many short-lived coroutines
local created = 0
for i = 1, n // 100 do
  local co = coroutine.wrap(function(a) local b = coroutine.yield(a + 1); return a + b end)
  created = created + co(i) + co(2)
end
print(string.format("pingpong %d  pipeline %d %d  short-lived %d", acc, total, count, created))
