-- string.dump and loading binary chunks
local function roundtrip(f, strip) return assert(load(string.dump(f, strip))) end
print(roundtrip(function(a, b) return a + b, a .. b end)(3, 4))
local up1, up2 = 10, 20
local function withUpvalues() return up1, up2 end
local g = roundtrip(withUpvalues)
print(pcall(function() local a, b = g() return type(a), b end))
local function usesGlobal() return print ~= nil, type(_ENV) end
print(roundtrip(usesGlobal)())
local function nested(n)
  local function fact(k) if k <= 1 then return 1 end return k * fact(k - 1) end
  local t = {}
  for i = 1, n do t[i] = fact(i) end
  return t[n], #t, 2^10, 7 // 2, "s" .. 1.5, 0x7fffffffffffffff, -0.0, 1e300 * 10
end
print(roundtrip(nested)(10))
print(roundtrip(nested, true)(10))
local function varargs(...) local a, b = ... return select('#', ...), a, b, ... end
print(roundtrip(varargs)(1, nil, 3))
print(roundtrip(varargs, true)(1, nil, 3))
local function errs() local x = nil; return x.field end
print(pcall(roundtrip(errs)))
local function errs2() error("boom") end
print(pcall(roundtrip(errs2)))
print(pcall(roundtrip(errs2, true)))
print(pcall(string.dump, print))
print(pcall(function() return string.dump() end))
local d = string.dump(nested)
print(type(d), #string.dump(nested, true) < #d)
print(load(d, "x", "t"))
print(load("return 1", "x", "b"))
print(load(d, "=name", "b") ~= nil)
print(load("\27Lux"))
local f = load(string.dump(load("local t = {} for k = 1, 3 do t[k] = k * k end return t[1], t[2], t[3]")))
print(f())
local co = load(string.dump(function() local r = 0 for i = 1, 3 do r = r + coroutine.yield(i) end return r end))
local th = coroutine.create(co)
print(coroutine.resume(th)) print(coroutine.resume(th, 10)) print(coroutine.resume(th, 20)) print(coroutine.resume(th, 30))
local env = {print = print, tostring = tostring}
local h = load(string.dump(function() x = 1 return x, tostring(_ENV.x) end), "e", "b", env)
print(h(), env.x, x)
