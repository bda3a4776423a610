-- expect-error: this program ends with an uncaught error (recorded in .err and .status).
-- Output written before the error must still appear, and buffered io.write data must be flushed.
print("before the error")
io.write("partial line without newline")
local function fail(t)
  return t.missing.field
end
local config = {}
fail(config)
print("never printed")
