-- Identity (%p) of strings: short strings are interned; equal long literals of one chunk
-- (nested functions included) are one object; strings built at run time are new objects.
local function getadd(s) return string.format("%p", s) end
local long = "01234567890123456789012345678901234567890123456789"
local s1 <const> = "01234567890123456789012345678901234567890123456789"
local s3 = "01234567890123456789012345678901234567890123456789"
local function foo() return s1 end
local function foo1() return s3 end
local function foo2()
  return "01234567890123456789012345678901234567890123456789"
end
local function deeper()
  return function() return "01234567890123456789012345678901234567890123456789" end
end
local a1 = getadd(long)
print(a1 == getadd(s1), a1 == getadd(s3), a1 == getadd(foo()), a1 == getadd(foo1()),
      a1 == getadd(foo2()), a1 == getadd(deeper()()))
local sd = "0123456789" .. "0123456789012345678901234567890123456789"
print(sd == long, getadd(sd) == a1)
-- another chunk has its own copy
local other = load('return "01234567890123456789012345678901234567890123456789"')()
print(other == long, getadd(other) == a1)
-- short strings are always one object
local short = "abc"
print(getadd(short) == getadd("ab" .. "c"), getadd(short) == getadd(load('return "abc"')()))
-- different long literals are different objects
local l2 = "012345678901234567890123456789012345678901234567890"
print(getadd(l2) == a1, getadd(l2) == getadd("012345678901234567890123456789012345678901234567890"))
