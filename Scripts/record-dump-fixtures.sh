#!/bin/sh
# Records the binary-chunk fixtures with the reference implementation's string.dump.
#
#   Tests/LuaCoreTests/Fixtures/dumps/<dir>-<name>.hex        string.dump(loadfile(name))
#   Tests/LuaCoreTests/Fixtures/dumps/<dir>-<name>.strip.hex  string.dump(loadfile(name), true)
#       for every golden/*.lua, syntax/*.lua and dumps/*.lua, loaded inside its folder (chunk
#       name "@<name>.lua"), as `od -An -v -tx1` hex.
#   Tests/LuaStdlibTests/Fixtures/precompiled/<name>.hex
#       the same (not stripped) for the conformance programs listed below, which the tests
#       run from these chunks and compare with the programs' recorded .out.
#
# Never edit the outputs by hand: rerun this script. Usage:
#   Scripts/record-dump-fixtures.sh [dir/name.lua ...]     (default: all)
#   LUA=/path/to/lua-5.4.6 Scripts/record-dump-fixtures.sh golden/loops.lua
# Moonlet's code generation is 5.4.6's: where lua5.4 (5.4.4) differs, record with a lua built
# from PUC's v5.4.6 tag (see Tests/LuaCoreTests/Fixtures/README.md).
set -eu
LUA=${LUA:-lua5.4}
root=$(cd "$(dirname "$0")/.." && pwd)
core="$root/Tests/LuaCoreTests/Fixtures"
precompiled="$root/Tests/LuaStdlibTests/Fixtures/precompiled"
programs="lang-arith lang-assignment lang-bitwise lang-closures lang-coercion lang-comparison
lang-control-flow lang-generic-for lang-goto lang-length-concat lang-logical lang-numeric-for
lang-recursion lang-string-literals lang-table-keys lang-varargs meta-arith meta-index
coroutine-basic error-values string-format"

dump() { # folder file strip -> hex on stdout
    (cd "$1" && "$LUA" -e "io.write(string.dump(assert(loadfile('$2')), $3))") | od -An -v -tx1
}

mkdir -p "$core/dumps" "$precompiled"
if [ $# -eq 0 ]; then
    set --
    for dir in golden syntax dumps; do
        for f in "$core/$dir"/*.lua; do set -- "$@" "$dir/$(basename "$f")"; done
    done
    for name in $programs; do set -- "$@" "precompiled/$name.lua"; done
fi
for path in "$@"; do
    dir=${path%%/*}
    file=${path#*/}
    name=${file%.lua}
    if [ "$dir" = precompiled ]; then
        dump "$root/Tests/LuaStdlibTests/Fixtures" "$file" false > "$precompiled/$name.hex"
    else
        dump "$core/$dir" "$file" false > "$core/dumps/$dir-$name.hex"
        dump "$core/$dir" "$file" true > "$core/dumps/$dir-$name.strip.hex"
    fi
done
echo "recorded with $("$LUA" -v)"
