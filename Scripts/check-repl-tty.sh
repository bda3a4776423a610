#!/usr/bin/env bash
# Drives moonlet's REPL in a real terminal (tmux) the way a person would and checks the
# screen: libedit editing (Up recalls history, Backspace edits it), `= expr`, multi-line
# continuation with the `>>` prompt, arrow keys never reaching Lua as ESC bytes, Ctrl-C
# stopping a running loop with lua.c's "interrupted!" error (position, traceback, catchable
# by pcall) while the REPL goes on, and Ctrl-D ending it
# with status 0. Skips (exit 0) when tmux is not installed.
#
#   Scripts/check-repl-tty.sh [path/to/moonlet]     # default .build/debug/moonlet
set -euo pipefail
cd "$(dirname "$0")/.."
moonlet=$(realpath "${1:-.build/debug/moonlet}")
if ! command -v tmux >/dev/null 2>&1; then echo "check-repl-tty: SKIP (no tmux)"; exit 0; fi
[ -x "$moonlet" ] || { echo "check-repl-tty: no moonlet at $moonlet (build it first)" >&2; exit 1; }

session="moonlet-repl-check-$$"
export TMUX_TMPDIR=$(mktemp -d)                 # a private tmux server, gone with the folder
trap 'tmux kill-server 2>/dev/null || true; rm -rf "$TMUX_TMPDIR"' EXIT
tmux new-session -d -s "$session" -x 100 -y 50 \
  "TERM=xterm bash -c '\"$moonlet\"; echo EXIT=\$?; sleep 60'"

screen() { tmux capture-pane -p -t "$session"; }
fail() { echo "check-repl-tty: FAIL: $1" >&2; echo "--- screen:" >&2; screen >&2; exit 1; }
# Waits until the screen has $2 lines matching the regex $1 (default 1), up to 10 s.
wait_for() {
  local want=${2:-1}
  for _ in $(seq 100); do
    [ "$(screen | grep -cE -- "$1" || true)" -ge "$want" ] && return 0
    sleep 0.1
  done
  fail "expected $want line(s) matching: $1"
}
type_line() { tmux send-keys -t "$session" -l "$1"; tmux send-keys -t "$session" Enter; }
keys() { tmux send-keys -t "$session" "$@"; }

wait_for '^> ?$'
type_line 'x = 41';                     wait_for '^> x = 41$'
keys Up; wait_for '^> x = 41$' 2        # history recall shows the line again
keys BSpace; tmux send-keys -t "$session" -l 2; keys Enter
wait_for '^> x = 42$'
type_line '= x';                        wait_for '^42$'
type_line 'for i = 1, 2 do';            wait_for '^>> ?$'
type_line 'print(i * 10)';              wait_for '^>> print\(i \* 10\)$'
type_line 'end';                        wait_for '^20$'
keys Left Left Right Up Down            # cursor keys at an empty prompt: no ESC reaches Lua
type_line 'print("after arrows")';      wait_for '^after arrows$'
screen | grep -q '<\\27>\|binary' && fail "an escape sequence reached the compiler"
type_line 'while true do end'
sleep 0.5
keys C-c;                               wait_for 'interrupted!$'
wait_for '^ *stdin:1: in main chunk$'   # lua.c's traceback from the interrupted function
type_line 'local function f() for i = 1, 1e12 do end end f()'
sleep 0.5
keys C-c;                               wait_for 'C?stdin:1: interrupted!$'
wait_for "^ *stdin:1: in local 'f'$"
type_line 'print(pcall(function() while true do end end))'
sleep 0.5
keys C-c;                               wait_for 'false[[:space:]]+interrupted!$'
type_line 'print("still alive")';       wait_for '^still alive$'
type_line 'error("boom")';              wait_for '^stdin:1: boom$'
screen | grep -q 'moonlet: ' && fail "REPL errors must not carry the program name"
keys C-d;                               wait_for '^EXIT=0$'
echo "check-repl-tty: ok (history, editing, continuation, arrows, Ctrl-C, Ctrl-D)"
