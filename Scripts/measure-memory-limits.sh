#!/usr/bin/env bash
# Measures the peak RSS of a release `moonlet` running hostile scripts under a memory limit
# (MOONLET_MEMORY_LIMIT, bytes; default 64 MB). Each script must fail with "not enough
# memory" quickly, with the peak RSS at most the limit plus a small constant.
#
#   swift build -c release --product moonlet && Scripts/measure-memory-limits.sh
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
moonlet=${MOONLET:-$root/.build/release/moonlet}
limit=${LIMIT:-$((64 << 20))}
scripts=(
  "string.rep('x', 2^31-1)"
  "string.rep('x', 2^29, ',')"
  "local t = {} for i = 1, 100 do t[i] = string.rep('y', 2^20) end return table.concat(t, string.rep(',', 2^22))"
  "local s = string.rep('a', 2^22) return (s:gsub('a', string.rep('b', 100)))"
  "local s = string.rep('\\\\0', 30 * 2^20) return string.format('%q', s)"
  "return string.pack('c2000000000', 'a')"
  "local s = 'x' for i = 1, 40 do s = s .. s end"
  "local t = {} for i = 1, 1e9 do t[i] = i end"
  "local t = {} for i = 1, 1e9 do t[i .. ''] = i end"
  "local t = {} for i = 1, 1e7 do t[i] = coroutine.create(function() end) end"
  "local t = {} for i = 1, 1e7 do t[i] = function() return i end end"
)
printf "limit %d MB\n" $((limit >> 20))
printf "%-8s %-7s %s\n" "peakMB" "secs" "script -> result"
for s in "${scripts[@]}"; do
  out=$( { MOONLET_MEMORY_LIMIT=$limit /usr/bin/time -f "%M %e" "$moonlet" -e "print(pcall(function() $s end))" ; } 2>&1 )
  stats=$(printf "%s\n" "$out" | tail -1)
  result=$(printf "%s\n" "$out" | head -1 | cut -c1-40)
  printf "%-8s %-7s %s -> %s\n" $(( ${stats% *} / 1024 )) "${stats#* }" "$(printf %s "$s" | cut -c1-70)" "$result"
done
