#!/usr/bin/env bash
# Builds everything `swift test` builds (`swift build --build-tests`) and fails if the build
# prints any warning about the project's own code or manifest: compiler warnings in any target
# (libraries, tests, examples, benchmarks, macro expansions in tests) and SwiftPM's own
# (e.g. unhandled files, a system library pkg-config cannot find). Warnings inside fetched
# dependencies (.build/checkouts) are ignored.
#
# The compiler reports a file's warnings only when it compiles that file, so an incremental
# build can pass with warnings hidden in untouched files: CI starts from a clean clone; use
# --clean locally (a fresh build in .build-warnings/, slow).
#
#   Scripts/check-warnings.sh [--clean]
set -uo pipefail
cd "$(dirname "$0")/.."
args=(--build-tests)
if [ "${1:-}" = "--clean" ]; then rm -rf .build-warnings; args+=(--scratch-path .build-warnings); fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
swift build "${args[@]}" 2>&1 | tee "$log" | grep -E 'error:|Compiling|Build complete' | tail -3
status=${PIPESTATUS[0]}
if [ "$status" != 0 ]; then
  grep -E 'error:' "$log" | sort -u | head -50 >&2
  echo "check-warnings: the build failed" >&2
  exit 1
fi
warnings=$(grep -E 'warning:' "$log" | grep -v '\.build[^/]*/checkouts/' | grep -vE '^\s*[|`]' | sort -u)
if [ -n "$warnings" ]; then
  echo "$warnings" >&2
  echo "check-warnings: FAIL: $(echo "$warnings" | wc -l) warning(s) in the project's own code (see above)" >&2
  exit 1
fi
echo "check-warnings: ok, no warnings"
