goto continue
local x
::continue::
x = 1
