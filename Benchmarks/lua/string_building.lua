-- String building: table.concat buffers, repeated .., string.format, string.rep, and reading back.
-- Usage: lua string_building.lua [n]   (default 800000)
local n = tonumber(arg and arg[1]) or 800000

-- 1. a buffer of formatted lines joined with table.concat
local buf = {}
for i = 1, n do
  buf[#buf + 1] = string.format("%d:%s:%.2f;", i, (i % 7 == 0) and "seven" or "x", i / 8)
end
local joined = table.concat(buf)

-- 2. quadratic-looking .. building, but reset often so the strings stay short
local pieces, concatLen = 0, 0
local s = ""
for i = 1, n do
  s = s .. tostring(i % 10) .. ","
  if #s > 200 then concatLen = concatLen + #s; s = ""; pieces = pieces + 1 end
end

-- 3. string.rep with separators and upper/lower/reverse
local repLen = 0
for i = 1, n // 10 do
  local r = string.rep("ab", i % 50, "-")
  repLen = repLen + #r:upper():reverse()
end

-- 4. scan the joined buffer back with find and byte
local sevens = 0
local pos = 1
while true do
  local a, b = string.find(joined, "seven", pos, true)
  if not a then break end
  sevens = sevens + 1
  pos = b + 1
end
local byteSum = 0
for i = 1, #joined, 97 do byteSum = byteSum + joined:byte(i) end

-- 5. building a multi-line report with string.format padding
local lines = {}
for i = 1, n // 10 do
  lines[#lines + 1] = string.format("%-8s|%8d|%08.3f|%x", "row" .. i, i * 3, i / 7, i)
end
local report = table.concat(lines, "\n")

print(string.format("joined %d  concat %d/%d  rep %d  sevens %d  bytes %d  report %d",
  #joined, concatLen, pieces, repLen, sevens, byteSum, #report))
