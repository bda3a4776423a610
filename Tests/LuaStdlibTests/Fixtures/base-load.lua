-- load: text chunks, chunk names, env parameter, readers, syntax errors as values.
local f = load("return 1 + 2")
print(type(f), f())
print(load("return ...", "varargs")(4, 5, 6))
print(load("local a, b = ... return b, a")(1, 2))

-- syntax errors are returned, not raised
print(load("return +"))
print(load("x = = 1"))
print(load("local 1 = 2"))
print(load("for i = 1 do end"))
print(load("return 'unclosed"))
print(load("return 1e"))
print(load("if x then"))
print(load("f("))
print(load("a.b:c = 1"))
print(load("return \"\\500\""))
print(load("local t = {} t.1 = 2"))
print(load("x = }"))
print(load("return " .. string.rep("(", 100) .. "1" .. string.rep(")", 100))())

-- chunk names: "=name" is used verbatim, "@file" as a file name, otherwise [string "..."]
print(type(load("error('e')", "=custom")))
print(pcall(load("error('e')", "=custom")))
print(pcall(load("error('e')", "@file.lua")))
print(pcall(load("error('e')", "a plain name")))
print(pcall(load("\n\nerror('line three')")))
print(pcall(load("error('long source name that goes on and on and on and on and on and on and on')")))
print(pcall(load("x = 1\nerror('multi-line source')")))
print(load("syntax error here", "=(load)"))
print(load("+", "@some/path/file.lua"))

-- env parameter: the chunk's _ENV upvalue
local env = { print = print, tostring = tostring, value = 10 }
local chunk = load("value = value + 1; newGlobal = 'set'; return value", "env chunk", "t", env)
print(chunk(), env.value, env.newGlobal, rawget(_G, "newGlobal"))
print(pcall(load("return print", "noenv", "t", {})))
print(pcall(load("return undefinedFn()", "noenv2", "t", {})))
local nilEnvChunk = load("return x", "nilenv", "t", nil)
print(pcall(nilEnvChunk))
-- a chunk without env uses the globals
x_from_global = "global value"
print(load("return x_from_global")())

-- reader functions: pieces concatenated until nil or empty string
local pieces = { "return ", "'from ", "reader'", nil }
local i = 0
print(load(function() i = i + 1; return pieces[i] end)())
local calls = 0
print(load(function() calls = calls + 1; if calls == 1 then return "return 7" end return "" end)(), calls)
-- (inside pcall, so that no message handler of the host adds a traceback)
print(pcall(load, function() return {} end))
print(pcall(load, function() error("reader failed") end))
print(type(load(function() return nil end)), load(function() return nil end)())

-- mode parameter
print(load("return 1", "m", "t")())
print(load("return 1", "m", "b"))
print(pcall(load, "return 1", "m", "x"))
print(load(string.dump(function() return 1 end), "bin", "t"))

-- loaded chunks are vararg functions with their own locals
local counter = load("local n = (...) or 0; return function() n = n + 1; return n end")
local c1, c2 = counter(10), counter()
print(c1(), c1(), c2())

-- _ENV manipulation inside chunks
print(load("local _ENV = { y = 5 }; return y")())
print(load("_ENV = { z = 6 }; return z")())
print(load("local function f() return _ENV end; return f() == _G")())

-- load with a non-string non-function
print(pcall(load, 42))
print(pcall(load, nil))
print(pcall(load, {}))

-- dofile and loadstring are absent/present as in 5.4
print(type(dofile), type(loadfile), loadstring, setfenv, unpack)

-- load returns a function whose upvalue 1 is _ENV even when unused
local noGlobals = load("return 1 + 1")
print(noGlobals())

-- error positions inside loaded chunks count lines of the chunk
print(pcall(load("local a = 1\nlocal b = nil\nreturn b.c", "=lines")))

-- deep nesting in source is limited, not a crash
local deep = "return " .. string.rep("{", 150) .. string.rep("}", 150)
print(type(load(deep)))
local deeper = "return " .. string.rep("{", 1000) .. string.rep("}", 1000)
local okd, errd = load(deeper)
print(okd, type(errd), errd ~= nil and (errd:find("overflow", 1, true) ~= nil))

-- a chunk ending without newline, with a shebang-looking first line (only skipped by loadfile)
print(load("#!/bin/lua\nreturn 1"))
print(load("return 2 -- trailing comment")())
print(load("return 3 --[[ unterminated")) 
