-- Table keys: integer/float normalization, special keys, nested tables, constructors.
local t = {}
t[1] = "int"; t[1.0] = "float one"
print(t[1], #t)
t[2^53] = "2^53"
print(t[2^53 | 0], t[9007199254740992])
t[-0.0] = "negzero"
print(t[0], t[0.0])
t[1.5] = "fraction"
print(t[1.5], t[3 / 2])

-- keys of different types are distinct
local d = {}
d[1] = "number"; d["1"] = "string"; d[true] = "bool"
print(d[1], d["1"], d[true], d[false])

-- next returns normalized keys
local n = { [3.0] = "x" }
local k = next(n)
print(k, math.type(k))

-- tables, functions as keys
local kt, kf = {}, function() end
local m = { [kt] = "table key", [kf] = "function key" }
print(m[kt], m[kf], m[{}])

-- constructors: positional, named, computed, trailing separators, mixes
local c = { 1, 2, 3; x = "x", ["y z"] = "yz", [10] = "ten", 4, }
print(#c, c[4], c.x, c["y z"], c[10])
local override = { [1] = "explicit", "positional" }
print(override[1])
local override2 = { "positional", [1] = "explicit" }
print(override2[1])
local nested = { a = { b = { c = { d = "deep" } } }, list = { { 1 }, { 2, { 3 } } } }
print(nested.a.b.c.d, nested.list[2][2][1], #nested.list)

-- field access sugar
local obj = { ["with space"] = 1, _under = 2, ["end"] = 3 }
print(obj["with space"], obj._under, obj["end"])

-- numeric keys beyond the array part
local sparse = {}
sparse[1000000] = "far"
sparse[-5] = "neg"
sparse[0] = "zero"
print(sparse[1000000], sparse[-5], sparse[0], #sparse)

-- growing and shrinking
local g = {}
for i = 1, 1000 do g[i] = i end
for i = 1, 1000, 2 do g[i] = nil end
local cnt = 0
for _ in pairs(g) do cnt = cnt + 1 end
print("remaining", cnt)
for i = 1, 1000 do g[i] = nil end
print("empty", next(g))

-- string keys with the same content are the same key
local sk = {}
sk["ab" .. "cd"] = 1
sk[string.rep("ab", 1) .. "cd"] = sk["abcd"] + 1
print(sk.abcd)

-- NaN and nil keys
print(pcall(function() local x = {}; x[0/0] = 1 end))
print(pcall(function() local x = {}; x[nil] = 1 end))
print(({})[nil], ({})[0/0])
print(pcall(function() return { [nil] = 1 } end))

-- rawget with float keys
local r = { [2] = "two" }
print(rawget(r, 2.0), rawget(r, 2), rawget(r, "2"))

-- large integer keys are not converted to floats
local big = {}
big[math.maxinteger] = "max"
big[math.mininteger] = "min"
print(big[math.maxinteger], big[math.mininteger], big[2^63])

-- float keys that are not integral stay floats
local fk = {}
for i = 1, 5 do fk[i / 2] = i end
local keys = {}
for key in pairs(fk) do keys[#keys + 1] = key end
table.sort(keys)
for i = 1, #keys do keys[i] = tostring(keys[i]) .. ":" .. math.type(keys[i]) end
print(table.concat(keys, " "))

-- table identity
local t1 = {}
local t2 = t1
t2.x = 5
print(t1.x, t1 == t2)

-- deep copy and comparison
local function deepcopy(v)
  if type(v) ~= "table" then return v end
  local out = {}
  for kk, vv in pairs(v) do out[deepcopy(kk)] = deepcopy(vv) end
  return out
end
local function serialize(v)
  if type(v) ~= "table" then return type(v) == "string" and string.format("%q", v) or tostring(v) end
  local ks = {}
  for kk in pairs(v) do ks[#ks + 1] = kk end
  table.sort(ks, function(a, b)
    if type(a) == type(b) then return a < b end
    return type(a) < type(b)
  end)
  local parts = {}
  for _, kk in ipairs(ks) do parts[#parts + 1] = "[" .. serialize(kk) .. "]=" .. serialize(v[kk]) end
  return "{" .. table.concat(parts, ",") .. "}"
end
local orig = { 1, 2, { 3, 4 }, name = "n", sub = { x = 1.5, y = { true, false } } }
local copy = deepcopy(orig)
print(serialize(copy))
print(serialize(orig) == serialize(copy), copy.sub ~= orig.sub)
