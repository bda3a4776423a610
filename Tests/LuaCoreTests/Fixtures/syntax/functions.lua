-- Functions, methods, varargs, closures, upvalues and tail calls.
local function add(a, b) return a + b end
local function va(...) local a, b = ... return select('#', ...), ... end
local function va2(a, ...) local t = {...} return t, ..., a end
local obj = {}
function obj:method(x) return self, x end
function obj.static(x) return x end
obj:method(1)
obj.method(obj, 2)
obj:method "s"
obj:method {1}
print "hello"
print [[long]]
f{1, 2}
local function counter()
  local n = 0
  return function() n = n + 1; return n end
end
local function outer()
  local a = 1
  local function mid()
    local b = 2
    return function() a = a + b; return a end
  end
  return mid
end
local function tail(n) if n == 0 then return 0 end return tail(n - 1) end
local function notail(n) return (tail(n)) end
local function multi() return 1, 2, 3 end
local x, y, z = multi()
local t = {multi(), multi()}
print(multi(), multi())
return add, va, va2, counter, outer, tail, notail, x, y, z, t
