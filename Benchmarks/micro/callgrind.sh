#!/usr/bin/env bash
# Instructions per call of each string-library micro-benchmark in Benchmarks/micro/, for lua5.4
# and for a moonlet binary, counted by callgrind (stable on a loaded machine; wall time is not).
#
# Usage: Benchmarks/micro/callgrind.sh [moonlet-binary] [name[:size] ...]
#
#   moonlet-binary   default .build/release/moonlet (relative to the repository root; other
#                    relative paths are relative to the current directory)
#   name[:size]      benchmarks to count (default: all below, at the reduced sizes below)
#
# Each program runs under `valgrind --tool=callgrind --callgrind-out-file=/dev/null` twice per
# interpreter: with its size and with size 0. The difference of the two totals ("Collected")
# divided by size × calls per iteration (the "-- calls per iteration: N" line of the program) is
# the instructions per call: start-up and set-up cancel out; the loop's own work (a FORLOOP, an
# addition, a table read) stays in, on both sides. The checksum printed by both interpreters at
# the given size must be equal (DIFF otherwise). Prints a Markdown table; exit status 1 on a
# DIFF or a failed run.
#
# Environment: LUA (reference, default lua5.4).
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
LUA=${LUA:-lua5.4}
moonlet="$root/.build/release/moonlet"
if [ $# -gt 0 ] && [[ "$1" != *.lua ]] && [ ! -f "$here/${1%%:*}.lua" ]; then
  case "$1" in /*) moonlet="$1" ;; .build/*) moonlet="$root/$1" ;; *) moonlet="$(pwd)/$1" ;; esac
  shift
fi
default=(str_format:2000 str_find:200 str_match:20000 str_gmatch:5000 str_gsub:200
  str_rep:20000 str_sub:20000 str_byte:20000 str_char:20000 tbl_concat:500
  str_concat_ops:20000 tostring:20000 tonumber:20000)
[ $# -gt 0 ] && list=("$@") || list=("${default[@]}")

# count <interpreter> <program> <size>: prints "<instructions> <checksum>"
count() {
  local out err
  err=$(mktemp)
  out=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$1" "$2" "$3" 2>"$err") || {
    rm -f "$err"; echo "ERR"; return; }
  local ir
  ir=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$err" | tail -1)
  rm -f "$err"
  echo "$ir $out"
}

status=0
echo "| benchmark | size × calls | lua5.4 instr/call | moonlet instr/call | ratio | output |"
echo "| --- | ---: | ---: | ---: | ---: | --- |"
for item in "${list[@]}"; do
  name=${item%%:*}
  size=${item#*:}; [ "$size" = "$item" ] && size=20000
  prog="$here/$name.lua"
  calls=$(sed -n 's/^-- calls per iteration: \([0-9]*\).*/\1/p' "$prog" | head -1)
  calls=${calls:-1}
  read -r l0 _ <<<"$(count "$LUA" "$prog" 0)"
  read -r l1 lsum <<<"$(count "$LUA" "$prog" "$size")"
  read -r m0 _ <<<"$(count "$moonlet" "$prog" 0)"
  read -r m1 msum <<<"$(count "$moonlet" "$prog" "$size")"
  if [ "$l0" = ERR ] || [ "$l1" = ERR ] || [ "$m0" = ERR ] || [ "$m1" = ERR ]; then
    echo "| $name | $size × $calls | | | | ERR |"; status=1; continue
  fi
  result=ok; [ "$lsum" = "$msum" ] || { result=DIFF; status=1; }
  awk -v n="$name" -v s="$size" -v c="$calls" -v l0="$l0" -v l1="$l1" -v m0="$m0" -v m1="$m1" -v r="$result" \
    'BEGIN { lc = (l1 - l0) / (s * c); mc = (m1 - m0) / (s * c);
             printf "| %s | %d × %d | %.0f | %.0f | %.2f | %s |\n", n, s, c, lc, mc, mc / lc, r }'
done
exit $status
