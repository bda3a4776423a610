#!/usr/bin/env bash
# Times Benchmarks/lua/*.lua with moonlet and with lua5.4 in the same run, alternating the two
# (lua5.4, moonlet, lua5.4, moonlet, ...), and checks moonlet's output.
#
# Usage: Benchmarks/run.sh [--runs N] [--set DIR] [--markdown] [--record] [--chart PREFIX]
#                          [moonlet-command] [name[:size] ...]
#
#   --runs N          runs per interpreter and program (default 3); the table shows medians
#   --set DIR         the program set: DIR/*.lua with expected outputs in DIR/expected/<name>.out
#                     (default Benchmarks/lua; Benchmarks/run-shared.sh passes ../shared/bench)
#   --markdown        print the table as a markdown table (what README shows), with the geometric
#                     mean as its last row
#   --cpu             time user+system CPU seconds (/usr/bin/time, 10 ms resolution) instead of
#                     wall time: on a machine shared with other jobs, wall time also counts the
#                     time a run waits for a core
#   --record          (re)write DIR/expected/<name>.out from lua5.4 at default size, time nothing
#   --chart PREFIX    also write the medians to PREFIX.tsv (with date, command and machine) and
#                     draw PREFIX.svg from them (Benchmarks/chart.py bars), e.g.
#                     --chart Benchmarks/results/lua-vs-lua54 (what README shows)
#   moonlet-command   the interpreter under test (default .build/release/moonlet, relative to the
#                     repository root; other relative paths are relative to the current directory).
#                     It may carry options, e.g. "lua5.4 -W". The first argument is taken as a
#                     program name instead when DIR/<argument>.lua exists.
#   name[:size]       programs to run (default: all of DIR/*.lua); ":size" overrides arg[1]
#                     (":a:b" passes two arguments)
#
# Output check: at default size moonlet's stdout must equal DIR/expected/<name>.out byte for byte
# (lua5.4's stdout from the same run when there is no such file); with an overridden size it must
# equal lua5.4's stdout from the same run. The table gives, per program, the median wall (or CPU)
# time of each interpreter, the ratio moonlet/lua5.4, and ok / DIFF / ERR(status); the last line is the
# geometric mean of the ratios. Exit status 1 if any output differs or any run fails, 2 on usage
# errors. Builds nothing.
#
# Environment: LUA (reference, default lua5.4), TIMEOUT (seconds per run, default 300).
#
# Self-test (ratios near 1.0, all ok):  Benchmarks/run.sh --runs 1 lua5.4
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
LUA=${LUA:-lua5.4}
TIMEOUT=${TIMEOUT:-300}
runs=3
set_dir="$here/lua"
markdown=0
cpu=0
record=0
chart=""
command_line="Benchmarks/run.sh $*"
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) [ $# -ge 2 ] || { echo "--runs needs a number" >&2; exit 2; }; runs=$2; shift 2 ;;
    --runs=*) runs=${1#--runs=}; shift ;;
    --set) [ $# -ge 2 ] || { echo "--set needs a directory" >&2; exit 2; }; set_dir=$2; shift 2 ;;
    --set=*) set_dir=${1#--set=}; shift ;;
    --markdown) markdown=1; shift ;;
    --cpu) cpu=1; shift ;;
    --record) record=1; shift ;;
    --chart) [ $# -ge 2 ] || { echo "--chart needs a path prefix" >&2; exit 2; }; chart=$2; shift 2 ;;
    -h|--help) sed -n '2,36p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --) shift; break ;;
    -*) echo "unknown option: $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
case "$runs" in ''|*[!0-9]*|0) echo "--runs must be a positive integer" >&2; exit 2 ;; esac
[ -d "$set_dir" ] || { echo "no such program set: $set_dir" >&2; exit 2; }
set_dir=$(cd "$set_dir" && pwd)

