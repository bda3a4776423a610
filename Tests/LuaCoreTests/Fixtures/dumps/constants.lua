-- Constants of every kind: nil, booleans, integers, floats, short and long strings.
local a, b, c = nil, true, false
local i, j, k = 0, -1, math.maxinteger
local m = math.mininteger
local f, g, h = 1.5, -0.0, 1e300
local inf, huge = 1/0, 2^63
local short = "a short string of exactly forty bytes..."
local long = "a long string of forty-one bytes........."
local longer = [[
a long string literal spanning
several lines, with "quotes" and \backslashes\]]
local bytes = "\0\1\2\255\254 binary"
local t = {a, b, c, i, j, k, m, f, g, h, inf, huge, short, long, longer, bytes}
t.field, t["a key"], t[3.25], t[true] = 1, 2, 3, 4
local function inner(p, q, ...)
  local r <const> = "const"
  local s <close> = nil
  local n = select('#', ...)
  return function() return p, q, r, t, n end
end
return t, inner, #short, #long
