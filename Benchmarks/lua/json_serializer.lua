-- A small JSON encoder and decoder: string escaping, recursion, string.format, gsub and patterns.
-- Usage: lua json_serializer.lua [n]   (default 5000)
local n = tonumber(arg and arg[1]) or 5000

local escapes = { ['"'] = '\\"', ['\\'] = '\\\\', ['\n'] = '\\n', ['\t'] = '\\t', ['\r'] = '\\r' }
local encode
local function encodeString(s)
  return '"' .. s:gsub('[%c"\\]', function(c) return escapes[c] or string.format("\\u%04x", c:byte()) end) .. '"'
end
function encode(v, out)
  local t = type(v)
  if t == "table" then
    if #v > 0 or next(v) == nil then
      out[#out + 1] = "["
      for i = 1, #v do
        if i > 1 then out[#out + 1] = "," end
        encode(v[i], out)
      end
      out[#out + 1] = "]"
    else
      local keys = {}
      for k in pairs(v) do keys[#keys + 1] = k end
      table.sort(keys)
      out[#out + 1] = "{"
      for i, k in ipairs(keys) do
        if i > 1 then out[#out + 1] = "," end
        out[#out + 1] = encodeString(k)
        out[#out + 1] = ":"
        encode(v[k], out)
      end
      out[#out + 1] = "}"
    end
  elseif t == "string" then out[#out + 1] = encodeString(v)
  elseif t == "number" then
    out[#out + 1] = math.type(v) == "integer" and tostring(v) or string.format("%.14g", v)
  elseif t == "boolean" then out[#out + 1] = tostring(v)
  else out[#out + 1] = "null" end
  return out
end

local decodeValue
local function skip(s, i) return s:find("[^ \t\r\n]", i) or #s + 1 end
local function decodeString(s, i)
  local buf, j = {}, i + 1
  while true do
    local c = s:sub(j, j)
    if c == '"' then return table.concat(buf), j + 1 end
    if c == "\\" then
      local e = s:sub(j + 1, j + 1)
      if e == "u" then buf[#buf + 1] = string.char(tonumber(s:sub(j + 2, j + 5), 16)); j = j + 6
      else buf[#buf + 1] = ({ n = "\n", t = "\t", r = "\r" })[e] or e; j = j + 2 end
    else
      local k = s:find('["\\]', j)
      buf[#buf + 1] = s:sub(j, k - 1)
      j = k
    end
  end
end
function decodeValue(s, i)
  i = skip(s, i)
  local c = s:sub(i, i)
  if c == "{" then
    local obj = {}
    i = skip(s, i + 1)
    if s:sub(i, i) == "}" then return obj, i + 1 end
    while true do
      local k
      k, i = decodeString(s, skip(s, i))
      i = skip(s, i) + 1
      obj[k], i = decodeValue(s, i)
      i = skip(s, i)
      local d = s:sub(i, i)
      i = i + 1
      if d == "}" then return obj, i end
    end
  elseif c == "[" then
    local arr = {}
    i = skip(s, i + 1)
    if s:sub(i, i) == "]" then return arr, i + 1 end
    while true do
      arr[#arr + 1], i = decodeValue(s, i)
      i = skip(s, i)
      local d = s:sub(i, i)
      i = i + 1
      if d == "]" then return arr, i end
    end
  elseif c == '"' then return decodeString(s, i)
  elseif s:sub(i, i + 3) == "true" then return true, i + 4
  elseif s:sub(i, i + 4) == "false" then return false, i + 5
  elseif s:sub(i, i + 3) == "null" then return nil, i + 4
  else
    local num = s:match("^-?%d+%.?%d*[eE]?[-+]?%d*", i)
    return math.tointeger(tonumber(num)) or tonumber(num), i + #num
  end
end

local function makeRecord(i)
  return {
    id = i, name = "item\t" .. i, price = i * 1.25, tags = { "a" .. i % 5, "b\n" .. i % 3, 'q"' },
    active = i % 2 == 0, nested = { depth = { level = i % 10, list = { 1, 2, 3, i } } },
  }
end

local totalLen, checksum = 0, 0
for i = 1, n do
  local records = {}
  for j = 1, 10 do records[j] = makeRecord(i * 10 + j) end
  local text = table.concat(encode(records, {}))
  totalLen = totalLen + #text
  local back = decodeValue(text, 1)
  for j = 1, #back do
    checksum = (checksum + back[j].id + back[j].nested.depth.list[4] + #back[j].tags[2] + (back[j].active and 1 or 0)) % 1000000007
  end
  if i == 1 then print(text:sub(1, 120)) end
end
print(string.format("json bytes %d  checksum %d", totalLen, checksum))
