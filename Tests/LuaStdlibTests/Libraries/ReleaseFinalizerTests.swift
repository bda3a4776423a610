import Testing
import Foundation
import LuaCore
import LuaStdlib

// Releasing the last reference to a `Lua` closes it as `lua_close` does: every pending `__gc`
// finalizer runs (what `Lua.close()` does), with errors as warnings and under
// `Lua.finalizerFuel`. The expected texts were printed by lua5.4 at its own lua_close, with
// the command in each test's comment (`script` is the test's Lua text saved to a file).
@Suite struct ReleaseFinalizerTests {
    final class Capture: @unchecked Sendable {
        var bytes: [UInt8] = []
        var lines: [String] = []
        var text: String { String(decoding: bytes, as: UTF8.self) }
    }

    /// A full state whose `print` and warnings go to the captures.
    static func state(_ out: Capture, _ warnings: Capture) -> Lua {
        let lua = Lua.full()
        lua.output = { out.bytes.append(contentsOf: $0) }
        lua.warningSink = { warnings.bytes.append(contentsOf: $0) }
        return lua
    }

    /// Runs `script` (chunk name `=stdin`) on a fresh full state, then drops the last
    /// reference to it: returns what was printed and warned, and checks the state was freed.
    static func released(_ script: String, setUp: (Lua) throws -> Void = { _ in }) throws -> (out: String, warnings: String) {
        let out = Capture(), warnings = Capture()
        var lua: Lua? = state(out, warnings)
        if let lua { try setUp(lua) }
        try lua?.run(script, chunkName: "=stdin")
        weak let gone = lua
        lua = nil
        #expect(gone == nil)
        return (out.text, warnings.text)
    }

    static let orderScript = """
        A = setmetatable({}, {__gc = function() print("close: A") end})
        B = setmetatable({}, {__gc = function() print("close: B") end})
        local t = setmetatable({}, {__gc = function() print("dead t") end})
        t = nil
        collectgarbage()
        local u = setmetatable({}, {__gc = function() print("dead u") end})
        u = nil
        C = setmetatable({}, {__gc = function() print("close: C") end})
        print("end")
        """
    /// lua5.4 - < script
    static let orderExpected = "dead t\nend\nclose: C\ndead u\nclose: B\nclose: A\n"

    /// Live and dead objects alike are finalized newest first, in lua_close's order, whether
    /// the state is closed explicitly or released.
    @Test func releaseRunsEveryFinalizerInLuaCloseOrder() throws {
        #expect(try Self.released(Self.orderScript).out == Self.orderExpected)
        let out = Capture(), warnings = Capture()
        let lua = Self.state(out, warnings)
        try lua.run(Self.orderScript, chunkName: "=stdin")
        #expect(lua.close())
        #expect(out.text == Self.orderExpected)
    }

    /// A state closed before it is released does not finalize anything twice.
    @Test func releaseAfterCloseRunsNothingMore() throws {
        let out = Capture(), warnings = Capture()
        var lua: Lua? = Self.state(out, warnings)
        try lua?.run("A = setmetatable({}, {__gc = function() print('once') end})")
        #expect(lua?.close() == true)
        weak let gone = lua
        lua = nil
        #expect(gone == nil)
        #expect(out.text == "once\n")
    }

    /// lua5.4 - < script   (stdout, then stderr:)
    /// Lua warning: error in __gc (error object is not a string)
    /// Lua warning: error in __gc (stdin:3: boom in B)
    @Test func errorsInFinalizersBecomeWarnings() throws {
        let r = try Self.released("""
            warn("@on")
            A = setmetatable({}, {__gc = function() print("A runs") end})
            B = setmetatable({}, {__gc = function() error("boom in B") end})
            C = setmetatable({}, {__gc = function() error(setmetatable({}, {})) end})
            D = setmetatable({}, {__gc = function() print("D runs") end})
            print("end")
            """)
        #expect(r.out == "end\nD runs\nA runs\n")
        #expect(r.warnings == "Lua warning: error in __gc (error object is not a string)\nLua warning: error in __gc (stdin:3: boom in B)\n")
    }

