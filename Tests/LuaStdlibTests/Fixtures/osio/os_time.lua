-- os.time normalisation and errors (run with TZ=UTC)
local function show(t)
  local s = ""
  for _, k in ipairs{"year","month","day","hour","min","sec","wday","yday","isdst"} do s = s .. k .. "=" .. tostring(t[k]) .. " " end
  print(s)
end
print(os.time({year=2000, month=1, day=1, hour=0}))
print(os.time({year=2000, month=1, day=1}))
local t = {year=2020, month=14, day=-3, hour=25, min=-1, sec=70}
print(os.time(t)); show(t)
t = {year=2021, month=2, day=29}
print(os.time(t)); show(t)
t = {year=1999, month=12, day=31, hour=23, min=59, sec=60, isdst=false}
print(os.time(t)); show(t)
print(os.time({year="2020", month=3.0, day="1"}))
print(pcall(function() return os.time({year=2000}) end))
print(pcall(function() return os.time({year=2000, month=1}) end))
print(pcall(function() return os.time({month=1, day=1}) end))
print(pcall(function() return os.time({year="x", month=1, day=1}) end))
print(pcall(function() return os.time({year=2020, month=1.5, day=1}) end))
print(pcall(function() return os.time({year=2020, month=1, day={}}) end))
print(pcall(function() return os.time({year=2^40, month=1, day=1}) end))
print(pcall(function() return os.time({year=2020, month=1, day=1, hour=1 << 40}) end))
print(pcall(function() return os.time(1) end))
print(os.difftime(10, 5), os.difftime(0, 2), pcall(function() return os.difftime(1) end))
print(type(os.clock()))
print(os.getenv("MOONLET_SURELY_UNSET_VAR"), type(os.getenv("PATH")))
print(os.setlocale(), os.setlocale("C"), os.setlocale(""), os.setlocale(nil, "numeric"), pcall(function() return os.setlocale("C", "bogus") end))
