-- Tail calls through each path of TAILCALL: a Lua callee given its parameters exactly, with
-- extra or missing arguments, with all results of a call as arguments, a vararg callee or
-- caller, upvalues to close, `__call`, host functions; proper tail recursion; hooks and
-- tracebacks that see tail calls; returns that close upvalues to every kind of caller.

local function show(...)
  local t = table.pack(...)
  local parts = {}
  for i = 1, t.n do
    local v = t[i]
    parts[i] = (type(v) == "table" or type(v) == "function") and type(v) or tostring(v)
  end
  return t.n .. ":" .. table.concat(parts, ",")
end

local function id(a) return a end
local function pair(a, b) return a, b end
local function three(a, b, c) return a, b, c end
local function many() return 1, 2, 3, 4 end
local function va(...) return select('#', ...), ... end

print("fixed arguments")
local function exact(x) return id(x) end
local function extra(x) return id(x, "extra", "args") end
local function missing(x) return three(x) end
local function none() return three() end
print(show(exact(1)), show(extra(2)), show(missing(3)), show(none()))

print("all results as arguments (B = 0)")
local function spread() return three(many()) end
local function spreadEmpty() return three((function() end)()) end
local function nested(x) return id(pair(x, x)) end
print(show(spread()), show(spreadEmpty()), show(nested(5)))

print("vararg callee and caller")
local function toVa(x) return va(x, nil) end
local function fromVa(...) return pair(...) end
local function vaToVa(...) return va(...) end
print(show(toVa(1)), show(fromVa(1, 2, 3)), show(vaToVa()), show(vaToVa(nil, nil)))

print("upvalues closed by the tail call")
local saved = {}
local function capture(i)
  local j = i * 10
  saved[#saved + 1] = function() return j end
  return id(j + 1)
end
for i = 1, 3 do io.write(capture(i), " ") end
print(saved[1](), saved[2](), saved[3]())

print("__call and host functions")
local callable = setmetatable({}, {__call = function(self, a, b) return "called", a, b end})
local function toCallable(x) return callable(x, x + 1) end
local chain = setmetatable({}, {__call = callable})
local function toChain(x) return chain(x) end
local function toHost(x) return tostring(x) end
local function toHostMany(s) return string.byte(s, 1, -1) end
local function toSelect(...) return select(2, ...) end
print(show(toCallable(1)), show(toChain(7)), show(toHost(2.5)), show(toHostMany("abc")), show(toSelect(1, 2, 3)))
print(pcall(function() local notfn = 3; return notfn(1) end))

print("proper tail recursion")
local function countdown(n, acc) if n == 0 then return acc end return countdown(n - 1, acc + 1) end
print(countdown(300000, 0))
local isEven, isOdd
function isEven(n) if n == 0 then return true end return isOdd(n - 1) end
function isOdd(n) if n == 0 then return false end return isEven(n - 1) end
print(isEven(100001), isOdd(100001))
local function vaLoop(n, ...) if n == 0 then return select('#', ...) end return vaLoop(n - 1, ...) end
print(vaLoop(100000, 1, 2, 3))

print("hooks")
local events = {}
local function leaf(x) return x end
local function viaTail(x) return leaf(x) end
debug.sethook(function(e)
  local info = debug.getinfo(2, "nt")
  events[#events + 1] = e .. ":" .. tostring(info.name) .. (info.istailcall and "(tail)" or "")
end, "cr")
viaTail(1)
debug.sethook()
table.remove(events)   -- the call of debug.sethook itself
print(table.concat(events, " "))

print("tracebacks")
local function fail(t) return t.missing.field end
local function tailFail(t) return fail(t) end
local ok, msg = pcall(tailFail, {})
print(ok, msg)
print((select(2, xpcall(tailFail, function(m)
  local tb = debug.traceback(m, 1)
  return (tb:find("tail calls", 1, true) ~= nil) and "traceback shows tail calls" or tb
end, {}))))

print("returns that close upvalues")
local function makeAdder(k) return function(x) return x + k end end
local function makePair(k) return function() return k end, k end
local add = makeAdder(5)
print(add(1), show(makeAdder(1)(2)), show(makePair(3)))
local a, b, c = makePair(4)
print(a(), b, c)
makeAdder(6)
local t = {makeAdder(7), makeAdder(8)}
print(t[1](0), t[2](0))
print(show(pcall(makeAdder, 9)))
local co = coroutine.wrap(function(k) local f = makeAdder(k); coroutine.yield(f(1)); return makeAdder(k + 1) end)
print(co(10), co()(1))
