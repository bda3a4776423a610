import Testing
import LuaCore
@testable import LuaStdlib

/// Behaviour that Lua 5.4.6 (Moonlet's target) fixed after 5.4.4, the version of the
/// reference `lua5.4` the fixtures are recorded with, so these expectations cannot be
/// recorded: each one is what PUC-Rio's 5.4.6 test suite asserts (file and line given), and
/// `lua5.4` (5.4.4) prints something else for it.
@Suite struct Lua546BehaviourTests {
    /// testes/locals.lua:366-379 (5.4.6): "bug in 5.4.4: 'break' may generate wrong 'close'
    /// instruction when leaving a loop block". The loop body never runs, yet the loop's
    /// fourth value must be closed when the loop ends; lua5.4 (5.4.4) prints `false`.
    @Test func genericForClosesItsValueWhenItsBodyHasBreakAndUpvalue() {
        let out = LibraryHarness.run("""
            local closed = false
            local o1 = setmetatable({}, {__close = function() closed = true end})
            local function test()
              for k, v in next, {}, nil, o1 do
                local function f() return k end
                break
              end
              print(closed)
            end
            test()
            """)
        #expect(out == "true\n")
    }

    /// The same code generation fault with a loop that runs: `break` after a body that
    /// captured the control variable must close the fourth value, and only once, and leave
    /// the enclosing loop's registers intact (lua5.4 5.4.4 fails with "attempt to call a nil
    /// value" here).
    @Test func breakFromGenericForInsideWhileClosesOnce() {
        let out = LibraryHarness.run("""
            local log = {}
            local function closer(name)
              return setmetatable({}, {__close = function() log[#log + 1] = name end})
            end
            local n = 0
            while n < 3 do
              n = n + 1
              for k in next, {a = 1}, nil, closer("w" .. n) do
                local g = function() return k end
                break
              end
            end
            print(table.concat(log, " "), n)
            """)
        #expect(out == "w1 w2 w3\t3\n")
    }
}
