#!/usr/bin/env bash
# Builds the four DocC catalogs (GCArena, GCSequence, LuaCore, LuaStdlib) with swift-docc-plugin,
# warnings as errors: a broken or ambiguous ``link``, an undocumented parameter or a missing
# article fails the build. Archives land in .build/plugins/Swift-DocC/outputs/.
#
# Links to another module's symbols do not resolve in a per-module archive: write them as
# code voice (`GCArena.Arena`), not as ``GCArena/Arena``. Overloads need a disambiguator,
# e.g. ``Mutation/backwardBarrier(_:)-(Gc<T>)``; the error message suggests one.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS
targets=(GCArena GCSequence LuaCore LuaStdlib)
args=()
for t in "${targets[@]}"; do args+=(--target "$t"); done
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! swift package generate-documentation "${args[@]}" --warnings-as-errors >"$log" 2>&1; then
  grep -E -A12 '^(error|warning)' "$log" | head -200 >&2 || cat "$log" >&2
  echo "build-docs: FAIL (see the diagnostics above)" >&2
  exit 1
fi
echo "build-docs: ok, ${targets[*]} built with warnings as errors in $((SECONDS - start)) s"
