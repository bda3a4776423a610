-- String literals: escapes, long strings, long comments.
local function bytes(s)
  local out = {}
  for i = 1, #s do out[i] = s:byte(i) end
  return #s .. ":" .. table.concat(out, ",")
end
print(bytes("\a\b\f\n\r\t\v\\\"\'"))
print(bytes("\0\1\12\123\255"))
print(bytes("\x00\x7f\xff\xAb"))
print(bytes("\u{0}\u{7F}\u{80}\u{7FF}\u{800}\u{FFFF}\u{10000}\u{10FFFF}"))
print(bytes("\u{7FFFFFFF}"))
print(bytes("a\z
             b\z   c"))
print(bytes("line1\
line2"))
print(bytes('single "quotes" \'inside\''))
print(bytes("\0651"), "\0651", "\65\066\0067")

-- long strings
local ls = [[
first newline is skipped
second line]]
print(ls)
print(bytes([[]]), bytes([[

]]))
print([==[contains ]] and ]=] inside]==])
print([=[
]=] == "", [[a\nb]], #[[\z]])
local crlf = load("return [[\r\nx\r\ny\n\rz]]")()
print(bytes(crlf))
local crlf2 = load("return 'a\\\r\nb'")()
print(bytes(crlf2))

--[[ a long
comment ]] print("after long comment")
--[==[ another
]] still comment
]==] print("after level-2 comment")
---[[ this is a line comment, so the next line runs
print("line comment trick")
--]]

-- escapes in the output of %q round-trip
local all = {}
for i = 0, 255 do all[#all + 1] = string.char(i) end
local everything = table.concat(all)
local quoted = string.format("%q", everything)
print(#quoted, load("return " .. quoted)() == everything)

-- invalid escapes are syntax errors
for _, src in ipairs({
  [[return "\q"]],
  [[return "\x5"]],
  [[return "\256"]],
  [[return "\u{110000000}"]],
  [[return "\u{}"]],
  [[return "\u123"]],
  [[return "unfinished]],
  "return 'line\nbreak'",
  [[return [==[ unfinished ]=] ]],
}) do
  local f, err = load(src, "=src")
  print(f, err)
end

-- strings are byte arrays, not Unicode
local s = "héllo"
print(#s, s:upper(), s:sub(2, 3) == "\xc3\xa9")

-- string identity and interning are invisible, equality is by content
local a = "abc"
local b = "ab" .. "c"
print(a == b, rawequal(a, b))
local long1 = string.rep("x", 100) .. "y"
local long2 = string.rep("x", 100) .. "y"
print(long1 == long2, rawequal(long1, long2))

-- embedded zeros survive everywhere
local z = "a\0b\0c"
print(#z, z:find("\0", 1, true), z:gsub("%z", "0"), z:rep(2) == "a\0b\0ca\0b\0c")
print(("%q"):format(z))

-- decimal escapes followed by digits
print(bytes("\1234"), bytes("\0012"), bytes("\x41\x42C"))
