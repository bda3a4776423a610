#!/usr/bin/env python3
"""Records what lua5.4's lua.c prints for each command line in
Tests/MoonletTests/Fixtures/cli-cases.json, into cli-expected.json beside it.

Each case runs with argv[0] = "lua" (both programs then name themselves the same way), in a
fresh copy of Fixtures/cli/ (plus an empty folder `adir`) as the working directory, with
standard input from the case's "stdin" (empty by default), a small fixed environment
(LC_ALL=C, TZ=UTC, LUA_PATH_5_4=./?.lua, LUA_CPATH_5_4=./?.so) plus the case's "env".
MoonletTests/CLITests.swift runs moonlet the same way and compares. Never edit the output
by hand: rerun this script.

    Scripts/record-cli-fixtures.py                # with lua5.4 from PATH
    LUA=/path/to/lua5.4 Scripts/record-cli-fixtures.py
"""
import json, os, shutil, subprocess, sys, tempfile

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
fixtures = os.path.join(root, "Tests", "MoonletTests", "Fixtures")
lua = shutil.which(os.environ.get("LUA", "lua5.4"))
if lua is None:
    sys.exit("record-cli-fixtures: lua5.4 not found")

def run(case):
    with tempfile.TemporaryDirectory() as tmp:
        work = os.path.join(tmp, "cli")
        shutil.copytree(os.path.join(fixtures, "cli"), work)
        os.mkdir(os.path.join(work, "adir"))
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C", "TZ": "UTC",
               "LUA_PATH_5_4": "./?.lua", "LUA_CPATH_5_4": "./?.so"}
        env.update(case.get("env", {}))
        p = subprocess.run(["lua"] + case["args"], executable=lua, cwd=work, env=env,
                           input=case.get("stdin", "").encode("latin-1"),
                           capture_output=True, timeout=30)
        return {"stdout": p.stdout.decode("latin-1"), "stderr": p.stderr.decode("latin-1"),
                "status": p.returncode}

cases = json.load(open(os.path.join(fixtures, "cli-cases.json")))
expected = {}
for case in cases:
    first, second = run(case), run(case)
    if first != second:
        sys.exit(f"record-cli-fixtures: {case['name']} differs between two runs")
    expected[case["name"]] = first
version = subprocess.run([lua, "-v"], capture_output=True, text=True).stdout.strip()
out = {"recorded_with": version, "cases": expected}
with open(os.path.join(fixtures, "cli-expected.json"), "w") as f:
    json.dump(out, f, indent=1, sort_keys=True, ensure_ascii=True)
    f.write("\n")
print(f"recorded {len(expected)} cases with {version}")
