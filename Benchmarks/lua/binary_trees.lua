-- Allocation-heavy binary trees: build, check and discard many trees (GC stress).
-- Usage: lua binary_trees.lua [depth]   (default 16)
local maxDepth = tonumber(arg and arg[1]) or 16
local minDepth = 4
if maxDepth < minDepth + 2 then maxDepth = minDepth + 2 end

-- nodes are two-element arrays; leaves have no children
local function make(depth)
  if depth == 0 then return { false, false } end
  depth = depth - 1
  return { make(depth), make(depth) }
end

local function check(node)
  local left = node[1]
  if not left then return 1 end
  return 1 + check(left) + check(node[2])
end

local stretch = make(maxDepth + 1)
print(string.format("stretch tree of depth %d\t check: %d", maxDepth + 1, check(stretch)))
stretch = nil

local longLived = make(maxDepth)
for depth = minDepth, maxDepth, 2 do
  local iterations = 1 << (maxDepth - depth + minDepth)
  local sum = 0
  for _ = 1, iterations do sum = sum + check(make(depth)) end
  print(string.format("%d\t trees of depth %d\t check: %d", iterations, depth, sum))
end
print(string.format("long lived tree of depth %d\t check: %d", maxDepth, check(longLived)))
