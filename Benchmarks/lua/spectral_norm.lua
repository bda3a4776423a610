-- Spectral norm of the infinite matrix A(i,j) = 1/((i+j)(i+j+1)/2 + i + 1) by power iteration.
-- Usage: lua spectral_norm.lua [n]   (default 1100)
local n = tonumber(arg and arg[1]) or 1100

local function A(i, j)
  local ij = i + j
  return 1.0 / (ij * (ij + 1) // 2 + i + 1)
end

local function mulAv(v, out, size)
  for i = 0, size - 1 do
    local s = 0.0
    for j = 0, size - 1 do s = s + A(i, j) * v[j + 1] end
    out[i + 1] = s
  end
end

local function mulAtv(v, out, size)
  for i = 0, size - 1 do
    local s = 0.0
    for j = 0, size - 1 do s = s + A(j, i) * v[j + 1] end
    out[i + 1] = s
  end
end

local function mulAtAv(v, out, tmp, size)
  mulAv(v, tmp, size)
  mulAtv(tmp, out, size)
end

local u, v, tmp = {}, {}, {}
for i = 1, n do u[i] = 1.0; v[i] = 0.0; tmp[i] = 0.0 end
for _ = 1, 10 do
  mulAtAv(u, v, tmp, n)
  mulAtAv(v, u, tmp, n)
end
local vBv, vv = 0.0, 0.0
for i = 1, n do
  vBv = vBv + u[i] * v[i]
  vv = vv + v[i] * v[i]
end
print(string.format("%0.9f", math.sqrt(vBv / vv)))
