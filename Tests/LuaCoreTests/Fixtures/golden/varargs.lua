local function f(a, ...)
  local b, c = ...
  local t = {..., n = select('#', ...)}
  return a, ..., b
end
local function g(...) return ... end
local function h(...) local x = ... return x end
print(...)
return f, g, h
