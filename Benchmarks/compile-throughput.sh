#!/bin/sh
# Compile throughput: `moonlet -p` (release build) against `luac5.4 -p` on the same
# generated source, measured in the same hyperfine run so both see the same machine state.
#
#   Benchmarks/compile-throughput.sh [megabytes]      (default 8)
#
# Prints MB/s for each and the ratio moonlet/luac (above 1.0 means moonlet is faster).
set -eu
size_mb=${1:-8}
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

swift build -c release --scratch-path "$root/.build-compiler" --package-path "$root" >/dev/null
moonlet="$root/.build-compiler/release/moonlet"

# Varied, realistic code: modules of functions with locals, loops, tables, strings with
# escapes, closures, method calls, arithmetic with constants, gotos and long strings.
lua5.4 - "$tmp/big.lua" "$size_mb" <<'LUA'
local path, mb = arg[1], tonumber(arg[2])
local out = assert(io.open(path, "w"))
local target, written, n = mb * 1024 * 1024, 0, 0
local templates = {
[==[
local M@ = {}
function M@.new(x, y)
  local self = setmetatable({x = x or 0, y = y or 0, tag = "point\t@"}, {__index = M@})
  return self
end
function M@:len() return math.sqrt(self.x * self.x + self.y * self.y) end
function M@:add(o) return M@.new(self.x + o.x, self.y + o.y) end
]==],
[==[
local function sum@(t, ...)
  local acc, n = 0, select('#', ...)
  for i = 1, #t do
    local v = t[i]
    if type(v) == "number" and v % 2 == 0 then acc = acc + v // 2
    elseif v ~= nil then acc = acc - 1.5 * i else break end
  end
  for k, v in pairs(t) do
    if k == "skip" then goto continue end
    acc = acc + (tonumber(v) or 0)
    ::continue::
  end
  return acc + n, ...
end
]==],
[==[
local config@ = {
  name = "service-@", port = 8000 + @, enabled = true, ratio = 0.75, mask = 0xFF00 | @,
  tags = {"alpha", "beta", "gamma", [[long
string]], 'quote\'s "mixed"'},
  handlers = { onStart = function(ctx) return ctx.id .. ":" .. tostring(@) end },
  matrix = {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}},
}
]==],
[==[
do
  local count = 0
  local function make()
    local step = @ % 7 + 1
    return function(x) count = count + step; return x * step, count end
  end
  local f = make()
  while count < 100 do
    local a, b = f(count)
    if a > b and not (a == b) then count = count + 1 end
  end
  repeat count = count - 3 until count <= 0
end
]==],
[==[
local function fmt@(s, ...)
  local parts = {}
  for w in string.gmatch(s, "%S+") do parts[#parts + 1] = w:upper():sub(1, 3) end
  local str = table.concat(parts, ", ") .. string.format(" %d items\n", #parts)
  return str, (s:len() << 2) >> 1, ~@ & 0x7f, 2^10 / @
end
]==],
}
-- Each chunk declares a few locals; wrap groups in functions to stay under 200 per scope.
local group = 0
out:write("function group0()\n")
while written < target do
  n = n + 1
  local chunk = templates[n % #templates + 1]:gsub("@", tostring(n))
  out:write(chunk, "\n")
  written = written + #chunk + 1
  if n % 100 == 0 then
    group = group + 1
    out:write("end\nfunction group", group, "()\n")
  end
end
out:write("end\n")
out:close()
LUA

luac5.4 -p "$tmp/big.lua"
"$moonlet" -p "$tmp/big.lua"
bytes=$(wc -c < "$tmp/big.lua")

hyperfine -N --warmup 2 --runs "${RUNS:-10}" --export-csv "$tmp/times.csv" \
    "$moonlet -p $tmp/big.lua" "luac5.4 -p $tmp/big.lua" >/dev/null

awk -F, -v bytes="$bytes" '
    NR == 2 { ours = $2 } NR == 3 { luac = $2 }
    END {
        mb = bytes / 1048576
        printf "source: %.2f MB generated Lua\n", mb
        printf "moonlet -p: %8.1f MB/s  (mean %.1f ms)\n", mb / ours, ours * 1000
        printf "luac5.4 -p: %8.1f MB/s  (mean %.1f ms)\n", mb / luac, luac * 1000
        printf "ratio moonlet/luac throughput: %.2f\n", luac / ours
    }' "$tmp/times.csv"
