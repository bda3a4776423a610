local function 1() end
