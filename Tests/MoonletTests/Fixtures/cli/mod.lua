print("module loaded", ...)
return {answer = 42}
