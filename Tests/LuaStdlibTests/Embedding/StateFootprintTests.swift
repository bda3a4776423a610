import Testing
import LuaCore
import LuaStdlib

// Footprint and creation time of whole states (issue 13's "many states"). PUC 5.4.6 for
// comparison: `lua5.4 -e 'print(collectgarbage("count") * 1024)'` prints 21442 bytes after
// luaL_openlibs. These tests print the numbers they measure and fail on a regression far
// past them.

@Suite struct StateFootprintTests {
    func measure(_ make: () -> Lua) -> (bytes: Int, microseconds: Double) {
        let clock = ContinuousClock()
        let n = 50
        var bytes = 0
        let start = clock.now
        for _ in 0..<n {
            let lua = make()
            lua.collectGarbage()
            bytes = lua.metrics.heapBytes + lua.metrics.externalBytes
        }
        let elapsed = clock.now - start
        let us = Double(elapsed.components.seconds) * 1e6 + Double(elapsed.components.attoseconds) / 1e12
        return (bytes, us / Double(n))
    }

    @Test func sandboxedAndFullStatesAreSmall() {
        let sandboxed = measure { Lua.sandboxed() }
        let full = measure { Lua.full(ignoreEnvironment: true) }
        print("Lua.sandboxed(): \(sandboxed.bytes) bytes, \(Int(sandboxed.microseconds)) µs per state (this build)")
        print("Lua.full(): \(full.bytes) bytes, \(Int(full.microseconds)) µs per state (this build)")
        #expect(sandboxed.bytes < 256 * 1024)
        #expect(full.bytes < 256 * 1024)
    }
}
