-- Recursive Fibonacci: function call and integer arithmetic overhead.
-- Usage: lua fib.lua [n]   (default 37)
local n = tonumber(arg and arg[1]) or 37

local function fib(k)
  if k < 2 then return k end
  return fib(k - 1) + fib(k - 2)
end

-- a global-function variant exercises GETTABUP on every call
function gfib(k)
  if k < 2 then return k end
  return gfib(k - 1) + gfib(k - 2)
end

local a = fib(n)
local b = gfib(n - 3)
print(string.format("fib(%d) = %d  gfib(%d) = %d  checksum %d", n, a, n - 3, b, (a * 31 + b) % 1000000007))
