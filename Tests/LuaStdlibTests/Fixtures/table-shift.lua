-- table.insert/table.remove shifting elements: plain tables (array part, hash part, holes) and a table with __newindex.
local t = {}
for i = 1, 10 do table.insert(t, 1, i) end
print(table.concat(t, ","))
table.insert(t, 5, "x") print(table.concat(t, ","))
print(table.remove(t, 1), table.remove(t, 3), table.remove(t), #t, table.concat(t, ","))
local u = {1, 2, 3, nil, 5} print(table.remove(u, 1), #u)
local w = setmetatable({1,2,3}, {__newindex = function(t,k,v) rawset(t,k,v) end}) table.insert(w, 1, 0) print(table.concat(w, ","))
local h = {} for i = 1, 20 do h[i] = i end h[30] = 30 table.insert(h, 2, -1) print(#h, h[2], h[21], h[22]) print(table.remove(h, 1), h[1], #h)
