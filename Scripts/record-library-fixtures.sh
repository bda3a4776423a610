#!/bin/sh
# Records the expected output of the table/math/utf8 library fixtures with the reference
# interpreter: for each X.lua in Tests/LuaStdlibTests/Fixtures/libraries, runs
# `lua5.4 X.lua` inside that directory (so chunk names read "X.lua:LINE:") and stores
# stdout+stderr in X.out. Fixtures whose output cannot be deterministic (random seeds)
# print only what is.
set -eu
cd "$(dirname "$0")/../Tests/LuaStdlibTests/Fixtures/libraries"
for f in *.lua; do
    lua5.4 "$f" > "${f%.lua}.out" 2>&1 || true
done
lua5.4 -v
