-- Runtime error messages name the culprit variable exactly as lua5.4 does.
local function check(f, ...)
  local ok, err = pcall(f, ...)
  print(ok and "no error" or err)
end

-- indexing
check(function() return undefinedVar.field end)
check(function() local t = {}; return t.a.b end)
check(function() local z; return z.k end)
check(function() local z; return z[1] end)
local u
check(function() return u.x end)
check(function() local t = { y = {} }; return t.y.q.r end)
check(function() local s = "str"; return s.x.y end)
check(function() return ("x").y.z end)
check(function() local t = {}; t.x.y = 1 end)
check(function() local t = {}; return t[1][2] end)
check(function() local t = {}; local k = "dyn"; return t[k].z end)
check(function() return math.nothere.x end)
check(function() local a = { b = { c = nil } }; return a.b.c.d end)
check(function(p) return p.field end)
check(function(...) local v = ...; return v.x end)

-- calling
check(function() undefinedFunc() end)
check(function() local t = {}; t.method() end)
check(function() local t = {}; t:m() end)
check(function() local obj = { inner = {} }; obj.inner:go() end)
check(function() local f; f() end)
check(function() u() end)
check(function() local t = {}; t[1]() end)
check(function() ("s"):nomethod() end)
check(function() (nil)() end)
check(function() local t = { f = 5 }; t.f() end)
check(function() string.nothing("x") end)
check(function() local x = 1; x() end)
check(function() return (1)() end)

-- arithmetic
check(function() local t = {}; return t.q + 1 end)
check(function() local t = {}; return 1 + t.q end)
check(function() return undefinedNum * 2 end)
check(function() local a; return a - 1 end)
check(function() return u / 2 end)
check(function() local t = {}; return -t end)
check(function() local s = "abc"; return s + 1 end)
check(function() local t = {}; return t.x ^ 2 end)
check(function() local t = { n = {} }; return t.n % 2 end)
check(function() return {} // 1 end)
check(function() local b = true; return b * 2 end)

-- bitwise
check(function() local t = {}; return t.f & 1 end)
check(function() local f = 1.5; return f | 0 end)
check(function() return 2.5 ~ 1 end)
check(function() local t = { v = 3.25 }; return t.v << 1 end)

-- concatenation
check(function() local t = {}; return "a" .. t end)
check(function() local t = {}; return t .. "a" end)
check(function() return "a" .. undefinedStr end)
check(function() local t = {}; return "a" .. t.x .. "b" end)
check(function() return "a" .. {} end)
check(function() local n; return n .. "x" end)
check(function() return 1 .. u end)

-- comparison
check(function() return 1 < nil end)
check(function() return {} < 1 end)
check(function() return "a" < 1 end)
check(function() local t = {}; return t <= t end)
check(function() return nil > nil end)
check(function() return function() end < 1 end)

-- length
check(function() local n; return #n end)
check(function() return #undefinedLen end)
check(function() local t = {}; return #t.list end)
check(function() return #5 end)

-- for loops
check(function() for i = 1, nil do end end)
check(function() for i = {}, 1 do end end)
check(function() for i = 1, 2, 0 do end end)
check(function() for k, v in nil do end end)
check(function() for k, v in {} do end end)
check(function() local t = {}; for k in t.iter do end end)

-- upvalues and constants in messages
local up = nil
check(function() return up.field end)
check(function() return up + 1 end)
check(function() return up() end)
check(function() local c <const> = "const"; return c.x.y end)

-- method call on a field of a nil upvalue
check(function() return up:method() end)

-- errors from library functions mention the function name
check(function() string.rep() end)
check(function() ("x"):rep() end)
check(function() ("x"):rep({}) end)
check(function() string.sub("x", {}) end)
check(function() math.floor({}) end)
check(function() table.insert({}, 1, 2, 3) end)
check(function() table.insert({}, 5, 2) end)
check(function() table.concat({ 1, {}, 3 }) end)
check(function() setmetatable(1, {}) end)
check(function() ipairs() end)
check(function() tostring() end)
check(function() string.char(256) end)
check(function() string.format("%d", 1.5) end)
check(function() string.format("%d", "x") end)
check(function() ("x"):bad() end)
check(function() local s = "x"; s:sub({}) end)
check(function() io.write({}) end)
check(function() select() end)
check(function() table.unpack(nil) end)
check(function() math.random(0) end)
check(function() math.random(2, 1) end)
