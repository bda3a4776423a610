-- A serializer in the style of serpent and inspect.lua: pretty-prints nested tables with
-- indentation, sorted keys of mixed types (numbers before strings, by a Lua comparator),
-- identifiers as bare keys, strings through string.format("%q"), floats with "%.17g", shared
-- and cyclic references named, then loads the text back with load() and prints it again.
-- Usage: lua serializer.lua [n]   (default 500; n documents)
local n = tonumber(arg and arg[1]) or 500

local keywords = {}
for w in ([[and break do else elseif end false for function goto if in local nil not or
  repeat return then true until while]]):gmatch("%a+") do keywords[w] = true end

local function isIdentifier(s)
  return type(s) == "string" and s:match("^[%a_][%w_]*$") ~= nil and not keywords[s]
end

-- numbers first (by value), then strings, then everything else (by type name)
local typeOrder = { number = 1, string = 2, boolean = 3, table = 4 }
local function keyLess(a, b)
  local ta, tb = type(a), type(b)
  if ta ~= tb then return (typeOrder[ta] or 9) < (typeOrder[tb] or 9) end
  if ta == "number" or ta == "string" then return a < b end
  return tostring(a) < tostring(b)
end

local function literal(v)
  local t = type(v)
  if t == "string" then return string.format("%q", v) end
  if t == "number" then
    if math.type(v) == "integer" then return tostring(v) end
    if v ~= v then return "0/0" end
    if v == math.huge then return "math.huge" end
    if v == -math.huge then return "-math.huge" end
    return string.format("%.17g", v)
  end
  return tostring(v)
end

-- counts how often each table is reached, to name the shared ones
local function countRefs(v, refs)
  if type(v) ~= "table" then return end
  refs[v] = (refs[v] or 0) + 1
  if refs[v] > 1 then return end
  for k, x in pairs(v) do
    countRefs(k, refs)
    countRefs(x, refs)
  end
end

local function serialize(root, indent)
  indent = indent or "  "
  local refs, names, out, fixups = {}, {}, {}, {}
  countRefs(root, refs)

  local function emit(s) out[#out + 1] = s end

  local function value(v, level, path)
    if type(v) ~= "table" then emit(literal(v)); return end
    if names[v] then
      -- seen before: refer to its first place, patched in after the main value is built
      fixups[#fixups + 1] = path .. " = " .. names[v]
      emit("nil --[[" .. names[v] .. "]]")
      return
    end
    if refs[v] > 1 then names[v] = path end
    local keys, arrayLen = {}, #v
    for k in pairs(v) do
      if not (math.type(k) == "integer" and k >= 1 and k <= arrayLen) then keys[#keys + 1] = k end
    end
    table.sort(keys, keyLess)
    if arrayLen == 0 and #keys == 0 then emit("{}"); return end
    local pad, inner = string.rep(indent, level), string.rep(indent, level + 1)
    emit("{\n")
    for i = 1, arrayLen do
      emit(inner)
      value(v[i], level + 1, path .. "[" .. i .. "]")
      emit(",\n")
    end
    for _, k in ipairs(keys) do
      emit(inner)
      local sub
      if isIdentifier(k) then
        emit(k)
        sub = path .. "." .. k
      else
        emit("[")
        emit(literal(k))
        emit("]")
        sub = path .. "[" .. literal(k) .. "]"
      end
      emit(" = ")
      value(v[k], level + 1, sub)
      emit(",\n")
    end
    emit(pad)
    emit("}")
  end

  value(root, 0, "root")
  local body = table.concat(out)
  if #fixups == 0 then return "return " .. body end
  return "local root = " .. body .. "\n" .. table.concat(fixups, "\n") .. "\nreturn root"
end

local seed = 77
local function rand(m)
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed % m
end

local names = { "ada", "grace", "alan", "edsger", "barbara", "donald", "end", "for", "x y",
  "tab\tname", "quote\"d", "new\nline", "nul\0byte", "caf\195\169", "_private", "2fast" }

local function leaf(depth)
  local r = rand(6)
  if r == 0 then return rand(1000000) - 500000 end
  if r == 1 then return rand(10000000) / 7 end
  if r == 2 then return names[rand(#names) + 1] .. rand(100) end
  if r == 3 then return rand(2) == 0 end
  if r == 4 then return string.rep(names[rand(#names) + 1], rand(3) + 1, "/") end
  return rand(100) / 8
end

local function node(depth, shared)
  local t = {}
  for i = 1, rand(5) do t[i] = depth > 0 and rand(3) == 0 and node(depth - 1, shared) or leaf(depth) end
  for _ = 1, rand(6) + 1 do
    local k = rand(3) == 0 and rand(50) + 0.5 or names[rand(#names) + 1]
    t[k] = depth > 0 and rand(2) == 0 and node(depth - 1, shared) or leaf(depth)
  end
  if rand(4) == 0 then t[rand(1000) + 100] = leaf(depth) end
  if rand(8) == 0 then t.shared = shared end
  return t
end

local totalBytes, checksum, reloaded = 0, 0, 0
local first
for doc = 1, n do
  local shared = { kind = "shared", doc = doc }
  local root = node(4, shared)
  root.self = root
  root.meta = { doc = doc, inf = math.huge, ninf = -math.huge, small = 1e-300, big = 2^63 }
  local text = serialize(root)
  local chunk, err = load(text, "=doc")
  if not chunk then error(err) end
  local back = chunk()
  assert(back.self == back)
  local again = serialize(back)
  if again ~= text then error("round trip changed document " .. doc) end
  reloaded = reloaded + 1
  totalBytes = totalBytes + #text
  for i = 1, #text, 97 do checksum = (checksum * 31 + text:byte(i)) % 1000000007 end
  if doc == 1 then first = text end
end
print(first:sub(1, 400))
print(string.format("serialized %d  reloaded %d  bytes %d  checksum %d", n, reloaded, totalBytes, checksum))
