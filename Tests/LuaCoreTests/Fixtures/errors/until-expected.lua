repeat x = 1

