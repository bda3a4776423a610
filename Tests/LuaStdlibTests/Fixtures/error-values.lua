-- error/pcall/xpcall: values, levels, handlers, nesting.
print(pcall(error, "msg"))
print(pcall(error, "msg", 0))
print(pcall(error))
print(pcall(error, nil))
print(pcall(error, 42))
print(pcall(error, 4.5))
print(pcall(error, true))
local ok, t = pcall(error, { code = 404, text = "not found" })
print(ok, type(t), t.code, t.text)

-- levels: 1 is the function calling error, 2 its caller
local function lvl1() error("at level 1", 1) end
local function lvl2() error("at level 2", 2) end
local function callsLvl2()
  lvl2()  -- this line is blamed
end
print(pcall(lvl1))
print(pcall(callsLvl2))
local function lvl3inner() error("level 3", 3) end
local function lvl3mid() lvl3inner() end
local function lvl3outer()
  lvl3mid()  -- blamed
end
print(pcall(lvl3outer))
-- a level pointing at a C function (pcall) gives no position
print(pcall(lvl2))

-- error with a non-string value never gets position information
print(select(2, pcall(function() error(12) end)) == 12)
print(math.type(select(2, pcall(function() error(12) end))))

-- pcall returns all results on success
print(pcall(function(...) return ... end, 1, nil, 3))
print(pcall(function() end))
print(select("#", pcall(function() end)))

-- pcall with non-function values
print(pcall(42))
print(pcall(pcall))
print(pcall(pcall, error, "e"))

-- xpcall with a message handler
print(xpcall(function() error("E1") end, function(m) return "handled<" .. m .. ">" end))
print(xpcall(function() return "no error", 2 end, print))
print(xpcall(function(a, b) return a + b end, print, 3, 4))
print(xpcall(function() error({ 1, 2, 3 }) end, function(m) return #m end))
print(xpcall(function() local x = nil; return x() end, function(m) return "H: " .. m end))
-- the handler runs at the error point: it can inspect the error level
print(xpcall(function() error("deep", 2) end, function(m) return m end))
-- a handler that errors itself
print(xpcall(function() error("first") end, function(m) error("in handler") end))
-- handler returning multiple values: only the first is kept
print(xpcall(function() error("x", 0) end, function(m) return m, "extra" end))
print(pcall(xpcall))
print(pcall(xpcall, print))

-- nested pcall
print(pcall(function()
  local ok1, e1 = pcall(error, "inner", 0)
  error("outer saw: " .. e1, 0)
end))

-- error rethrow keeps the original value
local ok3, e3 = pcall(function()
  local ok4, e4 = pcall(error, { tag = "orig" })
  error(e4)
end)
print(ok3, e3.tag)

-- assert
print(pcall(assert, false))
print(pcall(assert, nil, "custom message"))
local oka, ea = pcall(assert, false, { "table msg" })
print(oka, type(ea), ea[1])
print(pcall(assert, 1 == 1, "unused"))
print(select("#", assert(1, 2, 3)), assert("v", "m"))
print(pcall(assert))
print(pcall(assert, false, 42))

-- error in error handling of tostring
local bad = setmetatable({}, { __tostring = function() error("tostring failed", 0) end })
print(pcall(tostring, bad))
print(pcall(print, bad))

-- errors crossing coroutines and metamethods keep values
local mt = { __index = function(_, k) error({ missing = k }) end }
local obj = setmetatable({}, mt)
local okm, em = pcall(function() return obj.abc end)
print(okm, em.missing)

-- runtime errors from arithmetic carry positions
local function arith(x) return x + 1 end
print(pcall(arith, {}))
print(pcall(arith, "z"))

-- error objects with __tostring are not converted by pcall
local eobj = setmetatable({}, { __tostring = function() return "EOBJ" end })
local oke, ee = pcall(error, eobj)
print(oke, ee == eobj, tostring(ee))

-- error with level and non-string message
local okl, el = pcall(error, { "t" }, 2)
print(okl, type(el), el[1])

-- string error messages with embedded newlines and formatting
print(pcall(error, "line1\nline2", 0))
print(pcall(error, string.format("%d%%", 50), 0))

-- deep pcall nesting
local function nest(n)
  if n == 0 then error("bottom", 0) end
  local ok5, e5 = pcall(nest, n - 1)
  error(e5 .. "<" .. n, 0)
end
print(pcall(nest, 5))
