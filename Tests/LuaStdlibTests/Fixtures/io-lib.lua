-- io library: write formatting, open/read formats/lines/seek on a temp file, errors.
print(io.write("a", 1, " ", 2.5, " ", -0.0, " ", 1e100, " ", math.mininteger, "\n") == io.stdout)
io.write(1.0, " ", 3 / 2, " ", 2^63, " ", 1 / 0, "\n")
print(pcall(io.write, {}))
print(pcall(io.write, nil))
print(io.type(io.stdout), io.type(io.stdin), io.type(42), io.type(nil), io.type({}))
print(pcall(io.type))
print((tostring(io.stdout):gsub("0x%x+", "ADDR")))

local name = os.tmpname()

-- write with a file handle; write returns the file for chaining
local f = assert(io.open(name, "w"))
print(io.type(f), f:write("line one\n") == f)
f:write("line two\n", 42, " ", 3.5, "\n")
f:write("0x1F -7 1e2 .5 nan 12abc\n")
f:write("last line without newline")
print(f:close())
print(io.type(f), pcall(f.write, f, "x"))
print((tostring(f):gsub("0x%x+", "ADDR")))
print(pcall(f.close, f))

-- read formats
f = assert(io.open(name, "r"))
print(f:read("l"))
print(f:read("L"))
print(f:read("n", "n"))
print(f:read("l"))
print(f:read("n", "n", "n", "n"))
print(f:read("n"))
print(f:read("l"))
print(f:read("a"))
print(f:read("a"), f:read("l"), f:read("n"), f:read(0))
f:close()

-- read counts and read(0)
f = assert(io.open(name))
print(f:read(4), f:read(0), f:read(1), f:read("*l"), f:read("*L"))
print(pcall(f.read, f, "x"))
f:close()

-- seek
f = assert(io.open(name))
print(f:seek("end"), f:seek("set"), f:seek(), f:seek("cur", 5), f:read(3), f:seek("cur"))
print(f:seek("set", 9), f:read("l"))
print(f:seek("end", -4), f:read("a"))
print(pcall(f.seek, f, "bogus"))
print(f:seek("set", -1))
f:close()

-- lines iterators
local n = 0
for line in io.lines(name) do n = n + 1 end
print("lines", n)
local collected = {}
for a, b in io.lines(name, 4, "l") do collected[#collected + 1] = a .. "|" .. tostring(b) end
print(table.concat(collected, " / "))
f = assert(io.open(name))
local keep = {}
for l in f:lines("L") do keep[#keep + 1] = #l end
print(table.concat(keep, ","), io.type(f))
f:close()
local okl, errl = pcall(io.lines, name .. ".does-not-exist")
print(okl, (errl:gsub("'.*'", "'PATH'")))

-- append and update modes
f = assert(io.open(name, "a"))
f:write("\nappended")
f:close()
f = assert(io.open(name, "r+"))
f:write("LINE")
f:seek("set")
print(f:read("l"))
f:close()
f = assert(io.open(name))
local all = f:read("a")
f:close()
print(#all, select(2, all:gsub("\n", "")), all:sub(-8))

-- "w" truncates, "rb"/"wb" are accepted, invalid modes raise errors
f = assert(io.open(name, "wb"))
f:write("bin\0ary")
f:close()
f = assert(io.open(name, "rb"))
local bin = f:read("a")
f:close()
print(#bin, bin:byte(4))
print(pcall(io.open, name, "rw"))
print(pcall(io.open, name, "z"))

-- opening missing files returns nil, message, errno
local nf, msg, code = io.open(name .. ".missing/x", "r")
print(nf, (msg:gsub("^.*: ", "")), code)

-- io.read/io.write through io.output
local old = io.output()
io.output(name)
io.write("via io.output\n", 7, "\n")
io.close()
io.output(old)
io.input(name)
print(io.read("l"), io.read("n"), io.read("l"), io.read("l"))
io.close(io.input())
io.input(io.stdin)

-- reading numbers in various forms
f = assert(io.open(name, "w"))
f:write("  42  -3.5e1 0x10 0x1p4 inf 1e ", string.rep("9", 250), " 5")
f:close()
f = assert(io.open(name))
print(f:read("n"), f:read("n"), f:read("n"), f:read("n"), f:read("n"))
print(f:read("l"))
f:close()
f = assert(io.open(name, "w"))
f:write(string.rep("1", 250), " 7")
f:close()
f = assert(io.open(name))
print(f:read("n"), f:read("n"))
f:close()

-- file handles in generic for with explicit close (to-be-closed)
do
  local h <close> = assert(io.open(name))
  print(io.type(h))
end

-- setvbuf and flush return true
f = assert(io.open(name, "w"))
print(f:setvbuf("no"), f:setvbuf("full", 1024), f:flush(), io.type(f))
f:close()
os.remove(name)
