x = f:m
