-- To-be-closed variables: order, break, return, errors, error in __close.
local log = {}
local function closer(name)
  return setmetatable({ name = name }, { __close = function(self, err)
    log[#log + 1] = self.name .. (err ~= nil and ("(" .. tostring(err) .. ")") or "")
  end })
end
local function flush(label)
  print(label, table.concat(log, " "))
  log = {}
end

do
  local a <close> = closer("a")
  local b <close> = closer("b")
  local c <close> = closer("c")
end
flush("reverse order:")

-- nil and false are allowed and ignored
do
  local n <close> = nil
  local f <close> = false
  local x <close> = closer("x")
end
flush("nil/false ignored:")

-- closing on break and on each loop iteration
for i = 1, 3 do
  local it <close> = closer("iter" .. i)
  if i == 2 then break end
end
flush("loop with break:")

-- closing on return; the return values are computed before closing
local function withReturn()
  local r <close> = closer("r")
  local value = "computed"
  return value, #log
end
print(withReturn())
flush("return:")

-- closing on error; the error object is passed to __close
local ok, err = pcall(function()
  local e1 <close> = closer("e1")
  local e2 <close> = closer("e2")
  error("oops", 0)
end)
print(ok, err)
flush("error:")

-- an error inside __close replaces the original error; other variables still close
ok, err = pcall(function()
  local first <close> = closer("first")
  local bad <close> = setmetatable({}, { __close = function(_, e) log[#log + 1] = "bad(" .. tostring(e) .. ")"; error("close failed", 0) end })
  local last <close> = closer("last")
  error("original", 0)
end)
print(ok, err)
flush("error in close:")

-- error in __close on normal exit
ok, err = pcall(function()
  local a <close> = closer("a")
  local b <close> = setmetatable({}, { __close = function() error("from b", 0) end })
  return "unreached"
end)
print(ok, err)
flush("close error normal exit:")

-- non-closable values are an error at declaration
print(pcall(function() local x <close> = {} end))
print(pcall(function() local x <close> = 42 end))
print(load("local a <close>, b <close> = 1, 2"))

-- tbc variables are constants
print(load("local x <close> = nil; x = 1"))

-- goto out of a block closes
do
  local i = 0
  ::again::
  do
    local g <close> = closer("goto" .. i)
    i = i + 1
    if i < 3 then goto again end
  end
end
flush("goto:")

-- nested functions and tail calls: a function with tbc variables does not tail call
local function inner() log[#log + 1] = "inner-runs"; return "inner" end
local function outer()
  local o <close> = closer("outer")
  return inner()
end
print(outer())
flush("no tail call:")

-- __close receives nil as error on normal exit, and exactly one or two arguments
local argc
do
  local z <close> = setmetatable({}, { __close = function(...) argc = select("#", ...) end })
end
print("close args", argc)

-- generic for closing value combined with a tbc inside the body
local function iterWithClose()
  local i = 0
  return function() i = i + 1; if i <= 2 then return i end end, nil, nil, closer("for-close")
end
for i in iterWithClose() do
  local body <close> = closer("body" .. i)
end
flush("for:")

-- coroutine.close runs pending tbc variables
local co = coroutine.create(function()
  local c1 <close> = closer("co1")
  local c2 <close> = closer("co2")
  coroutine.yield("suspended")
end)
print(coroutine.resume(co))
print(coroutine.close(co), coroutine.status(co))
flush("coroutine.close:")

-- metamethod is looked up when the variable is closed
local late = setmetatable({}, { __close = function() log[#log + 1] = "original" end })
do
  local v <close> = late
  getmetatable(late).__close = function() log[#log + 1] = "replaced" end
end
flush("late lookup:")

-- __close removed before closing
local removed = setmetatable({}, { __close = function() end })
print(pcall(function()
  local v <close> = removed
  getmetatable(removed).__close = nil
end))
