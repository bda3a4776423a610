import Testing
import GCArena
import GCSequence
@testable import LuaCore

/// Sums 1...n in fuel-bounded increments: a host function's computation that spans steps.
struct SumTo: Stepper {
    var i: Int64
    let n: Int64
    var total: Int64 = 0
    static var needsTrace: Bool { false }
    func trace(_ tracer: inout Tracer) {}
    mutating func poll(_ mc: borrowing Mutation, _ fuel: inout Fuel) -> Poll<[LuaValue], LuaError> {
        while i <= n {
            if !fuel.shouldContinue { return .pending }
            total &+= i
            i += 1
            fuel.consume()
        }
        return .ready([LuaValue(total)])
    }
}

@Suite struct AsyncAndSequenceTests {
    @Test func asyncHostFunctionIsAnOrdinaryCallFromLua() async throws {
        let t = TestLua()
        try t.lua.register("math_type_of") { (v: LuaValue) -> String in v.tag == .integer ? "integer" : "other" }
        try t.lua.registerAsync("slowDouble") { args in
            try await Task.sleep(for: .milliseconds(20))
            guard case .integer(let x) = args.first else { return [.nil] }
            return [.integer(x * 2)]
        }
        let r = try await t.lua.runAsync("local a = slowDouble(20) return a + 2, math_type_of(a)")
        #expect(r == [.integer(42), "integer"])
    }

    @Test(arguments: [false, true])
    func asyncCallInsideACoroutineAndAcrossCollections(generational: Bool) async throws {
        let t = TestLua()
        if generational { t.lua.collectorMode = .generational }
        t.lua.gcStressMode = true
        try t.lua.registerAsync("fetch") { args in
            try await Task.sleep(for: .milliseconds(5))
            return [.string(Array("data:\(args.first?.stringValue ?? "?")".utf8))]
        }
        // Register coroutine functions for the bare state.
        let r = try await t.lua.runAsync("""
            local results = {}
            for i = 1, 3 do results[i] = fetch("item" .. i) .. "|" end
            return results[1] .. results[2] .. results[3]
            """)
        #expect(r == ["data:item1|data:item2|data:item3|"])
    }

    @Test func synchronousCallRejectsAsyncFunctionsCleanly() throws {
        let t = TestLua()
        try t.lua.registerAsync("wait") { _ in [] }
        let e = #expect(throws: LuaScriptError.self) { try t.run("wait()") }
        #expect(e?.message.contains("Lua.callAsync") == true)
        #expect(try t.run("return 'still usable'") == ["still usable"])
    }

    @Test func cancellingTheAwaitingTaskCancelsTheScript() async throws {
        let lua = TestLua()
        try lua.lua.registerAsync("forever") { _ in
            try await Task.sleep(for: .seconds(60))
            return []
        }
        let task = Task { () -> String in
            do throws(LuaScriptError) {
                _ = try await lua.lua.runAsync("forever() return 1")
                return "finished"
            } catch {
                return error.message
            }
        }
        try await Task.sleep(for: .milliseconds(50))
        task.cancel()
        #expect(await task.value == "cancelled")
    }

    @Test func hostFunctionReturningASequenceIsDrivenInSteps() throws {
        let t = TestLua()
        try t.lua.register("sumTo") { ctx in
            let n = try ctx.checkInteger(1)
            return .sequence(AnyStepper(SumTo(i: 1, n: n)))
        }
        t.lua.fuelPerSlice = 1000
        let f = try t.lua.load(Array("return sumTo(100000) + 1".utf8), chunkName: "=seq")
        let execution = try t.lua.start(f, [])
        var steps = 0
        var result: [LuaHostValue] = []
        while true {
            if case .finished(let v) = try execution.step(fuel: 1000) { result = v; break }
            steps += 1
        }
        #expect(result == [.integer(5_000_050_001)])
        // 100,000 iterations at 1,000 fuel per step: the sequence returned to the host ~100 times.
        #expect(steps >= 90)
    }
}
