-- require with preload, a temporary module directory on package.path, errors
print(package.config == "/\n;\n?\n!\n-\n", type(package.path), type(package.preload), type(package.searchers))
print(package.loaded._G == _G, package.loaded.package == package, package.loaded.io == io, package.loaded.os == os)
print(pcall(function() return require() end))
package.preload.foo = function(...) print("loading", ...) return nil end
print(require("foo"))
print(require("foo"))
print(package.loaded.foo)
package.preload.bar = function(...) return {name = "bar"} end
local bar, data = require("bar")
print(bar.name, data, require("bar") == bar)
package.loaded.bar = false
print(require("bar") ~= bar)
package.cpath = ""
package.searchers[4] = nil
package.searchers[3] = nil
package.path = "./?.lua"
print(pcall(function() return require("nonexist.mod") end))
local dir = "/tmp/moonlet_osio_require_test"
os.execute("rm -rf " .. dir)
os.execute("mkdir -p " .. dir .. "/sub")
local function writefile(name, text) local f = assert(io.open(dir .. "/" .. name, "w")) f:write(text) f:close() end
writefile("mymod.lua", "print('running mymod', ...)\nreturn {value = 42}\n")
writefile("sub/init.lua", "return 'sub init: ' .. select(1, ...)\n")
writefile("sub/leaf.lua", "local name, path = ...\nreturn path\n")
writefile("bad.lua", "return +\n")
writefile("noreturn.lua", "x_from_noreturn = true\n")
writefile("err.lua", "error('raised in module')\n")
package.path = dir .. "/?.lua;" .. dir .. "/?/init.lua"
local m, path = require("mymod")
print(m.value, path == dir .. "/mymod.lua")
print(require("mymod") == m)
print(require("sub"))
print(require("sub.leaf") == dir .. "/sub/leaf.lua")
print(require("noreturn"), x_from_noreturn, package.loaded.noreturn)
print(pcall(require, "bad"))
print(pcall(require, "err"))
print(pcall(require, "missing"))
print(package.searchpath("sub.leaf", package.path) == dir .. "/sub/leaf.lua")
print(package.searchpath("a.b", "./?.lua;/x/?.lua"))
print(package.searchpath("a.b", "./?.lua;/x/?.x", "", ""))
print(package.searchpath("a_b", "/x/?.lua;;/y/?", "_", "-"))
print(package.searchpath("a.b", ""))
print(type(package.loadlib), pcall(function() return package.loadlib() end))
package.searchers[#package.searchers + 1] = function(name) return "\n\tcustom searcher says no" end
package.searchers[#package.searchers + 1] = function(name) if name == "virtual" then return function(n, extra) return "virtual:" .. n .. ":" .. extra end, "EXTRA" end end
print(require("virtual"))
print(pcall(require, "nothing"))
package.searchers = nil
print(pcall(require, "zzz"))
os.execute("rm -rf " .. dir)
