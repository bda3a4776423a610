#!/usr/bin/env python3
"""Compiles every ```swift block of README.md and the DocC catalogs (*/*.docc/*.md) against
the built library modules, and runs the programs, so documentation cannot drift from the API.

Rules for writers:
- A block that begins (after comments) with `import` starts a program. A block without
  imports continues the previous program of the same file (both are compiled together, in
  order), so an article can grow one example over several blocks.
- A fragment that cannot compile on its own (a single call, pseudo-code) is skipped when
  the line right before its fence is `<!-- snippet: fragment -->`.
- A program is run as well unless that line is `<!-- snippet: compile-only -->` (for
  examples that never end, read the network, or the like). A run must exit 0 within 60 s.
- Warnings count as errors: e.g. `try await` that picks a synchronous overload warns
  "no 'async' operations occur within 'await' expression" and so fails here.

    Scripts/check-doc-snippets.py                  # needs `swift build` first (debug)
    Scripts/check-doc-snippets.py --build-dir .build/debug --no-run
"""
import argparse, glob, os, re, subprocess, sys, tempfile

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
parser = argparse.ArgumentParser()
parser.add_argument("--build-dir", default=os.path.join(root, ".build", "debug"))
parser.add_argument("--no-run", action="store_true", help="type-check and link only")
parser.add_argument("files", nargs="*")
opts = parser.parse_args()

modules_dir = os.path.join(opts.build_dir, "Modules")
libraries = ["GCArena", "GCSequence", "LuaCore", "LuaStdlib"]
fence = re.compile(r"^(\s*)```(\w*)\s*$")


def blocks(path):
    """(line number, marker, code) for each swift block of a markdown file."""
    lines = open(path, encoding="utf-8").read().split("\n")
    out, i = [], 0
    while i < len(lines):
        m = fence.match(lines[i])
        if not m:
            i += 1
            continue
        indent, lang, start = m.group(1), m.group(2), i
        i += 1
        body = []
        while i < len(lines) and not re.match(r"^\s*```\s*$", lines[i]):
            body.append(lines[i][len(indent):] if lines[i].startswith(indent) else lines[i])
            i += 1
        i += 1
        if lang == "swift":
            before = lines[start - 1].strip() if start > 0 else ""
            marker = re.match(r"<!--\s*snippet:\s*([\w-]+)\s*-->", before)
            out.append((start + 1, marker.group(1) if marker else None, "\n".join(body)))
    return out


def starts_program(code):
    for line in code.split("\n"):
        s = line.strip()
        if not s or s.startswith("//"):
            continue
        return s.startswith("import ")
    return False


def programs(path):
    """Groups blocks into programs: [(first line, [(line, code)], run?)]."""
    progs = []
    for line, marker, code in blocks(path):
        if marker == "fragment":
            continue
        if marker not in (None, "compile-only"):
            sys.exit(f"{path}:{line}: unknown snippet marker '{marker}' (fragment, compile-only)")
        if starts_program(code) or not progs:
            progs.append([line, [(line, code)], marker != "compile-only"])
        else:
            progs[-1][1].append((line, code))
            progs[-1][2] = progs[-1][2] and marker != "compile-only"
    return progs


def objects():
    objs = []
    for lib in libraries:
        found = sorted(glob.glob(os.path.join(opts.build_dir, lib + ".build", "*.o")))
        if not found:
            sys.exit(f"check-doc-snippets: no objects for {lib} in {opts.build_dir}: run `swift build` first")
        objs += found
    return objs


def check(path, first, parts, run, objs, work):
    rel = os.path.relpath(path, root)
    name = re.sub(r"\W", "_", f"{rel}_{first}")
    src_dir = os.path.join(work, name)
    os.makedirs(src_dir)
    main = os.path.join(src_dir, "main.swift")
    with open(main, "w") as f:
        for line, code in parts:
            f.write(f'#sourceLocation(file: "{rel}", line: {line + 1})\n{code}\n#sourceLocation()\n')
    exe = os.path.join(src_dir, "snippet")
    cmd = ["swiftc", "-swift-version", "6", "-warnings-as-errors",
           "-enable-experimental-feature", "Lifetimes", "-I", modules_dir,
           "-module-name", "Snippet", main, *objs, "-o", exe]
    where = f"{rel}:{first}" + (f" (with the blocks at lines {', '.join(str(l) for l, _ in parts[1:])})" if len(parts) > 1 else "")
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        print(f"FAIL {where}: does not compile (warnings count as errors)\n{p.stdout}{p.stderr}", file=sys.stderr)
        return False
    if run and not opts.no_run:
        try:
            r = subprocess.run([exe], capture_output=True, text=True, timeout=60, cwd=src_dir)
        except subprocess.TimeoutExpired:
            print(f"FAIL {where}: still running after 60 s (mark it <!-- snippet: compile-only -->?)", file=sys.stderr)
            return False
        if r.returncode != 0:
            print(f"FAIL {where}: compiled, but running it exited with {r.returncode}\n{r.stdout}{r.stderr}", file=sys.stderr)
            return False
    print(f"ok   {where}" + ("" if run and not opts.no_run else " (compiled only)"))
    return True


files = opts.files or [os.path.join(root, "README.md")] + sorted(glob.glob(os.path.join(root, "*", "*.docc", "*.md")))
objs = objects()
failed = total = 0
with tempfile.TemporaryDirectory(prefix="doc-snippets-") as work:
    for path in files:
        for first, parts, run in programs(os.path.abspath(path)):
            total += 1
            if not check(os.path.abspath(path), first, parts, run, objs, work):
                failed += 1
print(f"check-doc-snippets: {total - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
