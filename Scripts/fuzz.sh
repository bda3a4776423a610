#!/usr/bin/env bash
# Builds the libFuzzer targets in Fuzz/ and runs each for a set time (one process at a time,
# at nice 10), printing libFuzzer's final stats line. Two builds:
# - FUZZ_BUILD=debug (the default): every module with -sanitize=fuzzer,address, in debug
#   configuration, so GCARENA_DEBUG handle checks are on too. Thorough, slow.
# - FUZZ_BUILD=release: -sanitize=fuzzer only, optimized (Swift's own checks still trap on
#   overflow, bounds and unwraps). For volume: several times more executions per second.
#
#   [FUZZ_BUILD=release] Scripts/fuzz.sh [seconds-per-target] [target...]
#       targets: compiler undump vm stdlib
#
# Corpora and crash artifacts go to Fuzz/.work/<target>/ (not in git). A crash stops that
# target and leaves crash-<hash> there: minimize it with
#   FUZZ_TARGET=<target> Fuzz/.build/<debug|release>/MoonletFuzz -minimize_crash=1 <file>
# and keep the reproducer as a regression test (Tests/LuaStdlibTests/Hostile/).
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-120}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(compiler undump vm stdlib)
cd "$root/Fuzz" || exit 2
config=${FUZZ_BUILD:-debug}
case "$config" in
  debug) sanitizers=fuzzer,address ;;
  release) sanitizers=fuzzer ;;
  *) echo "FUZZ_BUILD must be debug or release"; exit 2 ;;
esac
nice -n 10 swift build -c "$config" -Xswiftc -sanitize=$sanitizers -Xswiftc -parse-as-library \
  >/dev/null || { echo "fuzz build failed"; exit 2; }
exe="$root/Fuzz/.build/$config/MoonletFuzz"
status=0
for t in "${targets[@]}"; do
  work="$root/Fuzz/.work/$t"
  mkdir -p "$work/corpus"
  if [ "$t" = undump ]; then
    # Seeds: real binary chunks in PUC's format, as lua5.4 writes them (Moonlet's string.dump
    # writes the same bytes), whole and stripped, plus the recorded fixture chunks that fit
    # -max_len. Written on every run, so a corpus from before the format change gets them too.
    i=0
    for src in 'return 1' 'local a = {} for i = 1, 10 do a[i] = i * 2 end return a' \
               'local function f(...) return select("#", ...) end return f(1, 2, 3)' \
               'local s = "x" .. 1 return s:rep(3), 2^53, 1.5, nil, true' \
               'local u = 0 local function g(x) u = u + x return function() return u end end return g(2)()' \
               'local t <close> = nil for k, v in pairs({a = 1}) do if v > 0.5 then goto done end end ::done:: return #"s"'; do
      for strip in false true; do
        lua5.4 -e "io.write(string.dump(load([[$src]]), $strip))" > "$work/corpus/seed$i-$strip" 2>/dev/null || true
      done
      i=$((i + 1))
    done
    for hex in "$root"/Tests/LuaCoreTests/Fixtures/dumps/*.hex; do
      seed="$work/corpus/fixture-$(basename "$hex" .hex)"
      xxd -r -p "$hex" > "$seed"
      [ "$(wc -c < "$seed")" -le 4096 ] || rm -f "$seed"
    done
  fi
  if [ "$t" = compiler ] || [ "$t" = vm ]; then
    [ -z "$(ls -A "$work/corpus")" ] && cp "$root"/Tests/LuaStdlibTests/Fixtures/*.lua "$work/corpus/" 2>/dev/null
  fi
  echo "== $t (${seconds}s)"
  # SWIFT_BACKTRACE=enable=no: Swift's backtracer would take a trap's signal first and exit
  # without libFuzzer writing the crash-<hash> input; libFuzzer still prints a stack trace.
  ( cd "$work" && FUZZ_TARGET=$t ASAN_OPTIONS=detect_leaks=0 SWIFT_BACKTRACE=enable=no nice -n 10 "$exe" corpus -max_total_time="$seconds" \
      -rss_limit_mb=2048 -timeout=20 -max_len=4096 -print_final_stats=1 > log.txt 2>&1 )
  rc=$?
  grep -E "stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb" "$work/log.txt"
  if [ $rc -ne 0 ]; then
    echo "FINDING in $t (exit $rc):"; grep -E "ERROR|Fatal|SUMMARY|crash-|timeout-" "$work/log.txt" | head -5
    status=1
  fi
done
exit $status
