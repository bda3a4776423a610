-- os library: date with fixed times (UTC "!" formats), time with tables, difftime, getenv, tmpname, remove, rename.
print(os.date("!%Y-%m-%d %H:%M:%S", 0))
print(os.date("!%Y-%m-%d %H:%M:%S", 86400 * 365))
print(os.date("!%Y-%m-%d %H:%M:%S", 1700000000))
print(os.date("!%Y-%m-%d %H:%M:%S", -1))
print(os.date("!%c", 1234567890))
print(os.date("!%x %X %p", 1234567890))
print(os.date("!%a %A %b %B %d %j %U %W %w %y %Z %%", 1234567890))
print(os.date("!%D %e %F %g %G %h %I %m %M %n %R %r %S %t %T %u %V", 1234567890))
print(os.date("!%H:%M", 3600 * 13 + 60 * 7), os.date("!%I %p", 3600 * 13), os.date("!%I %p", 0))
print(os.date("!%Ec|%EC|%Ex|%EX|%Ey|%EY|%Od|%Oe|%OH|%OI|%Om|%OM|%OS|%Ou|%OU|%OV|%Ow|%OW|%Oy", 1234567890))
print(pcall(os.date, "!%Q", 0))
print(pcall(os.date, "!%E", 0))
print(pcall(os.date, "!%", 0))
print(os.date("!literal text", 0), os.date("!", 0) == "")

-- "*t" and "!*t" tables
local t = os.date("!*t", 1234567890)
local keys = {}
for k in pairs(t) do keys[#keys + 1] = k end
table.sort(keys)
local parts = {}
for _, k in ipairs(keys) do parts[#parts + 1] = k .. "=" .. tostring(t[k]) end
print(table.concat(parts, " "))
local t0 = os.date("!*t", 0)
print(t0.year, t0.month, t0.day, t0.hour, t0.min, t0.sec, t0.wday, t0.yday, t0.isdst)

-- os.time with a table is interpreted in local time; round trip through os.date("*t")
local fixed = { year = 2020, month = 2, day = 29, hour = 12, min = 30, sec = 15 }
local ts = os.time(fixed)
print(math.type(ts))
local back = os.date("*t", ts)
print(back.year, back.month, back.day, back.hour, back.min, back.sec, back.wday, back.yday)
-- normalization of out-of-range fields
local norm = os.date("*t", os.time({ year = 2021, month = 13, day = 32, hour = 12 }))
print(norm.year, norm.month, norm.day, norm.hour)
local norm2 = os.date("*t", os.time({ year = 2021, month = 3, day = 0, hour = 12 }))
print(norm2.year, norm2.month, norm2.day)
local norm3 = os.date("*t", os.time({ year = 2021, month = 1, day = 1, hour = 12, min = -1 }))
print(norm3.hour, norm3.min)
-- os.time normalizes the table it is given
local tn = { year = 2021, month = 14, day = 1, hour = 12 }
os.time(tn)
print(tn.year, tn.month, tn.day, tn.yday, tn.wday)
-- differences between two fixed tables do not depend on the time zone (no DST jump in January)
local d1 = os.time({ year = 2022, month = 1, day = 1, hour = 12 })
local d2 = os.time({ year = 2022, month = 1, day = 11, hour = 12 })
print(d2 - d1, os.difftime(d2, d1), math.type(os.difftime(d2, d1)))
print(os.difftime(10, 5), os.difftime(5, 10), pcall(os.difftime, 5))
-- missing fields
print(pcall(os.time, { year = 2020 }))
print(pcall(os.time, { year = 2020, month = 1 }))
print(pcall(os.time, { year = 2020, month = 1, day = 1, hour = "x" }))
print(pcall(os.time, { year = 2020, month = 1.5, day = 1 }))
print(pcall(os.time, { year = 1e20, month = 1, day = 1 }))
-- defaults: hour = 12, min = 0, sec = 0
local noon = os.date("*t", os.time({ year = 2022, month = 6, day = 1 }))
print(noon.hour, noon.min, noon.sec)

-- os.time() and os.clock() have the right types only
print(math.type(os.time()), math.type(os.clock()), os.time() > 1600000000)

-- getenv
print(type(os.getenv("HOME")), os.getenv("MOONLET_SURELY_UNDEFINED_VARIABLE_XYZ"))
print(pcall(os.getenv))

-- tmpname/remove/rename
local name = os.tmpname()
print(type(name))
local fh = io.open(name, "w")
fh:write("x")
fh:close()
local renamed = name .. ".renamed"
print(os.rename(name, renamed))
print(select("#", os.remove(name)), (os.remove(name)))
print(os.remove(renamed))
local okr, errr, code = os.remove(renamed)
print(okr, (errr:gsub("^.*: ", "")), code)

-- date argument errors
print(pcall(os.date, "%Y", "x"))
print(pcall(os.date, "!%Y", 1.5))
print(os.date("!%Y", 2^31), os.date("!%Y", -2^31))
