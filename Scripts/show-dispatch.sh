#!/usr/bin/env bash
# Shows the interpreter loop's dispatch sequence in a release moonlet, to check a change to the
# loop before timing it (papers/luacore-vm.md, "Code placement" and "Direction 5 measured").
#
# The loop is one large `switch`; a change anywhere in it can move its register allocation
# over a cliff where the jump-table base is recomputed (`lea ...(%rip)`) at every dispatch and
# `pc` is copied between registers, and some programs then run 10-50% slower at almost the same
# instruction count. This prints the instructions that end in the loop's indirect jump (the
# dispatch) and says whether the table base stays in a register. Not a test: the compiler
# decides, and the verdict is one input among the callgrind counts and paired timings.
# It also says where the dispatch block falls in its 64-byte line: a block straddling two lines
# ran mandelbrot 20% slower at the same instructions (papers/luacore-vm.md, "The dispatch block's 64-byte line").
#
#     Scripts/show-dispatch.sh [path/to/moonlet]     # default .build/release/moonlet
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-.build/release/moonlet}
sym=$(nm "$bin" | awk '/13interpretFast4fuel12hooksChecked/ && $2 ~ /[tT]/ && !found {print $3; found = 1}')
[ -n "$sym" ] || { echo "no interpretFast in $bin" >&2; exit 1; }
objdump -d --no-show-raw-insn "$bin" --disassemble="$sym" | python3 -c '
import re, sys
lines = [l.rstrip() for l in sys.stdin if re.match(r"^\s+[0-9a-f]+:", l)]
# The dispatch: the indirect jump through the switch table, i.e. the `jmp *%reg` preceded
# within a few instructions by a `movslq (%base,%idx,4)` table load.
best = None
for k, l in enumerate(lines):
    if re.search(r"\bjmp\s+\*%r", l):
        window = lines[max(0, k - 14):k + 1]
        if any(re.search(r"movslq\s+\(%r\w+,%r\w+,4\)", w) for w in window):
            best = k
            break
if best is None:
    print("no table dispatch found"); sys.exit(1)
# Walk back to the load of the instruction word (the first memory load into a 32-bit register).
start = best
for j in range(best, max(0, best - 16), -1):
    if re.search(r"\bmov\s+(0x0)?\(%r\w+\),%[er]\w+d?$", lines[j]) or re.search(r"\bmov\s+\(%r\w+\),%e\w+$", lines[j]):
        start = j
        break
# A register copy of `pc` just before that load (skipping padding `nop`s) belongs to the
# dispatch too: handlers then reach it with `pc` in one register and the loop keeps another
# (the cliff; papers/luacore-vm.md, twelfth step, "`pc` as a pointer in the frame").
while start > 0 and re.search(r"\b(nop|xchg\s+%ax,%ax)", lines[start - 1]):
    start -= 1
while start > 0 and re.search(r"\bmov\s+%r\w+,%r\w+$", lines[start - 1]):
    start -= 1
seq = [l for l in lines[start:best + 1] if not re.search(r"\b(nop|xchg\s+%ax,%ax)", l)]
for l in seq: print(l)
lea = any("(%rip)" in l for l in seq)
copy = any(re.search(r"\bmov\s+%r\w+,%r\w+$", l) for l in seq[:2])
print(f"{len(seq)} instructions; jump-table base " + ("recomputed at each dispatch (lea ...(%rip)): the cliff" if lea else "kept in a register")
      + ("; pc COPIED between registers at each dispatch: the cliff" if copy else ""))
# Where the block falls in its 64-byte line: one that straddles two lines is fetched in two
# pieces at every dispatch (mandelbrot 20% slower at the same instructions).
first = int(seq[0].split(":")[0], 16)
jump = int(seq[-1].split(":")[0], 16)   # the indirect jump: 2 bytes, 3 through %r8-%r15
end = jump + (3 if re.search(r"jmp\s+\*%r(8|9|1[0-5])", seq[-1]) else 2)
phase = first % 64
if first // 64 == (end - 1) // 64:
    print(f"dispatch block at {phase} mod 64, {end - first} bytes: within one 64-byte line")
else:
    print(f"dispatch block at {phase} mod 64, {end - first} bytes: STRADDLES two 64-byte lines (slow, see the paper)")
'
