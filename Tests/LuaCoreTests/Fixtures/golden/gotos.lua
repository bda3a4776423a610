for i = 1, 3 do
  for j = 1, 3 do
    if j == 2 then goto continue end
    local x = i * j
    local f = function() return x end
    ::continue::
  end
end
local k = 0
::again::
k = k + 1
if k < 5 then goto again end
return k
