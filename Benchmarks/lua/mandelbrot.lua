-- Mandelbrot set membership on an n x n grid; prints a checksum instead of an image.
-- Usage: lua mandelbrot.lua [n]   (default 1750)
local n = tonumber(arg and arg[1]) or 1750
local maxIter = 50

local inside, rowHash = 0, 0
for y = 0, n - 1 do
  local ci = 2.0 * y / n - 1.0
  local bits = 0
  for x = 0, n - 1 do
    local cr = 2.0 * x / n - 1.5
    local zr, zi, zr2, zi2 = 0.0, 0.0, 0.0, 0.0
    local escaped = false
    for _ = 1, maxIter do
      zi = 2.0 * zr * zi + ci
      zr = zr2 - zi2 + cr
      zr2 = zr * zr
      zi2 = zi * zi
      if zr2 + zi2 > 4.0 then escaped = true; break end
    end
    if not escaped then
      inside = inside + 1
      bits = (bits * 2 + 1) % 2147483647
    else
      bits = (bits * 2) % 2147483647
    end
  end
  rowHash = (rowHash * 31 + bits) % 1000000007
end
print(string.format("mandelbrot %dx%d  inside %d  hash %d", n, n, inside, rowHash))
