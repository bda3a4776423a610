#!/bin/sh
# Records the expected output of the string-library fixtures with the reference
# interpreter: for each X.lua in Tests/LuaStdlibTests/Fixtures/string, runs `lua5.4 X.lua`
# inside that directory (chunk names read "X.lua:LINE:") and stores stdout+stderr in X.out.
set -eu
cd "$(dirname "$0")/../Tests/LuaStdlibTests/Fixtures/string"
for f in *.lua; do
    lua5.4 "$f" > "${f%.lua}.out" 2>&1 || true
done
lua5.4 -v
