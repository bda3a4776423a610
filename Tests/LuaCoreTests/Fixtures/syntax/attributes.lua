-- <const> (with compile-time constant propagation) and <close>.
local k <const> = 10
local s <const> = "str"
local f <const> = 2.5
local b <const>, n <const> = true, nil
local big <const> = 1 << 62
local rt <const> = os.time()
local x = k * 2 + f
local y = s .. "x"
local function g() return k, s, rt, big end
do
  local c <close> = setmetatable({}, {__close = function() end})
  local d <close> = nil
  print(c, d)
end
local function h()
  local res <close> = io.open("/dev/null")
  return res
end
for i = 1, k do local z <const> = i; print(z) end
return x, y, g, h, b, n
