#!/usr/bin/env bash
# The embedding API against PUC-Rio Lua 5.4's C API, operation by operation: builds host.c
# (the C side, with Debian's liblua5.4-dev) and runs it beside the release HostAPIBench
# (Benchmarks/HostAPIBench, the Swift side), printing ns per operation for both.
#
# Usage: Benchmarks/HostAPI/run.sh [N]       (N operations per timed round, default 1000000)
#        Benchmarks/HostAPI/run.sh --callgrind  instructions per operation instead of time:
#          each side runs under callgrind at two sizes; (Ir(N2) - Ir(N1)) / (5 (N2 - N1)),
#          which does not depend on the machine's load
#   Needs: swift build -c release --product host-api-bench
#          cc, pkg-config and liblua5.4-dev
# Each program times 5 rounds in-process and reports the best; the machine's noise shows as
# differences between runs of this script, so quote the ratios.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
callgrind=0
if [ "${1:-}" = "--callgrind" ]; then callgrind=1; shift; fi
n=${1:-1000000}
swift_bench="$root/.build/release/host-api-bench"
[ -x "$swift_bench" ] || { echo "build it first: swift build -c release --product host-api-bench" >&2; exit 2; }
c_bench=$(mktemp /tmp/host-api-c.XXXXXX)
trap 'rm -f "$c_bench"' EXIT
# shellcheck disable=SC2046
cc -O2 -o "$c_bench" "$here/host.c" $(pkg-config --cflags --libs lua5.4)

value() { awk '{print $3}'; }

if [ $callgrind = 1 ]; then
  out=$(mktemp -d /tmp/host-api-cg.XXXXXX)
  trap 'rm -f "$c_bench"; rm -rf "$out"' EXIT
  ir() {  # program, mode, n -> total instructions
    valgrind --tool=callgrind --callgrind-out-file="$out/cg" "$1" "$2" "$3" >/dev/null 2>&1
    callgrind_annotate "$out/cg" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}'
  }
  per_op() {  # program, mode, n1, n2
    local a b
    a=$(ir "$1" "$2" "$3"); b=$(ir "$1" "$2" "$4")
    echo "($b - $a) / (5 * ($4 - $3))" | bc
  }
  printf '%-34s %14s %14s %8s\n' "operation (instructions per op)" "PUC C API" "Moonlet" "ratio"
  cg_row() {  # label, C mode, Swift mode
    local c s
    c=$(per_op "$c_bench" "$2" 2000 12000)
    s=$(per_op "$swift_bench" "$3" 2000 12000)
    printf '%-34s %14s %14s %7.1fx\n' "$1" "$c" "$s" "$(echo "$s / $c" | bc -l)"
  }
  cg_row "Lua calls host add(a, b) (typed)" call call
  cg_row "Lua calls host add(a, b) (raw)" call call-raw
  cg_row "host t.x = i; t.x (metamethod path)" table table
  cg_row "host rawset/rawget t.x" table table-raw
  cg_row "host calls Lua inc(x)" call-lua call-lua
  exit 0
fi
printf '%-34s %12s %12s %8s\n' "operation" "PUC C API" "Moonlet" "ratio"
row() {  # label, C mode, Swift mode, count
  local c s
  c=$("$c_bench" "$2" "$4" | value)
  s=$("$swift_bench" "$3" "$4" | value)
  printf '%-34s %9s ns %9s ns %7.1fx\n' "$1" "$c" "$s" "$(echo "$s / $c" | bc -l)"
}
row "Lua calls host add(a, b) (typed)" call call "$n"
row "Lua calls host add(a, b) (raw)" call call-raw "$n"
row "host t.x = i; t.x (metamethod path)" table table "$n"
row "host rawset/rawget t.x" table table-raw "$n"
row "host calls Lua inc(x)" call-lua call-lua "$n"
echo
echo "Moonlet only (no C counterpart):"
for mode in async-call async-callback; do
  printf '  %-32s %9s ns\n' "$mode" "$("$swift_bench" "$mode" $((n / 10)) | value)"
done
echo
echo "State creation (luaL_newstate + luaL_openlibs + lua_close vs Lua.full() / Lua.sandboxed()):"
"$c_bench" state-open 2000
"$swift_bench" state-open 200
"$swift_bench" state-sandbox 200
"$c_bench" state-keep 1000
"$swift_bench" state-keep 1000