    /// Objects a finalizer creates or registers again while the state closes are not
    /// finalized (PUC's GCSTPCLS). lua5.4 - < script
    @Test func finalizerThatResurrectsOrCreatesObjects() throws {
        let r = try Self.released("""
            local mt = {}
            mt.__gc = function(o)
              print("gc", o.name)
              if o.name == "A" then
                Saved = o
                local n = setmetatable({name = "new"}, mt)
                print("made new", n.name)
                setmetatable(o, mt)
                print("re-registered A")
              end
            end
            A = setmetatable({name = "A"}, mt)
            B = setmetatable({name = "B"}, mt)
            print("end")
            """)
        #expect(r.out == "end\ngc\tB\ngc\tA\nmade new\tnew\nre-registered A\n")
    }

    /// A suspended coroutine holds a finalized object; a finalizer resumes coroutines.
    /// lua5.4 - < script
    @Test func coroutinesAliveAtRelease() throws {
        let r = try Self.released("""
            local co = coroutine.create(function()
              local inner = setmetatable({}, {__gc = function() print("gc inner (held by suspended coroutine)") end})
              coroutine.yield(1)
              print("never resumed")
            end)
            print(coroutine.resume(co))
            Co = co
            local gen = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i) end end)
            Gen = gen
            A = setmetatable({}, {__gc = function()
              print("gc A resumes", Gen(), Gen())
              print("status of Co", coroutine.status(Co))
              print("resume Co from finalizer", coroutine.resume(Co))
            end})
            print("end")
            """)
        #expect(r.out == """
            true\t1
            end
            gc A resumes\t1\t2
            status of Co\tsuspended
            never resumed
            resume Co from finalizer\ttrue
            gc inner (held by suspended coroutine)

            """)
    }

    /// A finalizer that never ends is cut off by `finalizerFuel`; the ones after it are
    /// dropped and the state is freed. lua5.4 loops forever here; what it printed before is
    /// `timeout 2 stdbuf -o0 lua5.4 - < script`.
    @Test func runawayFinalizerStopsAtTheFuelBudget() throws {
        let r = try Self.released("""
            A = setmetatable({}, {__gc = function() print("A never runs") end})
            B = setmetatable({}, {__gc = function() print("B loops") while true do end end})
            C = setmetatable({}, {__gc = function() print("C runs first") end})
            print("end")
            """, setUp: { $0.finalizerFuel = 200_000 })
        #expect(r.out == "end\nC runs first\nB loops\n")
    }

    /// A host function that captured the state weakly sees it gone while the release runs
    /// the finalizers (it is there under `close()`); typed host functions with table
    /// arguments work in both. lua5.4 -e "$prelude" - < script, with the prelude
    /// `function record() end function describe(t) return "name=" .. t.name end
    ///  function add(a, b) return a + b end`.
    @Test func finalizersCallTheEmbeddersHostFunctions() throws {
        let script = """
            A = setmetatable({name = "A"}, {__gc = function(o) record(o.name) print("A sees", describe(o)) end})
            B = setmetatable({n = 3}, {__gc = function(o) print("B:", pcall(add, o.n, 4)) end})
            print("end")
            """
        let expected = "end\nB:\ttrue\t7\nA sees\tname=A\n"
        let records = Capture()
        let setUp: (Lua) throws -> Void = { lua in
            try lua.register("record") { [weak lua] (name: String) in
                records.lines.append("\(name): state \(lua == nil ? "released" : "open")")
            }
            try lua.register("describe") { (t: LuaTableRef) -> String in "name=" + (try t.get("name", as: String.self)) }
            try lua.register("add") { (a: Int, b: Int) -> Int in a + b }
        }
        #expect(try Self.released(script, setUp: setUp).out == expected)
        #expect(records.lines == ["A: state released"])

        let out = Capture(), warnings = Capture()
        let lua = Self.state(out, warnings)
        try setUp(lua)
        try lua.run(script, chunkName: "=stdin")
        lua.close()
        #expect(out.text == expected)
        #expect(records.lines == ["A: state released", "A: state open"])
    }

    /// A scoped function kept by a script raises its "scope ended" error in a finalizer run
    /// by the release (Moonlet's own message: lua5.4 has no scopes); the other finalizers run.
    @Test func scopedFunctionsAfterTheirScope() throws {
        var hits = 0
        let r = try Self.released("""
            A = setmetatable({}, {__gc = function() print("A", pcall(Saved, 1)) end})
            B = setmetatable({}, {__gc = function() Saved(5) end})
            """, setUp: { lua in
            try lua.scope { scope in
                try scope.register("hit") { (n: Int) in hits += n }
                try lua.run("hit(2) Saved = hit warn('@on')")
            }
        })
        #expect(hits == 2)
        #expect(r.out == "A\tfalse\tcallback used after its scope ended\n")
        #expect(r.warnings == "Lua warning: error in __gc (stdin:2: callback used after its scope ended)\n")
    }

    /// An async host function cannot suspend in a finalizer the host runs: it raises an
    /// error there (a warning), and the other finalizers still run. The Lua side is
    /// `lua5.4 -e 'function fetch() error("async") end' - < script`.
    @Test func asyncHostFunctionInAFinalizer() throws {
        let script = """
            warn("@on")
            A = setmetatable({}, {__gc = function() print("A runs") end})
            B = setmetatable({}, {__gc = function() fetch() print("not reached") end})
            C = setmetatable({}, {__gc = function() print("C runs") end})
            print("end")
            """
        let warning = "Lua warning: error in __gc (stdin:3: async function 'fetch' cannot run in a finalizer the host runs (close, release or between calls))\n"
        let registerFetch: (Lua) throws -> Void = { lua in
            try lua.registerAsync("fetch") { (_: [LuaHostValue]) async throws -> [LuaHostValue] in [] }
        }
        let r = try Self.released(script, setUp: registerFetch)
        #expect(r.out == "end\nC runs\nA runs\n")
        #expect(r.warnings == warning)

        let out = Capture(), warnings = Capture()
        let lua = Self.state(out, warnings)
        try registerFetch(lua)
        try lua.run(script, chunkName: "=stdin")
        lua.close()
        #expect(out.text == "end\nC runs\nA runs\n")
        #expect(warnings.text == warning)
    }

    /// A finalizer that runs out of memory (the state's limit) becomes a warning.
    @Test func finalizerOutOfMemory() throws {
        let r = try Self.released("""
            warn("@on")
            A = setmetatable({}, {__gc = function() print("A runs") end})
            B = setmetatable({}, {__gc = function() local t = {} for i = 1, 1e8 do t[i] = {} end print("not reached") end})
            C = setmetatable({}, {__gc = function() print("C runs") end})
            print("end")
            """, setUp: { $0.memoryLimit = 8 << 20 })
        #expect(r.out == "end\nC runs\nA runs\n")
        #expect(r.warnings == "Lua warning: error in __gc (not enough memory)\n")
    }

    /// A state created on one thread and released on another runs its finalizers there.
    @Test func releasedOnAnotherThread() async throws {
        final class Box: @unchecked Sendable { var lua: Lua? }
        let out = Capture(), warnings = Capture(), threads = Capture()
        let box = Box()
        box.lua = Self.state(out, warnings)
        try box.lua?.register("thread") { () in threads.lines.append("\(pthread_self())") }
        try box.lua?.run(Self.orderScript + "\nZ = setmetatable({}, {__gc = function() thread() end})", chunkName: "=stdin")
        let creator = "\(pthread_self())"
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            let releaser = Thread {
                threads.lines.append("\(pthread_self())")
                box.lua = nil
                done.resume()
            }
            releaser.start()
        }
        #expect(out.text == Self.orderExpected)
        #expect(threads.lines.count == 2 && threads.lines[0] == threads.lines[1])
        #expect(threads.lines.first != creator)
    }

    /// The standard library keeps no strong reference to its state (nothing to leak); host
    /// handles kept past the state fail cleanly.
    @Test func nothingKeepsAReleasedStateAlive() throws {
        for make in [{ Lua.full() }, { Lua.sandboxed() }] {
            var lua: Lua? = make()
            let f = try lua?.run("return function() return 1 end").first?.function
            weak let gone = lua
            lua = nil
            #expect(gone == nil)
            #expect(throws: LuaScriptError.self) { try f?.call() }
        }
    }
}
