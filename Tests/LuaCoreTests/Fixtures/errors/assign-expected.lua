local x
x, x2
y
