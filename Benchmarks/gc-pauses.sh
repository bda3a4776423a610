#!/usr/bin/env bash
# Measures GCArena's pause times and draws their histogram (papers/gcarena.md shows it).
#
#   swift build -c release --product gcarena-bench
#   Benchmarks/gc-pauses.sh [PREFIX [FLAG]]   # default Benchmarks/results/gc-pauses --pauses
#
# FLAG --pauses-young runs the young-garbage workload instead (10 trees replaced and 400
# temporary trees per step; Benchmarks/results/gc-pauses-young in papers/gcarena.md).
#
# Runs `gcarena-bench --pauses` (Benchmarks/GCArenaBench/Pauses.swift: 4,000 steps that each
# replace 200 of 20,000 live 7-object trees, then pay the collector's debt; each collectDebt()
# call is one "incremental" pause; then 10 stop-the-world collectAll() calls, "full"), writes
# the samples to PREFIX.txt with the date, command and machine, and PREFIX.svg from them
# (Benchmarks/chart.py histogram). Builds nothing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
prefix=${1:-$here/results/gc-pauses}
flag=${2:---pauses}
bench="$root/.build/release/gcarena-bench"
[ -x "$bench" ] || { echo "no $bench: swift build -c release --product gcarena-bench" >&2; exit 2; }
mkdir -p "$(dirname "$prefix")"
{
  echo "# $(date -u '+%Y-%m-%d %H:%M UTC'): Benchmarks/gc-pauses.sh (gcarena-bench $flag, release build)"
  echo "# $(nproc) cores, $(uname -sm), load average $(cut -d' ' -f1-3 /proc/loadavg); $(swift --version 2>/dev/null | head -n 1 | sed 's/ (.*//')"
  "$bench" "$flag"
} > "$prefix.txt"
python3 "$here/chart.py" histogram "$prefix.txt" "$prefix.svg"
echo "pauses: $prefix.svg (data $prefix.txt)"
