print("args", ...)
print(#arg, arg[0], arg[-1], arg[1])
