local function counter(start)
  local n = start
  return function(step)
    n = n + step
    return n
  end, function() n = 0 end
end
local shared = 1
local function outer()
  return function() return function() shared = shared + 1 return shared end end
end
for i = 1, 3 do
  local captured = i
  local f = function() return captured end
end
return counter, outer
