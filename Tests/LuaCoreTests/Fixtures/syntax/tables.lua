-- Table constructors: list, record, mixed, nested, large, open-ended.
local e = {}
local l = {1, 2, 3, "four", 5.0, nil, true}
local r = {a = 1, b = "x", ["c d"] = 3, [1.5] = 4, [10] = 5}
local m = {1, a = 2; 3, [4] = 5, 6,}
local n = {{1}, {2, {3}}, {x = {y = {z = 1}}}}
local v = {f(), g()}
local w = {f(), g(), nil}
local big = {
  1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
  21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
  41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60,
}
local keys = {x = 1, y = 2, z = 3, [true] = 4, [false] = 5}
local t = {}
t[1] = 1; t.x = 2; t[x] = 3; t["long key that is longer than forty bytes, really"] = 4
t[300] = 5; t[-1] = 6; t[1.0] = 7
return e, l, r, m, n, v, w, big, keys, t
