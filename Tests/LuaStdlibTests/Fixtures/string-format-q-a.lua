-- string.format %q (round-trippable literals) and %a (hex floats).
local f = string.format
print(f("%q", "simple"))
print(f("%q", 'with "quotes" and \\ backslash'))
print(f("%q", "new\nline"))
print(f("%q", "tab\tcr\rnul\0bell\a"))
print(f("%q", "\0001"), f("%q", "\0a"), f("%q", "\1\0012"), f("%q", "\127\128\255"))
print(f("%q", "\r\n"), f("%q", "\27[0m"))
print(f("%q", ""))

-- %q of non-strings
print(f("%q", 42), f("%q", -7), f("%q", math.mininteger), f("%q", math.maxinteger))
print(f("%q", 1.5), f("%q", 0.1), f("%q", -0.0), f("%q", 1e100), f("%q", 2^63))
print(f("%q", 1 / 0), f("%q", -1 / 0), f("%q", 0 / 0))
print(f("%q", nil), f("%q", true), f("%q", false))
print(pcall(f, "%q", {}))
print(pcall(f, "%q", print))
print(pcall(f, "%q"))

-- every %q output loads back to the same value
local values = { "x\0y\1z\n\r\t\"\\", 0, -1, 3.25, -0.0, 1e308, 5e-324, 2^53 + 1, math.pi, math.mininteger, 1 / 0, -1 / 0, true }
for _, v in ipairs(values) do
  local back = load("return " .. f("%q", v))()
  io.write(tostring(back == v and math.type(back) == math.type(v)), " ")
end
print()
local nanBack = load("return " .. f("%q", 0 / 0))()
print(nanBack ~= nanBack)

-- %a
print(f("%a", 1.0), f("%a", 0.5), f("%a", -2.0), f("%a", 0.0), f("%a", -0.0))
print(f("%a", 0.1), f("%a", math.pi), f("%a", 1e300), f("%a", 5e-324), f("%a", 2^-1022))
print(f("%A", 255.5), f("%.3a", 1 / 3), f("%.0a", 1.5), f("%20a|", 1.0), f("%-20a|", 1.0))
print(f("%a", 1 / 0), f("%a", -1 / 0), f("%a", 3))
print(f("%+a % a", 1.0, 1.0), f("%#a", 1.0))

-- hex floats parse back
for _, v in ipairs({ 0.1, 1 / 3, 1e-300, 123456.789, -7.25 }) do
  io.write(tostring(tonumber(f("%a", v)) == v), " ")
end
print()

-- %q with integers keeps integer type; floats use hex when needed
print(math.type(load("return " .. f("%q", 10))()), math.type(load("return " .. f("%q", 10.0))()))
print(f("%q", 10.0), f("%q", 1e15), f("%q", 123.0))

-- strings with all bytes round-trip; count escaped bytes
local bytes = {}
for i = 0, 255 do bytes[#bytes + 1] = string.char(i) end
local all = table.concat(bytes)
local q = f("%q", all)
print(#q, load("return " .. q)() == all)
print(q:sub(1, 40))

-- \n inside %q is written as backslash-newline
local nl = f("%q", "a\nb")
print(#nl, nl:byte(3), nl:byte(4))
