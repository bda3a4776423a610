-- goto and labels with Lua 5.4 visibility rules.
for i = 1, 3 do
  for j = 1, 3 do
    if j == 2 then goto continue end
    print(i, j)
    ::continue::
  end
end
do
  local i = 1
  ::top::
  i = i + 1
  if i < 10 then goto top end
end
do
  goto forward
  local a
  ::forward::
end
while true do
  local x = 1
  local f = function() return x end
  if f() then goto out end
end
::out::
repeat
  local u = 1
  goto cont
  ::cont::
until u
do ::a:: end
do ::a:: end
