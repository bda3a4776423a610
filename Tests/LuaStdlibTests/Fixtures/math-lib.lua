-- math library: every function, integer/float results, edge cases.
local function show(...)
  local out = {}
  for i = 1, select("#", ...) do
    local v = select(i, ...)
    out[i] = tostring(v) .. (math.type(v) == "integer" and "i" or (math.type(v) == "float" and "f" or ""))
  end
  print(table.concat(out, " "))
end

show(math.pi, math.huge, -math.huge, math.maxinteger, math.mininteger)
show(math.abs(-3), math.abs(3.5), math.abs(math.mininteger), math.abs(-0.0), math.abs(-1 / 0))
show(math.ceil(3.2), math.ceil(-3.2), math.ceil(5), math.ceil(-0.5), math.ceil(2^60 + 0.0), math.ceil(1e100))
show(math.floor(3.7), math.floor(-3.7), math.floor(5), math.floor(-0.0), math.floor(-2^63), math.floor(2^63))
show(math.floor(1 / 0), math.ceil(-1 / 0), math.floor(0 / 0) ~= math.floor(0 / 0))
show(math.sqrt(16), math.sqrt(2), math.sqrt(-1) ~= math.sqrt(-1), math.sqrt(1 / 0))
show(math.exp(0), math.exp(1), math.log(1), math.log(math.exp(2)), math.log(8, 2), math.log(100, 10), math.log(27, 3))
show(math.log(0), math.log(1024, 2), math.log(2^60, 2), math.log(10, 10.0), math.log(-1) ~= math.log(-1))
show(math.sin(0), math.cos(0), math.tan(0), math.asin(1), math.acos(1), math.atan(1))
show(math.atan(1, 1), math.atan(-1, -1), math.atan(0, -1), math.atan(1, 0), math.atan(-0.0, 1), math.atan(0.0, -0.0))
show(math.fmod(7, 3), math.fmod(-7, 3), math.fmod(7, -3), math.fmod(-7, -3), math.fmod(7.5, 2), math.fmod(-7.5, 2))
show(math.fmod(math.mininteger, -1), math.fmod(5, math.huge), math.fmod(1, 0.0) ~= math.fmod(1, 0.0))
print(pcall(math.fmod, 1, 0))
print(pcall(math.fmod, 1))
show(math.modf(3.7), math.modf(-3.7), math.modf(5), math.modf(1 / 0), math.modf(-1 / 0))
show(math.modf(-0.5), math.modf(2^53))
-- both results: the integral part is an integer when it fits, the fraction a float
show(math.modf(3.7))
show(math.modf(-3.7))
show(math.modf(5))
show(math.modf(1 / 0))
show(math.modf(-0.0))
show(math.modf(1e100))
show(math.tointeger(3.0), math.tointeger(3.5), math.tointeger("8"), math.tointeger(2^63), math.tointeger(-2^63), math.tointeger(7), math.tointeger({}))
show(math.type(1), math.type(1.0), math.type("1"), math.type(nil))
print(pcall(math.type))
show(math.ult(1, 2), math.ult(-1, 2), math.ult(2, -1), math.ult(math.maxinteger, math.mininteger))
print(pcall(math.ult, 1.5, 2))
show(math.max(1, 2, 3), math.max(3.5, 2), math.max(1, 1.0), math.max(1.0, 1), math.max(-0.0, 0.0), math.max(5))
show(math.min(1, 2, 3), math.min(3.5, 2), math.min(1, 1.0), math.min(1.0, 1), math.min(0.0, -0.0), math.min(-1 / 0, 0))
print(pcall(math.max))
print(pcall(math.min))
show(math.max(0 / 0, 1) ~= math.max(0 / 0, 1), math.max(1, 0 / 0))
show(math.deg(math.pi), math.rad(180), math.deg(1), math.rad(1))
show(math.abs(math.mininteger) == math.mininteger, -math.mininteger)

-- floor/ceil with float arguments that fit vs. do not fit integers
show(math.floor(2^62), math.floor(2^62 + 0.5), math.ceil(-2^62 - 0.5), math.floor(9.2233720368547e18))
show(math.floor(1e308), math.ceil(-1e308), math.floor(-1e308))
show(math.floor(3), math.ceil(-3), math.floor(-3.0), math.ceil(3.0))

-- argument errors
print(pcall(math.floor, "x"))
print(pcall(math.abs))
print(pcall(math.sqrt, nil))
print(pcall(math.log, "a"))

-- results of common identities
local function approx(a, b) return math.abs(a - b) < 1e-12 end
print(approx(math.sin(math.pi / 6), 0.5), approx(math.cos(math.pi / 3), 0.5), approx(math.tan(math.pi / 4), 1))
print(approx(math.sin(1) ^ 2 + math.cos(1) ^ 2, 1), approx(math.exp(math.log(10)), 10))
print(string.format("%.10f %.10f %.10f", math.sin(2), math.cos(2), math.tan(2)))
print(string.format("%.15g %.15g %.15g", math.exp(10), math.log(10), math.sqrt(3)))
print(string.format("%.15g %.15g", math.asin(0.5), math.acos(-0.5)))

-- integer arithmetic helpers built on math
local function gcd(a, b) while b ~= 0 do a, b = b, a % b end return a end
print(gcd(48, 18), gcd(17, 5), gcd(0, 9), gcd(2^40 | 0, 2^20 | 0))
local function isqrt(n) local r = math.floor(math.sqrt(n)); while r * r > n do r = r - 1 end; while (r + 1) * (r + 1) <= n do r = r + 1 end; return r end
print(isqrt(99), isqrt(100), isqrt(10^12 | 0), math.type(isqrt(50)))

-- huge and comparisons
print(math.huge > math.maxinteger, -math.huge < math.mininteger, math.huge == 1 / 0, math.huge - math.huge ~= math.huge - math.huge)