moonlet="$root/.build/release/moonlet"
if [ $# -gt 0 ] && [ ! -f "$set_dir/${1%%:*}.lua" ]; then moonlet=$1; shift; fi
# make a relative interpreter path absolute (we cd into the set's directory before running)
first=${moonlet%% *}; rest=${moonlet#"$first"}
case "$first" in /*) ;; */*) first="$PWD/$first" ;; esac
moonlet="$first$rest"

case "$chart" in ''|/*) ;; *) chart="$PWD/$chart" ;; esac
cd "$set_dir" || exit 2
if [ $# -gt 0 ]; then specs=("$@"); else specs=(); for f in *.lua; do specs+=("${f%.lua}"); done; fi
for spec in "${specs[@]}"; do
  [ -f "${spec%%:*}.lua" ] || { echo "no such benchmark: ${spec%%:*} (see $set_dir)" >&2; exit 2; }
done

if [ "$record" = 1 ]; then
  mkdir -p expected
  for spec in "${specs[@]}"; do
    name=${spec%%:*}
    if ! timeout "$TIMEOUT" $LUA "$name.lua" < /dev/null > "expected/$name.out"; then
      echo "lua5.4 failed on $name" >&2; exit 1
    fi
    echo "recorded expected/$name.out: $(tail -n 1 "expected/$name.out" | cut -c1-70)"
  done
  exit 0
fi

if ! command -v "${moonlet%% *}" > /dev/null 2>&1; then
  echo "moonlet command not found: ${moonlet%% *} (build it with: swift build -c release)" >&2; exit 2
fi
command -v "${LUA%% *}" > /dev/null 2>&1 || { echo "reference interpreter not found: $LUA" >&2; exit 2; }
if [ "$cpu" = 1 ] && [ ! -x /usr/bin/time ]; then echo "--cpu needs /usr/bin/time (Debian package time)" >&2; exit 2; fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/moonlet-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# run <cmd> <name> <args> <outfile> -> prints elapsed (wall or CPU) milliseconds; returns the exit status
run() {
  local start end rc
  if [ "$cpu" = 1 ]; then
    # the last line of the -o file is "user system" (a failing command adds a line before it)
    /usr/bin/time -f '%U %S' -o "$4.time" timeout -k 5 "$TIMEOUT" $1 "$2.lua" $3 < /dev/null > "$4" 2> "$4.err"
    rc=$?
    tail -n 1 "$4.time" | awk '{ printf "%d\n", ($1 + $2) * 1000 + 0.5 }'
    return $rc
  fi
  start=$(date +%s%N)
  timeout -k 5 "$TIMEOUT" $1 "$2.lua" $3 < /dev/null > "$4" 2> "$4.err"
  rc=$?
  end=$(date +%s%N)
  echo $(( (end - start) / 1000000 ))
  return $rc
}
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

echo "moonlet: $moonlet"
echo "lua5.4:  $(command -v "${LUA%% *}") ($($LUA -v 2>&1 | head -n 1 | cut -d' ' -f1-2))"
if [ "$cpu" = 1 ]; then unit="cpu s"; timing="user+system CPU"; else unit="s"; timing="wall"; fi
echo "runs: $runs each, alternating, $timing time; $(nproc) cores; $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "set:     ${set_dir#"$root/"}"
if [ "$markdown" = 1 ]; then
  printf '\n| program | lua5.4 %s | moonlet %s | ratio | output |\n| --- | ---: | ---: | ---: | --- |\n' "$unit" "$unit"
else
  printf '%-20s %10s %10s %8s  %s\n' "program" "lua5.4 $unit" "moonlet $unit" "ratio" "output"
fi
bad=0
ratios=()
data=$(printf 'program\tlua5.4 s\tmoonlet s\tstatus')
for spec in "${specs[@]}"; do
  name=${spec%%:*}
  args=""
  [ "$spec" != "$name" ] && args=$(echo "${spec#*:}" | tr ':' ' ')
  if [ -z "$args" ] && [ -f "expected/$name.out" ]; then expected="expected/$name.out"; else expected=""; fi
  ltimes=(); mtimes=(); status="ok"
  for ((r = 1; r <= runs; r++)); do
    t=$(run "$LUA" "$name" "$args" "$tmp/lua.out"); lrc=$?
    ltimes+=("$t")
    if [ $lrc -ne 0 ]; then status="REF-ERR($lrc)"; fi
    ref=${expected:-$tmp/lua.out}
    if [ -n "$expected" ] && ! cmp -s "$tmp/lua.out" "$expected"; then status="REF-DIFF"; fi
    t=$(run "$moonlet" "$name" "$args" "$tmp/moonlet.out"); mrc=$?
    mtimes+=("$t")
    if [ $mrc -ne 0 ]; then
      [ "$status" = ok ] && status="ERR($mrc)"
    elif ! cmp -s "$tmp/moonlet.out" "$ref"; then
      [ "$status" = ok ] && status="DIFF"
    fi
  done
  [ "$status" != ok ] && bad=$((bad + 1))
  lmed=$(median "${ltimes[@]}"); mmed=$(median "${mtimes[@]}")
  ratio=$(awk -v a="$mmed" -v b="$lmed" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "nan" }')
  [ "$ratio" != nan ] && ratios+=("$ratio")
  data+=$'\n'$(awk -v n="$spec" -v a="$lmed" -v b="$mmed" -v s="$status" 'BEGIN { printf "%s\t%.3f\t%.3f\t%s", n, a / 1000, b / 1000, s }')
  detail=""
  case "$status" in
    ERR*) detail="  $(head -n 1 "$tmp/moonlet.out.err" | cut -c1-60)" ;;
    DIFF) detail="  $(diff "$tmp/moonlet.out" "$ref" | head -n 2 | tail -n 1 | cut -c1-60)" ;;
  esac
  if [ "$markdown" = 1 ]; then
    awk -v n="${spec}" -v a="$lmed" -v b="$mmed" -v r="$ratio" -v s="$status" -v d="${detail//|/\\|}" \
      'BEGIN { printf "| %s | %.3f | %.3f | %s | %s%s |\n", n, a / 1000, b / 1000, r, s, d }'
  else
    awk -v n="${spec}" -v a="$lmed" -v b="$mmed" -v r="$ratio" -v s="$status" -v d="$detail" \
      'BEGIN { printf "%-20s %10.3f %10.3f %8s  %s%s\n", n, a / 1000, b / 1000, r, s, d }'
  fi
done
if [ ${#ratios[@]} -gt 0 ]; then
  gmean=$(printf '%s\n' "${ratios[@]}" | awk '{ s += log($1); n++ } END { printf "%.2f", exp(s / n) }')
  if [ "$markdown" = 1 ]; then
    if [ $bad -gt 0 ]; then outputs="$bad not ok"; else outputs="all ok"; fi
    printf '| **geometric mean** | | | **%s** | %s |\n\n' "$gmean" "$outputs"
  else
    echo "geometric mean of ratios (moonlet/lua5.4): $gmean over ${#ratios[@]} programs"
  fi
fi
if [ -n "$chart" ]; then
  mkdir -p "$(dirname "$chart")"
  {
    echo "# $(date -u '+%Y-%m-%d %H:%M UTC'): $command_line"
    echo "# $(nproc) cores, $(uname -sm), load average $(cut -d' ' -f1-3 /proc/loadavg) at the end; lua5.4: $($LUA -v 2>&1 | head -n 1 | cut -d' ' -f1-2); moonlet: ${moonlet#"$root/"}; medians of $runs runs"
    echo "$data"
  } > "$chart.tsv"
  python3 "$here/chart.py" bars "$chart.tsv" "$chart.svg" && echo "chart: $chart.svg (data $chart.tsv)"
fi
if [ $bad -gt 0 ]; then echo "$bad program(s) with differing output or failed runs"; exit 1; fi
echo "all outputs ok"
