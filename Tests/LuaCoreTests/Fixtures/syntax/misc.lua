#!/usr/bin/env lua
-- Shebang line, _ENV handling, semicolons and method chains.
local print = print
x = 1
local function uses_global() return x, y end
do
  local _ENV = {z = 1}
  z = 2
  w = z
end
local function env_param(_ENV) return a + b end
;;;
local s = ("x"):rep(3):upper()
local t = setmetatable({}, {__index = string}).format
a.b.c.d = 1
a["b"][1][2.5] = 2
return uses_global, env_param, s, t
