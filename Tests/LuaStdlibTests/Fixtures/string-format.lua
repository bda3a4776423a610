-- string.format: every conversion, flags, widths, precisions, errors.
local f = string.format
print(f("%d %i %d %d", 42, -42, 0, math.mininteger))
print(f("%5d|%-5d|%05d|%+d|% d|%+5d|%-+5d|", 42, 42, 42, 42, 42, 42, 42))
print(f("%.3d|%8.3d|%-8.3d|%08d", 7, 7, 7, -7))
print(f("%d", 3.0), pcall(f, "%d", 3.5))
print(f("%u", 42), pcall(f, "%u", -1))
print(f("%c%c%c", 76, 117, 97), #f("%c", 0), f("%5c|%-5c|", 65, 66))
print(f("%x %X %o", 255, 255, 8), f("%#x %#X %#o", 255, 255, 8), f("%08x", 0xbeef))
print(f("%x", -1), f("%X", math.mininteger), f("%o", -1))
print(f("%e", 12345.6789), f("%E", 0.000123), f("%.2e", 1e100), f("%10.1e|", -5.5))
print(f("%f", 3.14159), f("%.2f", 2.675), f("%.0f", 0.5), f("%.0f", 1.5), f("%10.3f|", -3.14159), f("%-10.2f|", 1 / 3))
print(f("%g", 100000), f("%g", 1000000), f("%g", 1e-4), f("%g", 1e-5), f("%g", 0.1), f("%.3g", 3.14159), f("%#g", 1.0))
print(f("%G", 1e-10), f("%g", 2^63), f("%g", -0.0), f("%.14g", 2^53), f("%.17g", 0.1), f("%.20f", 0.1))
print(f("%f", 1 / 0), f("%f", -1 / 0), f("%e", 1 / 0), f("%g", -1 / 0), f("%5.1f|", 1 / 0))
print(f("%+.3f % .3f", 1.5, 1.5), f("%+e", 0.0), f("%.3f", 2^63), f("%.1f", 1e15))
print(f("%d", "10"), f("%f", "1.5"), f("%x", "0x10"), f("%s", 12), f("%s", 1.5))

-- strings
print(f("%s|%10s|%-10s|%.2s|%10.2s|", "abc", "abc", "abc", "abc", "abc"))
print(f("%s %s %s %s", nil, true, false, 12.0))
print(f("%s", setmetatable({}, { __tostring = function() return "TS" end })))
print((f("%s", {}):gsub("0x%x+", "ADDR")))
print(f("[%s]", "a\0b") == "[a\0b]", #f("%s", "a\0b"))
print(pcall(f, "%10s", "a\0b"))
print(f("%.0s|", "abc"), f("%.10s|", "abc"), f("%5.0s|", "abc"))

-- %% and literal text
print(f("100%%"), f("%%d"), f("a%%b%%c"), f("no conversions"), f(""))

-- %i and widths up to two digits
print(f("%99d", 1):len(), pcall(f, "%100d", 1))
print(pcall(f, "%.100f", 1))
print(f("%.99f", 1):len())

-- errors
print(pcall(f, "%d"))
print(pcall(f, "%d", "x"))
print(pcall(f, "%y", 1))
print(pcall(f, "%", 1))
print(pcall(f, "%10", 1))
print(pcall(f, "%-", 1))
print(pcall(f, "%#s", "x"))
print(pcall(f, "%+s", "x"))
print(pcall(f, "%.3c", 65))
print(pcall(f, "%ld", 1))
print(pcall(f))
print(pcall(f, 1))
print(f(12))
print(pcall(f, "%d %d", 1))
print(f("%d", 1, 2, 3))

-- many arguments
print(f(string.rep("%s", 20, ","), table.unpack({ 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20 })))

-- integer/float distinction preserved by %s but not by %d
print(f("%s %s %d %d", 1, 1.0, 1, 1.0))
print(f("%.3f", 1), f("%g", 3), f("%e", 0))

-- long results
print(#f("%s", string.rep("x", 100000)), #f("%s%s", string.rep("a", 500), string.rep("b", 500)))
print(#f("%099d", 5), f("%-099d", 5):sub(1, 3))
print(f("%5s|%-5s|", "toolongvalue", "toolongvalue"))

-- rounding
for _, v in ipairs({ 0.125, 0.375, 2.5, 3.5, -2.5, 1e-10, 123456789.987654321 }) do
  io.write(f("%.2f", v), " ", f("%.0f", v), " ", f("%.3g", v), " ; ")
end
print()

-- More arguments than are kept inline, __tostring past them, and errors that name them.
local mt = {__tostring = function(t) return "T" .. t.n end}
local function T(n) return setmetatable({n = n}, mt) end
print(string.format("%s %s %s %s %s %s %s %s %s %s %s", 1, 2.5, "x", T(4), true, nil, T(7), 8, "nine", T(10), 11))
print(string.format("%d %d %d %d %d %d %d %d %d %d", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10))
print(pcall(string.format, "%d %d %d %d %d %d %d %d %d %d", 1, 2, 3, 4, 5, 6, 7, 8, 9, {}))
print(pcall(string.format, "%d %d %d %d %d %d %d %d %d %d", 1, 2, 3, 4, 5, 6, 7))
print(pcall(string.format, "%d %d %d %d %d %d %d %d", 1, 2, 3, 4, 5, 6, 7))
print(string.format("%q %q", "a\0b", 1/3), string.format("%5s|%-5s|", T(1), "ab"))
print(pcall(string.format, "%s", setmetatable({}, {__tostring = function() return 1 end})))
debug.setmetatable(0, {__tostring = function(n) return "num" end})
print(string.format("%s %d %s", 5, 6, 7.5))
debug.setmetatable(0, nil)
print(#string.format("%099d", 7), string.format("%s", ("x"):rep(300)):len())
