local sum = 0
for i = 1, 100 do sum = sum + i end
for i = 10, 1, -2 do sum = sum - i end
for k, v in pairs({a = 1}) do sum = sum + v end
while sum > 0 do sum = sum - 7 end
repeat sum = sum + 1 until sum >= 10
for i = 1, 3 do if i == 2 then break end end
return sum
