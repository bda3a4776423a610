-- Recursion and proper tail calls.
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
print(fib(20))

-- mutual recursion
local isEven, isOdd
function isEven(n) if n == 0 then return true end return isOdd(n - 1) end
function isOdd(n) if n == 0 then return false end return isEven(n - 1) end
print(isEven(10), isOdd(7), isEven(7))

-- a 100000-deep tail-recursive loop does not grow the stack
local function loop(n, acc)
  if n == 0 then return acc end
  return loop(n - 1, acc + n)
end
print(loop(100000, 0))
print(loop(1000000, 0))

-- mutual tail recursion
print(isEven(200001), isOdd(300000))

-- tail call through a method
local obj = { n = 0 }
function obj:step(k)
  if k == 0 then return self.n end
  self.n = self.n + 1
  return self:step(k - 1)
end
print(obj:step(150000))

-- tail call of a varargs function passes all values
local function tailVar(n, ...)
  if n == 0 then return select("#", ...), ... end
  return tailVar(n - 1, ...)
end
print(tailVar(50000, "a", nil, "c"))

-- tail call to a C function and through pcall
local function toC(x) return tostring(x) end
print(toC(12), type(toC(1.5)))
local function viaPcall(n)
  if n == 0 then return "done" end
  return viaPcall(n - 1)
end
print(pcall(viaPcall, 200000))

-- non-tail recursion depth that fits comfortably
local function depth(n) if n == 0 then return 0 end return 1 + depth(n - 1) end
print(depth(10000))

-- runaway recursion is caught as a stack overflow error
local function runaway(n) return 1 + runaway(n + 1) end
local ok, err = pcall(runaway, 1)
print(ok, (string.find(err, "stack overflow", 1, true)) ~= nil)

-- recursion through metamethods
local deep = setmetatable({}, { __index = function(t, k)
  if k <= 0 then return 0 end
  return t[k - 1] + 1
end })
print(deep[100])

-- ackermann
local function ack(m, n)
  if m == 0 then return n + 1 end
  if n == 0 then return ack(m - 1, 1) end
  return ack(m - 1, ack(m, n - 1))
end
print(ack(2, 3), ack(3, 3))

-- hanoi counting moves
local moves = 0
local function hanoi(n, a, b, c)
  if n == 0 then return end
  hanoi(n - 1, a, c, b)
  moves = moves + 1
  hanoi(n - 1, c, b, a)
end
hanoi(12, "A", "B", "C")
print("moves", moves)

-- string building recursion
local function perms(s)
  if #s <= 1 then return { s } end
  local out = {}
  for i = 1, #s do
    local rest = s:sub(1, i - 1) .. s:sub(i + 1)
    for _, p in ipairs(perms(rest)) do out[#out + 1] = s:sub(i, i) .. p end
  end
  return out
end
local ps = perms("abcd")
print(#ps, ps[1], ps[24], table.concat(perms("xyz"), ","))

-- tail calls in both branches of a conditional and via `return (f())` (not a tail call)
local function collatz(n, steps)
  if n == 1 then return steps end
  if n % 2 == 0 then return collatz(n // 2, steps + 1) end
  return collatz(3 * n + 1, steps + 1)
end
print(collatz(27, 0), collatz(97, 0))
local function notTail(n) if n == 0 then return "x" end return (notTail(n - 1)) end
print(notTail(1000))
