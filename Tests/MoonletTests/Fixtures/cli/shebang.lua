#!/usr/bin/env lua
print("after shebang")
