-- write number formatting, errors, closed files, standard files, tmpfile, popen
io.write(1.0, " ", 2, " ", 1e100, " ", -0.0, " ", 2^63, " ", 0.1, " ", 1/0, " ", -1/0, " ", 3.14159265358979, " ", 1e15, " ", 123456789012345678, "\n")
io.write(-9223372036854775807 - 1, " ", 255 // 1, " ", 7.0 // 2, "\n")
print(io.write() == io.stdout, io.stdout:write("a", "b") == io.stdout)
print(pcall(function() return io.write({}) end))
print(pcall(function() return io.stdout:write("ok", nil) end))
print(io.open("/nonexistent/x"))
print(io.open("/nonexistent/x", "w"))
for _, m in ipairs{"r", "w", "a", "r+", "w+", "a+", "rb", "r+b", "wbb", "x", "rw", "+", "", "r+bx"} do
  local ok, err = pcall(function() return io.open("/nonexistent/x", m) end)
  print(m, ok, err)
end
print(io.type(io.stdout), io.type(io.stdin), io.type(io.stderr), io.type(42), io.type(nil))
print(pcall(function() return io.type() end))
print(io.stdout:close())
print(pcall(function() return io.close() end))
print(tostring(io.stdout) ~= "file (closed)")
local f = io.tmpfile()
f:write("abc")
f:seek("set")
print(f:read("a"))
print(f:close())
print(io.type(f), tostring(f))
print(pcall(function() return f:read() end))
print(pcall(function() return f:write("x") end))
print(pcall(function() return f:close() end))
print(pcall(function() return io.close(f) end))
print(pcall(function() return f:seek() end))
print(pcall(function() return f:flush() end))
print(pcall(function() return f:setvbuf("no") end))
print(pcall(function() return io.output(f) end))
print(pcall(function() return f.read(42) end))
print(pcall(function() return io.stdout.write({}, "x") end))
local p = io.popen("echo hi; exit 2")
if p then print(p:read("a"), p:close()) end
p = io.popen("cat > /dev/null", "w")
if p then print(p:write("data") == p, p:close()) end
print(pcall(function() return io.popen("true", "rw") end))
do
  local name = os.tmpname()
  do
    local g <close> = io.open(name, "w")
    g:write("closed by <close>")
  end
  print(io.open(name):read("a"))
  os.remove(name)
end
io.stderr:write("")
print(io.stderr:write("") == io.stderr)
