local x <const> = f()
function g() x = 1 end
