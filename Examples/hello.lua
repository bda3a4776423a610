-- A first script: run it with `swift run -c release moonlet Examples/hello.lua`.
local greeting = "Hello from Moonlet"
print(greeting .. ", a Lua 5.4 written in Swift!")

local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
print("fib(25) =", fib(25))

local co = coroutine.wrap(function(a)
  local b = coroutine.yield(a + 1)
  return b * 2
end)
print("coroutine:", co(1), co(10))
print("arg[0] =", arg and arg[0])
