#!/bin/sh
# Records the compiler's golden fixtures with the reference implementation (luac 5.4).
#
#   Tests/LuaCoreTests/Fixtures/golden/*.luac.txt   `luac5.4 -l -l` listings of golden/*.lua
#   Tests/LuaCoreTests/Fixtures/syntax/*.luac.txt   the same for every syntax fixture
#   Tests/LuaCoreTests/Fixtures/errors/expected.tsv `name<TAB>message` from `luac5.4 -p`
#
# Never edit the outputs by hand: rerun this script. Usage: Scripts/record-compiler-fixtures.sh
# (Moonlet targets 5.4.6: use LUAC=<a luac built from PUC v5.4.6> where 5.4.4 differs; see the
# fixtures README.)
set -eu
LUAC=${LUAC:-luac5.4}
root=$(cd "$(dirname "$0")/.." && pwd)
fixtures="$root/Tests/LuaCoreTests/Fixtures"

for dir in golden syntax; do
    cd "$fixtures/$dir"
    for f in *.lua; do
        "$LUAC" -l -l -o /dev/null "$f" > "${f%.lua}.luac.txt"
    done
done

cd "$fixtures/errors"
: > expected.tsv
for f in *.lua; do
    # luac prefixes its own name; the compiler's message is what follows.
    msg=$("$LUAC" -p "$f" 2>&1 | sed 's/^[^:]*luac[^:]*: //') || true
    if [ -z "$msg" ]; then echo "error: $f compiles without error" >&2; exit 1; fi
    printf '%s\t%s\n' "$f" "$msg" >> expected.tsv
done
echo "recorded with $($LUAC -v)"
