-- To-be-closed values of a generic `for` (its fourth value): closed when the loop ends
-- normally, by break, goto and return, also when the body captures a loop variable.
-- (The empty-loop `break` case that Lua 5.4.4 gets wrong is tested in Lua546Tests.swift.)
local log = {}
local function closer(name)
  return setmetatable({}, { __close = function(_, err)
    log[#log + 1] = "closed " .. name .. (err ~= nil and (" (" .. tostring(err) .. ")") or "")
  end })
end

local function run(how)
  for k, v in next, { 1, 2 }, nil, closer(how) do
    local function f() return k end   -- the body has an upvalue
    if how == "break" then break end
    if how == "goto" then goto out end
    if how == "return" then return "returned " .. f() end
    if how == "error" then error("oops", 0) end
  end
  ::out::
  log[#log + 1] = "after " .. how
end

for _, how in ipairs { "end", "break", "goto", "return" } do
  local r = run(how)
  print(how, r, table.concat(log, "; "))
  log = {}
end
print(pcall(run, "error"))
print(table.concat(log, "; "))
log = {}

-- nested loops: break out of the inner one closes only the inner value
for i in next, { 1 }, nil, closer("outer") do
  for j in next, { 1, 2, 3 }, nil, closer("inner") do
    if j then break end
  end
  log[#log + 1] = "between"
end
print(table.concat(log, "; "))
log = {}
