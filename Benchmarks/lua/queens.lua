-- N-queens: count all solutions with backtracking over arrays, plus a bitmask solver.
-- Usage: lua queens.lua [n]   (default 12)
local n = tonumber(arg and arg[1]) or 12

local function countArrays(size)
  local cols, diag1, diag2 = {}, {}, {}
  local count = 0
  local function place(row)
    if row > size then count = count + 1; return end
    for c = 1, size do
      local d1, d2 = row + c, row - c + size
      if not cols[c] and not diag1[d1] and not diag2[d2] then
        cols[c], diag1[d1], diag2[d2] = true, true, true
        place(row + 1)
        cols[c], diag1[d1], diag2[d2] = false, false, false
      end
    end
  end
  place(1)
  return count
end

local function countBits(size)
  local all = (1 << size) - 1
  local function solve(colsMask, d1, d2)
    if colsMask == all then return 1 end
    local total = 0
    local avail = all & ~(colsMask | d1 | d2)
    while avail ~= 0 do
      local bit = avail & -avail
      avail = avail ~ bit
      total = total + solve(colsMask | bit, ((d1 | bit) << 1) & all, (d2 | bit) >> 1)
    end
    return total
  end
  return solve(0, 0, 0)
end

local a = countArrays(n)
local b = 0
for _ = 1, 4 do b = b + countBits(n + 1) end
print(string.format("queens(%d) = %d  bitmask queens(%d) x4 = %d", n, a, n + 1, b))
