-- Method calls through metatables and __index chains: a three-level class hierarchy.
-- Usage: lua methods.lua [n]   (default 10000000)
local n = tonumber(arg and arg[1]) or 10000000

local function class(parent)
  local c = {}
  c.__index = c
  if parent then setmetatable(c, { __index = parent }) end
  c.new = function(...)
    local o = setmetatable({}, c)
    o:init(...)
    return o
  end
  return c
end

local Shape = class()
function Shape:init(name) self.name = name; self.moves = 0 end
function Shape:area() return 0 end
function Shape:move(dx, dy) self.x = (self.x or 0) + dx; self.y = (self.y or 0) + dy; self.moves = self.moves + 1 end
function Shape:describe() return self.name end

local Rect = class(Shape)
function Rect:init(w, h) Shape.init(self, "rect"); self.w = w; self.h = h end
function Rect:area() return self.w * self.h end
function Rect:perimeter() return 2 * (self.w + self.h) end

local Square = class(Rect)
function Square:init(s) Rect.init(self, s, s); self.name = "square" end
function Square:diagonal() return self.w * 1.4142135623730951 end

local Circle = class(Shape)
function Circle:init(r) Shape.init(self, "circle"); self.r = r end
function Circle:area() return 3.141592653589793 * self.r * self.r end

local shapes = {}
for i = 1, 100 do
  local kind = i % 3
  if kind == 0 then shapes[i] = Rect.new(i % 7 + 1, i % 5 + 1)
  elseif kind == 1 then shapes[i] = Square.new(i % 9 + 1)
  else shapes[i] = Circle.new(i % 4 + 1) end
end

local area, perim, diag = 0.0, 0, 0.0
for i = 1, n do
  local s = shapes[i % 100 + 1]
  area = area + s:area()
  s:move(1, -1)
  if s.perimeter then perim = perim + s:perimeter() end   -- inherited lookup through two levels
  if s.diagonal then diag = diag + s:diagonal() end
end

local moves = 0
for i = 1, 100 do moves = moves + shapes[i].moves + shapes[i].x end
print(string.format("area %.3f  perimeter %d  diagonal %.3f  moves %d  %s", area, perim, diag, moves, shapes[2]:describe()))
