#!/usr/bin/env bash
# Counts how often the interpreter loop's hot path runs from one 64-byte line of code into the
# next, per 1,000 instructions executed in the loop (papers/luacore-vm.md, "The dispatch block's
# 64-byte line"). The loop is bound by instruction fetch, so at equal instruction counts a layout
# with fewer crossings runs faster. Counts come from callgrind (valgrind), so they are exact and
# repeatable; the verdict on a layout is still the paired timing.
#
#     Scripts/loop-line-crossings.sh [path/to/moonlet] program.lua [args...]
#     e.g. Scripts/loop-line-crossings.sh Benchmarks/lua/mandelbrot.lua 100
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.build/release/moonlet
if [ -x "${1:-}" ] && [ ! -d "$1" ]; then bin=$1; shift; fi
[ $# -ge 1 ] || { echo "usage: $0 [moonlet] program.lua [args...]" >&2; exit 2; }
sym=$(nm "$bin" | awk '/13interpretFast4fuel12hooksChecked/ && $2 ~ /[tT]/ && !found {print $3; found = 1}')
[ -n "$sym" ] || { echo "no interpretFast in $bin" >&2; exit 1; }
out=$(mktemp /tmp/crossings.XXXXXX)
dis=$(mktemp /tmp/crossings-dis.XXXXXX)
trap 'rm -f "$out" "$dis"' EXIT
valgrind --tool=callgrind --dump-instr=yes --callgrind-out-file="$out" "$bin" "$@" >/dev/null 2>&1
objdump -d --no-show-raw-insn "$bin" --disassemble="$sym" > "$dis"
python3 - "$out" "$dis" <<'PY'
import re, sys
# Per-address instruction counts of the loop function from the callgrind file (cost lines are
# "address count" with addresses absolute, +relative, -relative or "*" for the same).
counts, names = {}, {}
current, addr, after_call = "", 0, False
for line in open(sys.argv[1]):
    line = line.rstrip("\n")
    if line.startswith("fn="):
        m = re.match(r"fn=\((\d+)\)(?: (.*))?", line)
        if m:
            if m.group(2): names[m.group(1)] = m.group(2)
            current = names.get(m.group(1), "")
        else:
            current = line[3:]
        continue
    if line.startswith("cfn="):
        m = re.match(r"cfn=\((\d+)\) (.*)", line)
        if m: names[m.group(1)] = m.group(2)
        continue
    if line.startswith("calls="): after_call = True; continue
    if not line or line[0] not in "0123456789+-*": continue
    parts = line.split()
    a = parts[0]
    if a.startswith("0x"): addr = int(a, 16)
    elif a.startswith("+"): addr += int(a[1:], 0)
    elif a.startswith("-"): addr -= int(a[1:], 0)
    elif a != "*":
        try: addr = int(a, 16)
        except ValueError: continue
    if after_call: after_call = False; continue   # the call's inclusive cost, not this line's
    if "interpretFast4fuel" in current and len(parts) > 1:
        counts[addr] = counts.get(addr, 0) + int(parts[-1])
code = [(int(m.group(1), 16), m.group(2)) for m in
        (re.match(r"\s+([0-9a-f]+):\s+(\S.*)", l) for l in open(sys.argv[2])) if m]
total = sum(counts.values())
crossings = 0
for (a, text), (b, _) in zip(code, code[1:]):
    c, cb = counts.get(a, 0), counts.get(b, 0)
    # Flow from a into the next instruction b (not after an unconditional jump) across a line.
    if c and cb and a // 64 != b // 64 and not text.startswith(("jmp", "ret")):
        crossings += min(c, cb)
print(f"{total} instructions in the loop, {crossings} line crossings, "
      f"{1000 * crossings / max(total, 1):.1f} per 1,000 instructions")
PY
