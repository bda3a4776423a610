local t <const> = {}
t = 2
