-- PUC-Rio Lua 5.4's binary chunk format: bytes of string.dump, the messages for corrupted and
-- truncated chunks, and debug information after a round trip. Recorded with a lua built from
-- PUC's v5.4.6 tag (lua5.4 5.4.4 segfaults on the calls.lua chunk below, the bug 5.4.6 fixed):
--   env LC_ALL=C TZ=UTC /path/to/lua-5.4.6 dump-format.lua > dump-format.expected 2>&1
local function hex(s) return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end)) end
local function try(s, name)
  local f, err = load(s, name, "b")
  print(f and "loaded" or err)
end

-- Dumps byte for byte (lua5.4 5.4.4 and 5.4.6 generate the same code for these).
print(hex(string.dump(function(a, b) return a + b end)))
print(hex(string.dump(function(...) local t = {...} return #t, t[1] end, true)))
print(hex(string.dump(load("local x <const> = 10 return x * 2.5, 'str', nil, true, false, -7", "=k"))))
print(hex(string.dump(load("local s = ('x'):rep(50) return s .. [[" .. ("y"):rep(45) .. "]]", "=long"))))
local up1, up2 = 1, 2
print(hex(string.dump(function() up1 = up2 + 1 return function() return up1 end end)))

-- The header: each byte increased by one.
local c = string.dump(load("return 1", "=s"))
for i = 1, 32 do
  try(c:sub(1, i - 1) .. string.char((c:byte(i) + 1) % 256) .. c:sub(i + 1), "=hdr" .. i)
end
-- Truncations, and how the chunk is named.
for _, n in ipairs({1, 2, 3, 4, 5, 11, 12, 17, 31, 32, 33, 40, #c - 1}) do try(c:sub(1, n), "=cut" .. n) end
try(c:sub(1, 20))
try(c:sub(1, 20), "@file.lua")
try(c:sub(1, 20), "plain name")
-- A size that does not fit a C int, and a NULL string constant.
local code = c:sub(1, 40) .. "\x7f\x7f\x7f\x7f\x7f\x81" .. c:sub(42)
try(code, "=overflow")
local k = string.dump(load("return 'abc'", "=s"))
local at = assert(k:find("\x04\x84abc", 1, true))
try(k:sub(1, at) .. "\x80" .. k:sub(at + 5), "=nullstring")
-- Bytes after the main function are ignored.
print(load(c .. "trailing bytes")())
-- calls.lua (5.4.6): more upvalue names than upvalues; only as many as upvalues are read.
local bug = "\x1b\x4c\x75\x61\x54\x00\x19\x93\x0d\x0a\x1a\x0a\x04\x08\x08\x78\x56\z
  \x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x28\x77\x40\x00\x86\x40\z
  \x74\x65\x6d\x70\x81\x81\x01\x00\x02\x82\x48\x00\x02\x00\xc7\x00\x01\z
  \x00\x80\x80\x80\x82\x00\x00\x80\x81\x82\x78\x80\x82\x81\x86\x40\x74\z
  \x65\x6d\x70"
local f = assert(load(bug))
print(f(42), debug.getinfo(f, "S").source, debug.getinfo(f, "S").linedefined)

-- Debug information survives the round trip.
local function g(a,
                 b)
  local s = a * 2

  if s > b then
    return s
  end
  return b
end
local g2 = load(string.dump(g))
for _, fn in ipairs({g, g2}) do
  local info = debug.getinfo(fn, "SL")
  local lines = {}
  for l in pairs(info.activelines) do lines[#lines + 1] = l end
  table.sort(lines)
  print(info.source, info.short_src, info.linedefined, info.lastlinedefined, table.concat(lines, " "))
  print(debug.getlocal(fn, 1), debug.getlocal(fn, 2), debug.getlocal(fn, 3))
end
local stripped = load(string.dump(g, true))
local info = debug.getinfo(stripped, "SL")
print(info.source, info.short_src, info.what, next(info.activelines))
print(debug.getlocal(stripped, 1))
local function h() return up1, up2 end
print(debug.getupvalue(load(string.dump(h)), 2), debug.getupvalue(load(string.dump(h, true)), 2))
print(select(2, pcall(load(string.dump(function() local x = nil; return x.y end)))))
print(select(2, pcall(load(string.dump(function() local x = nil; return x.y end, true)))))
