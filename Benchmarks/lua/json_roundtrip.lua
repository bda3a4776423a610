-- JSON encode/decode round trip in the style of the popular pure-Lua JSON libraries (rxi's
-- json.lua and its relatives): the decoder scans with string.find/sub/byte and a dispatch table
-- keyed by the first character, the encoder escapes with gsub and joins with table.concat.
-- Objects are encoded with sorted keys so that the text does not depend on table order.
-- Usage: lua json_roundtrip.lua [n]   (default 120; n documents of 40 records each)
local n = tonumber(arg and arg[1]) or 120

local json = {}

---------------------------------------------------------------- encoding

local escapeMap = {
  ["\\"] = "\\\\", ['"'] = '\\"', ["\b"] = "\\b", ["\f"] = "\\f",
  ["\n"] = "\\n", ["\r"] = "\\r", ["\t"] = "\\t",
}

local function escapeChar(c)
  return escapeMap[c] or string.format("\\u%04x", c:byte())
end

local encodeValue

local function encodeNil() return "null" end

local function encodeTable(v, stack)
  stack = stack or {}
  if stack[v] then error("circular reference") end
  stack[v] = true
  local res = {}
  if rawget(v, 1) ~= nil or next(v) == nil then
    -- an array: keys must be 1..n
    local count = 0
    for k in pairs(v) do
      if type(k) ~= "number" then error("invalid table: mixed or invalid key types") end
      count = count + 1
    end
    if count ~= #v then error("invalid table: sparse array") end
    for i, x in ipairs(v) do res[i] = encodeValue(x, stack) end
    stack[v] = nil
    return "[" .. table.concat(res, ",") .. "]"
  end
  local keys = {}
  for k in pairs(v) do
    if type(k) ~= "string" then error("invalid table: mixed or invalid key types") end
    keys[#keys + 1] = k
  end
  table.sort(keys)
  for i, k in ipairs(keys) do
    res[i] = encodeValue(k, stack) .. ":" .. encodeValue(v[k], stack)
  end
  stack[v] = nil
  return "{" .. table.concat(res, ",") .. "}"
end

local function encodeString(v)
  return '"' .. v:gsub('[%c"\\]', escapeChar) .. '"'
end

local function encodeNumber(v)
  if v ~= v or v <= -math.huge or v >= math.huge then
    error("unexpected number value '" .. tostring(v) .. "'")
  end
  if math.type(v) == "integer" then return string.format("%d", v) end
  return string.format("%.14g", v)
end

local typeEncoders = {
  ["nil"] = encodeNil, ["table"] = encodeTable, ["string"] = encodeString,
  ["number"] = encodeNumber, ["boolean"] = tostring,
}

encodeValue = function(v, stack)
  local f = typeEncoders[type(v)]
  if f then return f(v, stack) end
  error("unexpected type '" .. type(v) .. "'")
end

function json.encode(v) return encodeValue(v) end

---------------------------------------------------------------- decoding

local function makeSet(...)
  local set = {}
  for i = 1, select("#", ...) do set[select(i, ...)] = true end
  return set
end

local spaceChars = makeSet(" ", "\t", "\r", "\n")
local delimChars = makeSet(" ", "\t", "\r", "\n", "]", "}", ",")
local escapeChars = makeSet("\\", "/", '"', "b", "f", "n", "r", "t", "u")
local literals = makeSet("true", "false", "null")
local literalValues = { ["true"] = true, ["false"] = false }
local unescapes = { b = "\b", f = "\f", n = "\n", r = "\r", t = "\t", ['"'] = '"', ["\\"] = "\\", ["/"] = "/" }

-- the first index at or after idx whose character is (or, negated, is not) in set
local function nextChar(str, idx, set, negate)
  for i = idx, #str do
    if set[str:sub(i, i)] ~= negate then return i end
  end
  return #str + 1
end

local function decodeError(str, idx, msg)
  local line, col = 1, 1
  for i = 1, idx - 1 do
    col = col + 1
    if str:sub(i, i) == "\n" then line = line + 1; col = 1 end
  end
  error(string.format("%s at line %d col %d", msg, line, col))
end

local function codepointToUtf8(cp)
  local f = math.floor
  if cp <= 0x7f then return string.char(cp)
  elseif cp <= 0x7ff then return string.char(f(cp / 64) + 192, cp % 64 + 128)
  elseif cp <= 0xffff then return string.char(f(cp / 4096) + 224, f(cp % 4096 / 64) + 128, cp % 64 + 128)
  elseif cp <= 0x10ffff then
    return string.char(f(cp / 262144) + 240, f(cp % 262144 / 4096) + 128, f(cp % 4096 / 64) + 128, cp % 64 + 128)
  end
  error(string.format("invalid unicode codepoint '%x'", cp))
end

local function parseUnicodeEscape(s)
  local n1 = tonumber(s:sub(1, 4), 16)
  local n2 = tonumber(s:sub(7, 10), 16)
  if n2 then return codepointToUtf8((n1 - 0xd800) * 0x400 + (n2 - 0xdc00) + 0x10000) end
  return codepointToUtf8(n1)
end

local parse

local function parseString(str, i)
  local res = {}
  local j = i + 1
  local k = j
  while j <= #str do
    local x = str:byte(j)
    if x < 32 then
      decodeError(str, j, "control character in string")
    elseif x == 92 then -- backslash
      res[#res + 1] = str:sub(k, j - 1)
      j = j + 1
      local c = str:sub(j, j)
      if c == "u" then
        local hex = str:match("^[dD][89aAbB]%x%x\\u%x%x%x%x", j + 1)
          or str:match("^%x%x%x%x", j + 1)
          or decodeError(str, j - 1, "invalid unicode escape in string")
        res[#res + 1] = parseUnicodeEscape(hex)
        j = j + #hex
      else
        if not escapeChars[c] then decodeError(str, j - 1, "invalid escape char '" .. c .. "' in string") end
        res[#res + 1] = unescapes[c]
      end
      k = j + 1
    elseif x == 34 then -- closing quote
      res[#res + 1] = str:sub(k, j - 1)
      return table.concat(res), j + 1
    end
    j = j + 1
  end
  decodeError(str, i, "expected closing quote for string")
end

local function parseNumber(str, i)
  local x = nextChar(str, i, delimChars)
  local s = str:sub(i, x - 1)
  local num = tonumber(s)
  if not num then decodeError(str, i, "invalid number '" .. s .. "'") end
  return num, x
end

local function parseLiteral(str, i)
  local x = nextChar(str, i, delimChars)
  local word = str:sub(i, x - 1)
  if not literals[word] then decodeError(str, i, "invalid literal '" .. word .. "'") end
  return literalValues[word], x
end

local function parseArray(str, i)
  local res = {}
  local count = 1
  i = i + 1
  while true do
    local x
    i = nextChar(str, i, spaceChars, true)
    if str:sub(i, i) == "]" then i = i + 1; break end
    x, i = parse(str, i)
    res[count] = x
    count = count + 1
    i = nextChar(str, i, spaceChars, true)
    local chr = str:sub(i, i)
    i = i + 1
    if chr == "]" then break end
    if chr ~= "," then decodeError(str, i, "expected ']' or ','") end
  end
  return res, i
end

local function parseObject(str, i)
  local res = {}
  i = i + 1
  while true do
    local key, val
    i = nextChar(str, i, spaceChars, true)
    if str:sub(i, i) == "}" then i = i + 1; break end
    if str:sub(i, i) ~= '"' then decodeError(str, i, "expected string for key") end
    key, i = parse(str, i)
    i = nextChar(str, i, spaceChars, true)
    if str:sub(i, i) ~= ":" then decodeError(str, i, "expected ':' after key") end
    i = nextChar(str, i + 1, spaceChars, true)
    val, i = parse(str, i)
    res[key] = val
    i = nextChar(str, i, spaceChars, true)
    local chr = str:sub(i, i)
    i = i + 1
    if chr == "}" then break end
    if chr ~= "," then decodeError(str, i, "expected '}' or ','") end
  end
  return res, i
end

local charParsers = {
  ['"'] = parseString, ["0"] = parseNumber, ["1"] = parseNumber, ["2"] = parseNumber,
  ["3"] = parseNumber, ["4"] = parseNumber, ["5"] = parseNumber, ["6"] = parseNumber,
  ["7"] = parseNumber, ["8"] = parseNumber, ["9"] = parseNumber, ["-"] = parseNumber,
  ["t"] = parseLiteral, ["f"] = parseLiteral, ["n"] = parseLiteral,
  ["["] = parseArray, ["{"] = parseObject,
}

parse = function(str, idx)
  local chr = str:sub(idx, idx)
  local f = charParsers[chr]
  if f then return f(str, idx) end
  decodeError(str, idx, "unexpected character '" .. chr .. "'")
end

function json.decode(str)
  local res, idx = parse(str, nextChar(str, 1, spaceChars, true))
  idx = nextChar(str, idx, spaceChars, true)
  if idx <= #str then decodeError(str, idx, "trailing garbage") end
  return res
end

---------------------------------------------------------------- the workload

local seed = 20261205
local function rand(m)
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed % m
end

local words = { "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta",
  "iota", "kappa", "lambda", "mu", "caf\195\169", "na\195\175ve", "\226\130\172uro", "tab\there",
  'say "hi"', "back\\slash", "line\nbreak", "ctrl\1char" }

local function sentence(len)
  local parts = {}
  for i = 1, len do parts[i] = words[rand(#words) + 1] end
  return table.concat(parts, " ")
end

local function record(id)
  local tags = {}
  for i = 1, rand(5) + 1 do tags[i] = words[rand(#words) + 1] end
  local scores = {}
  for i = 1, rand(6) + 2 do scores[i] = rand(100000) / 64 - 500 end
  return {
    id = id,
    name = sentence(2),
    description = sentence(rand(12) + 3),
    price = rand(1000000) / 100,
    quantity = rand(1000),
    ratio = rand(2000000) / 1000003,
    active = rand(2) == 0,
    tags = tags,
    scores = scores,
    owner = { name = sentence(1), email = words[rand(12) + 1] .. "@example.com", level = rand(10) },
    history = {
      { at = 1700000000 + rand(100000), event = "created" },
      { at = 1700100000 + rand(100000), event = sentence(1), note = sentence(3) },
    },
  }
end

local totalBytes, checksum = 0, 0
local first
for doc = 1, n do
  local records = {}
  for i = 1, 40 do records[i] = record(doc * 100 + i) end
  local text = json.encode({ page = doc, count = #records, items = records, more = doc < n })
  local back = json.decode(text)
  local again = json.encode(back)
  if again ~= text then error("round trip changed document " .. doc) end
  totalBytes = totalBytes + #text
  for i = 1, #back.items do
    local r = back.items[i]
    checksum = (checksum * 31 + r.id + r.quantity + #r.description + #r.tags + r.owner.level
      + math.floor(r.price) + (r.active and 7 or 0) + #r.history[2].note) % 1000000007
  end
  if doc == 1 then first = text end
end
-- some hand-written inputs: whitespace, escapes, surrogate pairs, literals, nested empties
local extra = json.decode(' { "a" : [ 1, -2.5e3, true, false, "\\u00e9\\ud83d\\ude00\\/" ] ,\n\t"b" : { "c" : [ [ ], { } ], "n" : null } } ')
print(first:sub(1, 160))
print(json.encode(extra))
print(pcall(json.decode, '{"a": [1, 2,, 3]}'))
print(pcall(json.decode, '"unterminated'))
print(string.format("json documents %d  bytes %d  checksum %d", n, totalBytes, checksum))
