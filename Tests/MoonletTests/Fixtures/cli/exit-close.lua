io.write("closing ")
local t <close> = setmetatable({}, {__close = function() print("closed") end})
os.exit(3, true)
