x = 1
#!shebang
