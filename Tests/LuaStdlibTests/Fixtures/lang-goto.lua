-- goto: continue, nested loops, backward jumps, scoping rules, closures, labels at block ends.
-- continue in every loop kind
local out = {}
for i = 1, 6 do
  if i % 3 == 0 then goto continue end
  out[#out + 1] = i
  ::continue::
end
local j = 0
while j < 6 do
  j = j + 1
  if j % 2 == 0 then goto next_while end
  out[#out + 1] = "w" .. j
  ::next_while::
end
local k = 0
repeat
  k = k + 1
  if k == 2 then goto next_repeat end
  out[#out + 1] = "r" .. k
  ::next_repeat::
until k >= 3
for _, v in ipairs({ "a", "skip", "b" }) do
  if v == "skip" then goto next_item end
  out[#out + 1] = v
  ::next_item::
end
print(table.concat(out, " "))

-- a label at the end of a block is outside the scope of the block's locals,
-- so jumping forward over a local declaration to the end is allowed
do
  goto finish
  local skipped = 1
  print(skipped)
  ::finish::
end
print("jumped over local to block end")

-- break out of deeply nested loops with goto
local found
for a = 1, 20 do
  for b = 1, 20 do
    for c = 1, 20 do
      if a * a + b * b == c * c and a < b then found = a .. "," .. b .. "," .. c; goto done end
    end
  end
end
::done::
print("first triple", found)

-- backward goto implementing a state machine
local state, steps = "start", {}
::dispatch::
steps[#steps + 1] = state
if state == "start" then state = "middle"; goto dispatch
elseif state == "middle" then state = "end"; goto dispatch
end
print(table.concat(steps, " -> "))

-- each pass through a backward goto creates fresh locals for closures
local closures = {}
do
  local i = 1
  ::loop::
  local snapshot = i * 10
  closures[i] = function() return snapshot end
  i = i + 1
  if i <= 3 then goto loop end
end
print(closures[1](), closures[2](), closures[3]())

-- tbc variables are closed when goto leaves their scope
local log = {}
do
  local n = 0
  ::again::
  do
    local c <close> = setmetatable({}, { __close = function() log[#log + 1] = "closed" .. n end })
    n = n + 1
    if n < 3 then goto again end
  end
end
print(table.concat(log, " "))

-- same label name in different functions and different (non-nested) blocks
local function f1() goto l ::l:: return "f1" end
local function f2() do goto l end ::l:: return "f2" end
do ::x:: end
do ::x:: end
print(f1(), f2())

-- compile-time errors
local cases = {
  "goto missing",
  "do ::a:: end goto a",
  "::dup:: ::dup::",
  "do ::dup:: do ::dup:: end end",
  "goto ahead; local x = 1; ::ahead:: print(x)",
  "repeat goto cont; local z = 1; ::cont:: until z",
  "local function f() goto outer end ::outer::",
  "for i = 1, 2 do end goto continue",
}
for _, src in ipairs(cases) do
  local fn, err = load(src, "=goto")
  print(fn ~= nil, err)
end

-- goto continue where the label is followed only by void statements
for i = 1, 2 do
  if i == 1 then goto cont end
  print("body", i)
  ::cont:: ;
end

-- labels are statements: a label can be the last thing in a function
local function labelLast(x)
  if x then goto out end
  x = "was falsy"
  ::out::
  return x
end
print(labelLast(nil), labelLast("given"))

-- goto in a while true loop used as a retry
local attempts = 0
::retry::
attempts = attempts + 1
if attempts < 4 then goto retry end
print("attempts", attempts)
