#!/usr/bin/env bash
# Runs every conformance fixture with a release build of moonlet, as `lua5.4` ran it when the
# fixture was recorded (Scripts/record-fixtures.sh): inside Tests/LuaStdlibTests/Fixtures, with
# an empty stdin, LC_ALL=C and TZ=UTC. Stdout must equal <name>.out byte for byte; a program
# marked "expect-error" must exit with <name>.status and print <name>.err as the first line of
# its stderr (after the "moonlet: " prefix, lua.c's progname), any other must exit 0 with nothing
# on stderr.
#
# The test suite runs the same fixtures through the library in a debug build; this catches what
# only the optimizer changes (the interpreter loop, inlined fast paths) and the CLI itself.
#
#     Scripts/check-release-fixtures.sh [path/to/moonlet]   # default .build/release/moonlet
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
moonlet=$(cd "$root" && realpath "${1:-.build/release/moonlet}")
[ -x "$moonlet" ] || { echo "no moonlet at $moonlet (swift build -c release --product moonlet)" >&2; exit 2; }
cd "$root/Tests/LuaStdlibTests/Fixtures" || exit 2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/release-fixtures.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

failed=0
count=0
for f in *.lua; do
  name=${f%.lua}
  [ -f "$name.out" ] || continue
  count=$((count + 1))
  LC_ALL=C TZ=UTC timeout 120 "$moonlet" "$f" < /dev/null > "$tmp/out" 2> "$tmp/err"
  status=$?
  if ! cmp -s "$tmp/out" "$name.out"; then
    echo "FAIL $name: stdout differs from $name.out" >&2
    diff "$name.out" "$tmp/out" | head -5 | sed 's/^/    /' >&2
    failed=1; continue
  fi
  if [ -f "$name.status" ]; then
    first=$(head -n 1 "$tmp/err" | sed 's/^[^:]*moonlet: //')
    if [ "$status" != "$(cat "$name.status")" ] || [ "$first" != "$(cat "$name.err")" ]; then
      echo "FAIL $name: exit $status, first stderr line: $first" >&2; failed=1
    fi
  elif [ "$status" -ne 0 ] || [ -s "$tmp/err" ]; then
    echo "FAIL $name: exit $status, stderr:" >&2; head -5 "$tmp/err" | sed 's/^/    /' >&2; failed=1
  fi
done
if [ $failed -eq 0 ]; then echo "check-release-fixtures: ok, $count programs"; fi
exit $failed
