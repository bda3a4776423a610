// The host-API benchmark's Moonlet side: the same operations as Benchmarks/HostAPI/host.c
// (PUC-Rio Lua's C API), through LuaCore's embedding API. Benchmarks/HostAPI/run.sh runs both.
//
// Usage: host-api-bench MODE N   prints "MODE N <ns per operation>" (the best of 5 timed rounds)
//   call            Lua calls a typed Swift function add(a: Int, b: Int) -> Int N times
//   call-raw        the same through a raw LuaHostBody (checkInteger, push)
//   table           the host sets and reads back a table field N times (LuaTableRef set + get)
//   table-raw       the same with rawSet + rawGet
//   call-lua        the host calls a Lua function N times (LuaFunction.call(_:returning:))
//   async-call      Lua calls an async Swift function N times (runAsync)
//   async-callback  Lua calls an async Swift function that calls back into Lua, N times
//   state-open      N times: Lua.full(), dropped
//   state-sandbox   N times: Lua.sandboxed(), dropped
//   state-keep      opens N Lua.full() states and keeps them; prints ns per state, then bytes
//                   per state (the arena's count, and the growth of the resident memory)
import LuaCore
import LuaStdlib
import Dispatch
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

func residentBytes() -> Int {
    guard let f = fopen("/proc/self/statm", "r") else { return 0 }
    defer { fclose(f) }
    var buffer = [CChar](repeating: 0, count: 128)
    guard fgets(&buffer, 128, f) != nil else { return 0 }
    let fields = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self).split(separator: " ")
    guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
    return pages * sysconf(Int32(_SC_PAGESIZE))
}

func fail(_ message: String) -> Never {
    fputs(message + "\n", stderr)
    exit(1)
}

/// The best of five rounds of `body(n)`, in nanoseconds per operation.
func best(_ n: Int, _ body: (Int) throws -> Void) throws -> Double {
    let clock = ContinuousClock()
    var best = Double.infinity
    for _ in 0..<5 {
        let elapsed = try clock.measure { try body(n) }
        best = min(best, nanoseconds(elapsed))
    }
    return best / Double(n)
}

func nanoseconds(_ d: Duration) -> Double {
    Double(d.components.seconds) * 1e9 + Double(d.components.attoseconds) / 1e9
}

/// The async modes, on a state of their own inside a task (the synchronous modes stay off
/// the concurrency runtime, so that callgrind can count their instructions).
func asyncMode(_ mode: String, _ n: Int) async throws -> Double {
    let lua = Lua.full()
    try lua.registerAsync("id") { (x: Int) async throws -> Int in x }
    try lua.registerAsync("apply") { (f: LuaFunction, x: Int) async throws -> Int in
        try await f.call(x, returning: Int.self)
    }
    try lua.run("""
        function runasync(n) local s = 0 for i = 1, n do s = s + id(1) end return s end
        function runcallback(n) local s = 0 local f = function(x) return x + 1 end
            for i = 1, n do s = apply(f, s) end return s end
        """)
    let f = try lua.globals.get(mode == "async-call" ? "runasync" : "runcallback", as: LuaFunction.self)
    let clock = ContinuousClock()
    var best = Double.infinity
    for _ in 0..<5 {
        let start = clock.now
        let r = try await lua.callAsync(f.value, [.integer(Int64(n))])
        best = min(best, nanoseconds(clock.now - start))
        guard r == [.integer(Int64(n))] else { fail("wrong sum \(r)") }
    }
    return best / Double(n)
}

final class AsyncResult: @unchecked Sendable { var perOp = 0.0 }

let arguments = CommandLine.arguments
guard arguments.count == 3, let n = Int(arguments[2]), n > 0 else {
    fail("usage: host-api-bench MODE N")
}
let mode = arguments[1]

if mode == "state-keep" {
    var states: [Lua] = []
    states.reserveCapacity(n)
    let before = residentBytes()
    let clock = ContinuousClock()
    let elapsed = clock.measure { for _ in 0..<n { states.append(Lua.full()) } }
    let after = residentBytes()
    states[0].collectGarbage()
    let ns = nanoseconds(elapsed) / Double(n)
    print("\(mode) \(n) \(Int(ns)) ns/state, \(states[0].metrics.liveBytes) bytes counted by the arena, \((after - before) / n) bytes resident per state")
    exit(0)
}

let lua = Lua.full()
try lua.register("add") { (a: Int, b: Int) -> Int in a + b }
try lua.register("addraw") { ctx in
    let a = try ctx.checkInteger(1), b = try ctx.checkInteger(2)
    try ctx.push(LuaValue(a &+ b))
    return .results(1)
}
try lua.run("""
    function run(n) local s = 0 for i = 1, n do s = add(s, 1) end return s end
    function runraw(n) local s = 0 for i = 1, n do s = addraw(s, 1) end return s end
    function inc(x) return x + 1 end
    """)
let globals = try lua.globals

let perOp: Double
switch mode {
case "call", "call-raw":
    let f = try globals.get(mode == "call" ? "run" : "runraw", as: LuaFunction.self)
    perOp = try best(n) { n in
        guard try f.call(n, returning: Int.self) == n else { fail("wrong sum") }
    }
case "table", "table-raw":
    let raw = mode == "table-raw"
    perOp = try best(n) { n in
        let t = try lua.createTable([])
        var sum = 0
        for i in 0..<n {
            if raw {
                try t.rawSet("x", .integer(Int64(i)))
                if case .integer(let v) = try t.rawGet("x") { sum += Int(v) }
            } else {
                try t.set("x", to: i)
                sum += try t.get("x", as: Int.self)
            }
        }
        guard sum == n * (n - 1) / 2 else { fail("wrong sum") }
    }
case "call-lua":
    let f = try globals.get("inc", as: LuaFunction.self)
    perOp = try best(n) { n in
        var sum = 0
        for i in 0..<n { sum += try f.call(i, returning: Int.self) }
        guard sum == n * (n + 1) / 2 else { fail("wrong sum") }
    }
case "async-call", "async-callback":
    let result = AsyncResult()
    let done = DispatchSemaphore(value: 0)
    Task.detached {
        do { result.perOp = try await asyncMode(mode, n) } catch { fail("\(error)") }
        done.signal()
    }
    done.wait()
    perOp = result.perOp
case "state-open", "state-sandbox":
    let sandbox = mode == "state-sandbox"
    perOp = try best(n) { n in
        for _ in 0..<n { _ = sandbox ? Lua.sandboxed() : Lua.full() }
    }
default:
    fail("unknown mode \(mode)")
}
let tenths = Int((perOp * 10).rounded())
print("\(mode) \(n) \(tenths / 10).\(tenths % 10) ns/op")
