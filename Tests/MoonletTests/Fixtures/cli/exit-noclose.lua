io.write("no close ")
local t <close> = setmetatable({}, {__close = function() print("closed") end})
os.exit(false)
