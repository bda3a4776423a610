-- Bitwise operators on 64-bit integers; conversions from floats and strings.
local function hex(v) return string.format("0x%016x", v) end

print(5 & 3, 5 | 3, 5 ~ 3, ~5, ~0, ~-1)
print(hex(0xF0F0 & 0x0FF0), hex(0xF0F0 | 0x0FF0), hex(0xF0F0 ~ 0x0FF0))
print(1 << 0, 1 << 1, 1 << 62, 1 << 63, 1 << 64, 1 << 100)
print(-1 >> 1, -1 >> 63, -1 >> 64, 8 >> 1, 8 >> -1, 1 << -1)
print(hex(-1 << 4), hex(math.mininteger >> 63), hex(0x8000000000000000 >> 4))
print(2 << 63, 3 >> 1, 0 >> 5)
print(1 << math.mininteger, 1 >> math.mininteger, -1 >> math.maxinteger)

-- precedence: shifts bind looser than concatenation and arithmetic
print(1 << 2 + 1, 1 | 2 & 3, 5 ~ 1 | 2, 6 & 3 ~ 1, ~1 + 1)

-- floats with exact integer values are accepted
print(3.0 & 1, 2.0 ^ 2 | 0, 1e3 | 0, -0.0 | 0, 2^62 | 0)
print(math.type(3.0 | 0), math.type(3 | 0))

local function try(f)
  local ok, err = pcall(f)
  print(ok, err)
end

-- strings are not coerced by bitwise operators (the string metatable has no __band etc.)
try(function() return "3" & 1 end)
try(function() local s = "0x10"; return s | 1 end)
try(function() return "1" .. 2 << 1 end)
try(function() local t = { s = "7" }; return ~t.s end)
try(function() return 1.5 & 1 end)
try(function() return 2^63 | 0 end)
try(function() return -2^64 | 0 end)
try(function() return (0/0) | 0 end)
try(function() return math.huge | 0 end)
try(function() return "1.5" | 0 end)
try(function() return "abc" | 0 end)
try(function() return {} | 0 end)
try(function() local x = 2.5; return x << 1 end)
try(function() local s = "x"; return ~s end)
try(function() return nil & 1 end)
try(function() local t = { f = 1.25 }; return t.f >> 1 end)
try(function() return 1 & true end)

-- rotate and mask helpers
local function rotl(x, n) return (x << n) | (x >> (64 - n)) end
print(hex(rotl(0x0123456789abcdef, 8)), hex(rotl(1, 63)), hex(rotl(math.mininteger, 1)))

-- population count via bit tricks
local function popcount(x)
  local c = 0
  while x ~= 0 do
    x = x & (x - 1)
    c = c + 1
  end
  return c
end
print(popcount(0), popcount(1), popcount(0xff), popcount(-1), popcount(math.mininteger))

-- xor-shift generator is deterministic
local s = 88172645463325252
local acc = 0
for _ = 1, 1000 do
  s = s ~ (s << 13)
  s = s ~ (s >> 7)
  s = s ~ (s << 17)
  acc = acc ~ s
end
print(hex(s), hex(acc))

-- math.ult and unsigned comparisons via bit tricks
print(math.ult(1, -1), math.ult(-1, 1), math.ult(0, 0), math.ult(math.maxinteger, math.mininteger))
print(string.format("%x %X %o", 255, 255, 8), string.format("%x", -1))
