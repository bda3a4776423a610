#!/bin/sh
# Records the string-library engine cases with the reference implementation (lua5.4).
#
#   Tests/LuaStdlibTests/Fixtures/strlib-cases.tsv   one case per line (format described in
#                                                    Scripts/record-strlib-cases.lua)
#
# Never edit the output by hand: rerun this script. Usage: Scripts/record-strlib-cases.sh
set -eu
LUA=${LUA:-lua5.4}
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/Tests/LuaStdlibTests/Fixtures/strlib-cases.tsv"
{
    echo "# Recorded by Scripts/record-strlib-cases.sh with: $($LUA -v)"
    echo "# Command: LC_ALL=C $LUA Scripts/record-strlib-cases.lua"
    LC_ALL=C "$LUA" "$root/Scripts/record-strlib-cases.lua"
} > "$out"
echo "recorded $(grep -vc '^#' "$out") cases with $($LUA -v)"
