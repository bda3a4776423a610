#!/usr/bin/env bash
# Runs the test suite under a sanitizer in its own build directory (.build-<sanitizer>), so
# the normal build is untouched.
#
#   Scripts/test-sanitized.sh [address|thread] [swift test --filter pattern]
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
sanitizer=${1:-address}
filter=${2:-}
cd "$root" || exit 2
args=(--sanitize="$sanitizer" --build-path ".build-$sanitizer")
[ -n "$filter" ] && args+=(--filter "$filter")
# Leak checking is off: the arena's global state intentionally lives for the process.
# MOONLET_SANITIZER tells stack-size tests that frames are larger (ASan's redzones).
MOONLET_SANITIZER=$sanitizer ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0} TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1} \
  swift test "${args[@]}"
