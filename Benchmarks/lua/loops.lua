-- Tight numeric loops: integer arithmetic, float arithmetic, bitwise ops, while loops.
-- Usage: lua loops.lua [n]   (default 40000000)
local n = tonumber(arg and arg[1]) or 40000000

-- integer loop: sum of a simple polynomial with wraparound-free modulus
local isum = 0
for i = 1, n do
  isum = (isum + i * 7 + (i // 3)) % 1000000007
end

-- float loop: a damped oscillator integrated with Euler steps
local x, v, dt = 1.0, 0.0, 1e-6
for _ = 1, n // 2 do
  local acc = -x - 0.01 * v
  v = v + acc * dt
  x = x + v * dt
end

-- bitwise loop: xorshift scrambling
local h = 0x12345678
for i = 1, n // 2 do
  h = h ~ (i << 7)
  h = h ~ (h >> 11)
  h = (h * 0x5bd1e995) & 0xffffffff
end

-- while loop with a counter and a conditional
local count, k = 0, 0
while k < n // 2 do
  if k % 3 == 0 or k % 5 == 0 then count = count + 1 end
  k = k + 1
end

print(string.format("int %d  float %.9f %.9f  bits %d  while %d", isum, x, v, h, count))
