-- String literals, escapes and long brackets.
local a = 'single' .. "double"
local b = "escapes: \a\b\f\n\r\t\v\\\"\'"
local c = "hex \x41\x62\xff decimal \65\066\0067 \0 zero"
local d = "utf8 \u{41} \u{7FF} \u{FFFF} \u{10FFFF} \u{7FFFFFFF}"
local e = "zap \z
           continues here"
local f = "line \
continued"
local g = [[long
string with ]] .. [==[level ]] 2 ]=] ]==] .. [[
skipped first newline]]
local h = [[]] .. [=[]=]
--[[ long
comment ]] local i = 1
--[==[ another
]] still comment ]==] local j = 2
-- short comment [[ not long
local k = "\z"
return a, b, c, d, e, f, g, h, i, j, k
