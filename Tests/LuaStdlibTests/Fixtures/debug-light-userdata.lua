-- Light userdata, as debug.upvalueid returns them: type, identity, table keys, the one
-- metatable all light userdata share, messages (luaL_typeerror says "light userdata").
local a = 1
local function f() return a end
local function g() return a end
local id = debug.upvalueid(f, 1)
print(type(id), id == debug.upvalueid(g, 1), id ~= debug.upvalueid(print == nil and f or f, 1))
print(math.type(id), tostring(id):match("^userdata: 0x%x+$") ~= nil, string.format("%p", id) == tostring(id):sub(11))
print(pcall(debug.setuservalue, id, {}))
print(debug.getuservalue(id))
local t = {[id] = "v"}
print(t[debug.upvalueid(g, 1)], next(t) == id, rawequal(id, debug.upvalueid(f, 1)))
print(getmetatable(id))
local mt = {__index = function(u, k) return k .. "!" end, __name = "LUD"}
debug.setmetatable(id, mt)
print(id.foo, getmetatable(debug.upvalueid(g, 1)) == mt)
print(tostring(id):match("^LUD: 0x") ~= nil)
print(pcall(debug.setuservalue, id, {}))
print(pcall(string.rep, id))
debug.setmetatable(id, nil)
print(pcall(function() return id.x end))
print(pcall(function() return id < id end))
print(pcall(function() return #id end))
print(pcall(function() return id .. "" end))
print(select(2, pcall(error, id)) == id)
local w = setmetatable({}, {__mode = "kv"})
w[id] = id
collectgarbage()
print(w[id] == id)
print(pcall(string.format, "%q", id))
print(pcall(setmetatable, id, {}))
print(pcall(rawlen, id))
