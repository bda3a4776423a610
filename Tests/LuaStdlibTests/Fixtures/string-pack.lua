-- string.pack, string.unpack, string.packsize.
local function hex(s)
  return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end))
end
print(hex(string.pack("i4", 1)), hex(string.pack(">i4", 1)), hex(string.pack("<i2", -2)), hex(string.pack(">I2", 0xABCD)))
print(hex(string.pack("b B h H", -1, 255, -300, 65000)))
print(hex(string.pack("<i8", math.mininteger)), hex(string.pack(">j", -1)), hex(string.pack("<J", 1)))
print(hex(string.pack("<i3", -1)), hex(string.pack(">i16", -2)), hex(string.pack("<I16", 5)))
print(hex(string.pack("<f", 1.5)), hex(string.pack(">d", -0.0)), hex(string.pack("<n", 1)))
print(hex(string.pack("z", "abc")), hex(string.pack("s1", "hi")), hex(string.pack("<s2", "hey")), hex(string.pack("c5", "ab")))
print(hex(string.pack(">s", "x")), #string.pack("s", ""))

-- unpack returns values and the next position
print(string.unpack("<i4", string.pack("<i4", -123456)))
print(string.unpack(">I2 >I2", "\1\2\3\4"))
print(string.unpack("z z", "one\0two\0"))
print(string.unpack("s1", "\5hello world"))
print(string.unpack("c3", "abcdef"), string.unpack("c3", "abcdef", 4))
print(string.unpack("<d", string.pack("<d", math.pi)) == math.pi, string.unpack("<f", string.pack("<f", 0.1)))
print(string.unpack("<i2", "\255\255\1\0", 3))
print(string.unpack("B", "ABC", -1))
print(math.type(string.unpack("i4", string.pack("i4", 7))), math.type(string.unpack("d", string.pack("d", 7))))

-- integer overflow checks
print(pcall(string.pack, "i1", 128))
print(pcall(string.pack, "i1", -129))
print(pcall(string.pack, "I1", -1))
print(hex(string.pack("I1", 255)), pcall(string.pack, "B", 256))
print(pcall(string.pack, "i17", 1))
print(pcall(string.pack, "i0", 1))
print(pcall(string.unpack, ">i9", "\1\0\0\0\0\0\0\0\0"))
print(string.unpack(">i9", "\255\255\255\255\255\255\255\255\255"))
print(string.unpack("<i9", "\1\0\0\0\0\0\0\0\0"))

-- alignment and padding
print(string.packsize("!8 b i8"), string.packsize("b i8"), string.packsize("!4 b d"), string.packsize("!b h"))
print(hex(string.pack("!4 b i4", 1, 2)), hex(string.pack("!2 b x h", 1, 2)))
print(hex(string.pack("b Xi4 i4", 1, 2)), hex(string.pack("!8 b Xd", 1)))
print(string.packsize("i4 i8 d n j"), string.packsize("c10 b"), string.packsize(""))
print(pcall(string.packsize, "s"))
print(pcall(string.packsize, "z"))
print(pcall(string.pack, "!3 i4", 1))
print(pcall(string.pack, "X", 1))
print(pcall(string.pack, "Xz", 1))

-- endianness switches mid-format
print(hex(string.pack("<i2 >i2 =i2", 1, 1, 1)))

-- argument errors
print(pcall(string.pack, "i4"))
print(pcall(string.pack, "i4", "x"))
print(pcall(string.pack, "i4", 1.5))
print(hex(string.pack("i4", "12")), hex(string.pack("d", "1.5")))
print(pcall(string.pack, "z", "a\0b"))
print(pcall(string.pack, "s1", string.rep("x", 256)))
print(pcall(string.pack, "c2", "abc"))
print(pcall(string.unpack, "i4", "abc"))
print(pcall(string.unpack, "z", "abc"))
print(pcall(string.unpack, "c4", "abc"))
print(pcall(string.unpack, "i4", "abcd", 10))
print(pcall(string.pack, "y", 1))

-- round-trip a record
local fmt = "<i4 d s1 z B"
local packed = string.pack(fmt, -99, 2.5, "name", "zstring", 200)
print(#packed, string.packsize("<i4 d"), string.unpack(fmt, packed))

-- spaces are ignored; "=" native; "j" "J" "T" sizes
print(string.packsize(" i4   i4 "), string.packsize("j"), string.packsize("J"), string.packsize("T"), string.packsize("l"), string.packsize("L"), string.packsize("h"), string.packsize("i"))

-- unsigned beyond maxinteger wraps to negative
print(string.unpack("<J", "\255\255\255\255\255\255\255\255"), string.unpack("<I8", string.pack("<I8", -1)))
