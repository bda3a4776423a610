-- while, repeat, break, goto, nested blocks and scoping.
local i = 0
while i < 5 do i = i + 1 end
print("while", i)

local n = 0
repeat n = n + 1 until n >= 3
print("repeat", n)

-- the until condition sees locals declared in the loop body
local count = 0
repeat
  local done = count >= 4
  count = count + 1
until done
print("repeat scope", count)

-- break out of nested loops only breaks the innermost
local log = {}
for a = 1, 3 do
  for b = 1, 3 do
    if b == 2 then break end
    log[#log + 1] = a .. b
  end
end
print(table.concat(log, " "))

-- break inside repeat and while
local w = 0
while true do
  w = w + 1
  if w == 7 then break end
end
local r = 0
repeat
  r = r + 1
  if r == 4 then break end
until false
print(w, r)

-- goto continue
local odds = {}
for k = 1, 10 do
  if k % 2 == 0 then goto continue end
  odds[#odds + 1] = k
  ::continue::
end
print(table.concat(odds, ","))

-- goto backwards as a loop
local g = 0
::top::
g = g + 1
if g < 5 then goto top end
print("goto loop", g)

-- goto out of nested loops
for a = 1, 10 do
  for b = 1, 10 do
    if a * b == 42 then
      print("found", a, b)
      goto out
    end
  end
end
::out::

-- closures in goto-formed loops capture fresh locals each time
local fs = {}
do
  local k = 1
  ::again::
  local captured = k
  fs[#fs + 1] = function() return captured end
  k = k + 1
  if k <= 3 then goto again end
end
print(fs[1](), fs[2](), fs[3]())

-- labels at the end of blocks; a label visible in nested functions is not
do
  goto skip
  print("never")
  ::skip::
end

-- do-blocks and shadowing
local x = 1
do
  local x = x + 1
  do
    local x = x * 10
    print("inner", x)
  end
  print("middle", x)
end
print("outer", x)

-- if/elseif chains
local function classify(v)
  if v < 0 then return "neg"
  elseif v == 0 then return "zero"
  elseif v < 10 then return "small"
  else return "big" end
end
print(classify(-5), classify(0), classify(3), classify(30))

-- while with complex condition and early return from function
local function find(t, v)
  local idx = 1
  while t[idx] do
    if t[idx] == v then return idx end
    idx = idx + 1
  end
  return nil
end
print(find({ 5, 6, 7 }, 7), find({ 5, 6, 7 }, 8))

-- numeric loop inside while inside repeat
local total = 0
repeat
  local j = 0
  while j < 3 do
    for q = 1, 2 do total = total + q end
    j = j + 1
  end
until total >= 18
print("total", total)

-- semicolons and empty statements
;;; local y = 1; ; print("y", y);

-- goto errors are compile errors reported by load
print(load("goto nowhere"))
print(load("do local a ::l:: end goto l"))
print(load("::a:: ::a::"))
print(load("goto f; local x; ::f:: print(x)"))
print(load("do goto f; local x end ::f::") ~= nil)
print(load("break"))
