-- Hostile integers that once trapped (Swift overflow) instead of raising Lua errors.
-- Each probe runs protected; a normal computation follows each on the same state.
local function show(...)
  local r = table.pack(...)
  local out = {}
  for i = 1, r.n do
    local v = r[i]
    out[#out + 1] = type(v) == "table" and "table" or tostring(v)
  end
  return table.concat(out, " ")
end

local function normal()
  local t = {}
  for i = 1, 10 do t[i] = i * i end
  return table.concat(t, ",")
end

local big = setmetatable({}, {__len = function() return math.maxinteger end})
local small = setmetatable({}, {__len = function() return math.mininteger end})

local probes = {
  {"collectgarbage step 2^53", function() return type(collectgarbage("step", 2^53)) end},
  {"collectgarbage step maxinteger", function() return type(collectgarbage("step", math.maxinteger)) end},
  {"os.time year 2^31", function() return os.time{year = 2^31, month = 1, day = 1} end},
  {"os.time year 2^31+1899", function() return os.time{year = 2^31 + 1899, month = 1, day = 1} end},
  {"os.time year maxinteger", function() return os.time{year = math.maxinteger, month = 1, day = 1} end},
  {"os.time all fields 2^31-1", function()
    return os.time{year = 2^31 - 1, month = 2^31 - 1, day = 2^31 - 1, hour = 2^31 - 1, min = 2^31 - 1, sec = 2^31 - 1}
  end},
  {"os.date *t 67768036191676799", function()
    local t = os.date("!*t", 67768036191676799)
    return t.year, t.month, t.day, t.yday
  end},
  {"os.date *t maxinteger", function() return os.date("!*t", math.maxinteger) end},
  {"os.date *t mininteger", function() return os.date("!*t", math.mininteger) end},
  {"table.insert __len maxinteger", function() table.insert(big, 2, "x"); return rawget(big, 2) end},
  {"table.insert __len mininteger", function() table.insert(small, 2, "x"); return rawget(small, 2) end},
  {"table.insert __len maxinteger append", function() table.insert(big, "y"); return rawget(big, math.mininteger) end},
  {"table.remove __len mininteger", function() return table.remove(small) end},
  {"table.move to maxinteger", function() return #table.move({1, 2}, 1, 2, math.maxinteger) end},
  {"table.move whole range", function() return table.move({}, math.mininteger, math.maxinteger, 1) end},
  {"table.unpack huge", function() return table.unpack({}, math.mininteger, math.maxinteger) end},
  {"table.concat reversed range", function() return table.concat({}, "x", math.maxinteger, math.mininteger) end},
  {"string.sub extremes", function() return string.sub("abc", math.mininteger, math.maxinteger) end},
  {"string.byte extremes", function() return string.byte("abc", math.mininteger, math.maxinteger) end},
  {"string.rep too large", function() return string.rep("ab", math.maxinteger, ",") end},
  {"string.find init maxinteger", function() return string.find("abc", "", math.maxinteger) end},
  {"string.unpack init mininteger", function() return string.unpack("i4", "abcd", math.mininteger) end},
  {"string.unpack s with huge length", function() return string.unpack("s", string.pack("j", -1)) end},
  {"utf8.offset extremes", function() return utf8.offset("abc", 1, math.mininteger) end},
  {"utf8.codepoint extremes", function() return utf8.codepoint("abc", math.mininteger, math.maxinteger) end},
  {"utf8.char too large", function() return utf8.char(math.maxinteger) end},
  {"select mininteger", function() return select(math.mininteger, 1, 2) end},
  {"math.random full range", function() return math.type(math.random(math.mininteger, math.maxinteger)) end},
  {"math.fmod mininteger -1", function() return math.fmod(math.mininteger, -1) end},
  {"mininteger // -1", function() return math.mininteger // -1, math.mininteger % -1 end},
  {"tonumber base maxinteger", function() return tonumber("1", math.maxinteger) end},
  {"format huge width", function() return string.format("%" .. string.rep("9", 20) .. "d", 1) end},
}

for _, p in ipairs(probes) do
  print(p[1], show(pcall(p[2])))
  print("  then", normal())
end
