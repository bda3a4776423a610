local function f() local x = nil; return x.y end
f()
