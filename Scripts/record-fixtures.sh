#!/usr/bin/env bash
# Records the Lua standard library conformance fixtures with the reference implementation.
#
#   Tests/LuaStdlibTests/Fixtures/<name>.out     stdout of `lua5.4 <name>.lua`, run inside Fixtures/
#   Tests/LuaStdlibTests/Fixtures/<name>.err     only for programs whose first line contains
#   Tests/LuaStdlibTests/Fixtures/<name>.status  "expect-error": the first line of stderr with the
#                                                interpreter's "lua5.4: " prefix removed (the
#                                                traceback that follows is not part of the contract),
#                                                and the exit status.
#
# Every program runs with an empty stdin, no arguments, LC_ALL=C and TZ=UTC so that chunk names
# are "@<name>.lua" and the output does not depend on the machine. The script fails when a
# program not marked "expect-error" exits non-zero or writes to stderr, when a marked program
# succeeds, or when a program's output differs between two runs (nondeterminism).
# Never edit the outputs by hand: rerun this script.
#
#   Scripts/record-fixtures.sh            # record all fixtures
#   Scripts/record-fixtures.sh name...    # record only these (names without .lua)
#   LUA=/path/to/lua5.4 Scripts/record-fixtures.sh
set -u
LUA=${LUA:-lua5.4}
root=$(cd "$(dirname "$0")/.." && pwd)
dir="$root/Tests/LuaStdlibTests/Fixtures"
cd "$dir" || exit 2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/record-fixtures.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

if [ $# -gt 0 ]; then names=("$@"); else names=(); for f in *.lua; do names+=("${f%.lua}"); done; fi

run() { # name outfile errfile -> exit status
  LC_ALL=C TZ=UTC timeout 60 "$LUA" "$1.lua" < /dev/null > "$2" 2> "$3"
}

failed=0
for name in "${names[@]}"; do
  if [ ! -f "$name.lua" ]; then echo "no such fixture: $name" >&2; failed=1; continue; fi
  run "$name" "$tmp/out1" "$tmp/err1"; status=$?
  run "$name" "$tmp/out2" "$tmp/err2"; status2=$?
  if ! cmp -s "$tmp/out1" "$tmp/out2" || [ "$status" != "$status2" ]; then
    echo "FAIL $name: output differs between two runs (nondeterministic)" >&2; failed=1; continue
  fi
  if head -n 1 "$name.lua" | grep -q "expect-error"; then
    if [ "$status" -eq 0 ]; then echo "FAIL $name: marked expect-error but succeeded" >&2; failed=1; continue; fi
    head -n 1 "$tmp/err1" | sed "s/^[^:]*lua[^:]*: //" > "$name.err"
    echo "$status" > "$name.status"
  else
    if [ "$status" -ne 0 ] || [ -s "$tmp/err1" ]; then
      echo "FAIL $name: exit status $status, stderr:" >&2; sed 's/^/    /' "$tmp/err1" >&2; failed=1; continue
    fi
    rm -f "$name.err" "$name.status"
  fi
  cp "$tmp/out1" "$name.out"
done
count=$(ls *.out | wc -l)
echo "recorded ${#names[@]} program(s) with $("$LUA" -v 2>&1); $count .out files in Tests/LuaStdlibTests/Fixtures"
exit $failed
