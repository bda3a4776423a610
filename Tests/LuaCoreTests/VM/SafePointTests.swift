import Testing
@testable import LuaCore

/// A slice can end at any pass through the interpreter's outer loop, and a collection can
/// follow: every value the paused code still needs must be inside the thread's live stack
/// range (`VM.settle`), or the collector clears it.
@Suite struct SafePointTests {
    @Test func aPauseRightAfterAVarargCallKeepsItsArguments() throws {
        // Fuel can run out between pushing a vararg function's frame and its VARARGPREP,
        // when the arguments beyond its fixed parameters may lie above the frame's registers.
        // Every slice length from 1 to 12 puts a pause there for one of the calls.
        for slice in 1...12 {
            let t = TestLua()
            t.lua.gcStressMode = true
            t.lua.fuelPerSlice = slice
            let r = try t.run("""
                local function f(...) return ... end
                local function g(a, ...) return ... end
                local t = {[2] = "x", f(1, 2, 3, 4, 5, 6)}
                local a, b, c, d, e = f(nil, nil, nil, nil, 7)
                local x, y = g({}, {}, "kept")
                return #t, t[6], e, y
                """)
            #expect(r == [.integer(6), .integer(6), .integer(7), .string(Array("kept".utf8))], "slices of \(slice)")
        }
    }
}
