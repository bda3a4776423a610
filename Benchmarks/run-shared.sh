#!/usr/bin/env bash
# Times the shared reference benchmark set (programs and expected outputs shared with the other
# Lua implementations of this workplace) with moonlet and with lua5.4, alternating the two, checks
# outputs against the set's expected/ and prints a markdown table with ratios and their geometric
# mean (what README's "The shared benchmark set against lua5.4" shows).
#
# Usage: Benchmarks/run-shared.sh [--dir DIR] [Benchmarks/run.sh options and arguments]
#        (run.sh's options: --runs N, --cpu, --chart PREFIX; then moonlet-command, name[:size] ...)
#
#   --dir DIR   the set (default ../shared/bench relative to the repository root; also taken from
#               the environment variable SHARED_BENCH)
#   the rest    as for Benchmarks/run.sh
#
# Example (what README's table ran, after swift build -c release --product moonlet):
#   Benchmarks/run-shared.sh --runs 5 --cpu
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
dir=${SHARED_BENCH:-$root/../shared/bench}
# --dir may come anywhere among the options; everything else goes to run.sh as it is
rest=()
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) [ $# -ge 2 ] || { echo "--dir needs a directory" >&2; exit 2; }; dir=$2; shift 2 ;;
    --dir=*) dir=${1#--dir=}; shift ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) rest+=("$1"); shift ;;
  esac
done
exec "$here/run.sh" --set "$dir" --markdown "${rest[@]}"
