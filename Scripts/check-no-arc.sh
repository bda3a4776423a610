#!/usr/bin/env bash
# Checks the release build for ARC and exclusivity traffic on the hot paths.
#
# 1. GCArena: disassembles the gcarena-bench release binary and, starting from the probe
#    functions it exports (handle dereference, write barriers, allocation, weak upgrade) and
#    the collector's mark and sweep loops, follows every call into GCArena code.
# 2. LuaCore: the interpreter loop (`VM.interpretFast`, `VM.interpretStepping`, `VM.execute`)
#    in the moonlet release binary, on their own (their slow paths are separate
#    `@inline(never)` functions and may do anything).
# Fails if any checked function calls swift_retain, swift_release or swift_beginAccess (or
# their variants).
#
#     Scripts/check-no-arc.sh            # builds release first
#     Scripts/check-no-arc.sh --no-build # uses the existing .build/release binary
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" != "--no-build" ]; then
  swift build -c release --product gcarena-bench >/dev/null
  swift build -c release --product moonlet >/dev/null
fi
bin=.build/release/gcarena-bench
asm=$(mktemp)
trap 'rm -f "$asm"' EXIT
objdump -d --no-show-raw-insn "$bin" > "$asm"

python3 - "$asm" <<'PY'
import re, sys
asm = open(sys.argv[1]).read().split("\n")
funcs, cur = {}, None
for line in asm:
    m = re.match(r'^[0-9a-f]+ <(.+)>:$', line)
    if m:
        cur = m.group(1); funcs[cur] = []; continue
    if cur is not None and line.strip():
        funcs[cur].append(line)
def callees(name):
    out = []
    for l in funcs.get(name, []):
        m = re.search(r'\b(?:call|jmp)\w*\s+[0-9a-f]+ <([^>+]+)(?:\+0x[0-9a-f]+)?>', l)
        if m: out.append(m.group(1))
    return out
roots = [n for n in funcs if n.startswith("moonlet_probe_")]
# The collector's incremental loops (mangled names of GCArena._Collector members).
roots += [n for n in funcs if re.search(r'7GCArena10_CollectorO(9propagate|5sweep|9traceGray|6atomic)', n)]
forbidden = re.compile(r'swift_(retain|release|beginAccess|unknownObjectRetain|unknownObjectRelease|bridgeObjectRetain|bridgeObjectRelease)')
if len([r for r in roots if r.startswith("moonlet_probe_")]) < 5:
    print("check-no-arc: probe functions missing from the binary"); sys.exit(1)
seen, stack, bad = set(), list(roots), []
while stack:
    f = stack.pop()
    if f in seen: continue
    seen.add(f)
    for c in callees(f):
        if forbidden.search(c): bad.append((f, c))
        elif c in funcs and ("7GCArena" in c or c.startswith("moonlet_probe_") or "12GCArenaBench" in c):
            stack.append(c)
print(f"check-no-arc: {len(roots)} roots, {len(seen)} functions reached")
for f in sorted(seen):
    if f.startswith("moonlet_probe_") or "_Collector" in f:
        print("  checked", f[:110])
if bad:
    for f, c in bad: print(f"  FAIL {f[:100]} calls {c}")
    sys.exit(1)
print("check-no-arc: ok (no retain/release/beginAccess on the GCArena fast paths)")
PY

objdump -d --no-show-raw-insn .build/release/moonlet > "$asm"
python3 - "$asm" <<'PY'
import re, sys
asm = open(sys.argv[1]).read().split("\n")
body, name, found, seen = [], None, False, set()
for line in asm:
    m = re.match(r'^[0-9a-f]+ <(.+)>:$', line)
    if m:
        # The loop's two instances (`VM.interpretFast`, `VM.interpretStepping`) and their
        # entry (`VM.execute`).
        name = m.group(1)
        k = re.search(r'LuaCore2VMV(7execute|13interpretFast|17interpretStepping)4fuel', name)
        found = k is not None
        if found: seen.add(k.group(1))
        continue
    if found and line.strip(): body.append(line)
missing = {"13interpretFast", "17interpretStepping"} - seen
if missing:
    print(f"check-no-arc: interpreter loop instances {sorted(missing)} not found in moonlet"); sys.exit(1)
forbidden = re.compile(r'(call|jmp)\w*\s+[0-9a-f]+ <swift_(retain|release|beginAccess|unknownObjectRetain|unknownObjectRelease|bridgeObjectRetain|bridgeObjectRelease)')
bad = [l for l in body if forbidden.search(l)]
print(f"check-no-arc: interpreter loop: {len(body)} instructions checked")
if bad:
    for l in bad: print("  FAIL", l.strip())
    sys.exit(1)
print("check-no-arc: ok (no retain/release/beginAccess in the interpreter loop)")
PY
