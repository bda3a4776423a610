-- os.date with fixed times, UTC via "!", and *t tables
print(os.date("!%Y-%m-%d %H:%M:%S %a %A %b %B %d %e %j %p %y %u %w %Z %%", 1000000000))
print(os.date("!%D %F %T %R %r %h %G %g %V %U %W %C %I %x %X %c %z", 1000000000))
print(os.date("!%Ec|%EC|%Ex|%EX|%Ey|%EY|%Od|%Oe|%OH|%OI|%Om|%OM|%OS|%Ou|%OU|%OV|%Ow|%OW|%Oy", 1000000000))
print(os.date("!%n|%t|", 0))
print(os.date("!%c", 0), os.date("!", 0), os.date("!x%%y", 0))
for _, f in ipairs{"%Ez", "%Q", "%O", "%E", "%", "abc%5", "%s %x"} do print(pcall(function() return os.date(f, 0) end)) end
print(pcall(function() return os.date("*t", 1.5) end))
print(pcall(function() return os.date("!*t", "x") end))
local function show(t)
  local s = ""
  for _, k in ipairs{"year","month","day","hour","min","sec","wday","yday","isdst"} do s = s .. k .. "=" .. tostring(t[k]) .. " " end
  print(s)
end
show(os.date("!*t", 0))
show(os.date("!*t", 86400 * 365 + 3661))
show(os.date("!*t", -86400 * 400))
show(os.date("!*t", 1700000000))
print(os.date("!%H:%M", 3600.0))
print(pcall(function() return os.date("!%Y", 1 << 60) end))
