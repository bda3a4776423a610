// The line-editing library moonlet's REPL reads lines with: libedit, through its
// readline-compatible interface (macOS ships it; Debian and Ubuntu: `apt-get install
// libedit-dev`; Homebrew: `brew install libedit`).
#include <stdio.h>
#include <editline/readline.h>
