#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import LuaCore
import LuaStdlib

// One libFuzzer executable, four targets chosen by the environment variable FUZZ_TARGET:
//
// - compiler: the input is Lua source text; it is compiled (never run).
// - undump:   the input is a binary chunk (seeded from string.dump output); it is loaded.
// - vm:       the input is source text; when it compiles it runs under a fuel bound and
//             a memory limit.
// - stdlib:   the input drives a generator that calls library functions with hostile
//             arguments (Generator.swift).
//
// A finding is anything that stops the process (a Swift trap, an ASan report, a timeout);
// Lua errors are expected results.

enum Target: String {
    case compiler, undump, vm, stdlib
}

let target = Target(rawValue: getenv("FUZZ_TARGET").map { String(cString: $0) } ?? "vm") ?? .vm

// Throughput: libFuzzer's own work per input (collecting coverage features over every
// instrumented module) is a fixed cost of about a tenth of a millisecond here, so the harness
// keeps its own share small: one state serves `inputsPerState` inputs, the full collection
// (whose marking of the whole sandbox cost as much as compiling an input) runs every
// `inputsPerCollection` inputs (the automatic, incremental collector works in between, and
// the memory limit's emergency collection covers the rest), and each input's run and its
// finalizers get a small fuel budget: most inputs end in a syntax or runtime error long
// before it; a runaway one costs at most `runFuel` instructions, not a hundred thousand.

/// Inputs run on one state before it is replaced (releasing it runs its finalizers).
let inputsPerState = 1000
/// Inputs between full collections.
let inputsPerCollection = 64
/// Instructions each input's script may run (and its finalizers, between calls).
let runFuel = 25_000

/// A sandboxed state with limits a hostile input must stay within. Scripts run isolated
/// (`loadIsolated`), so one input's tampering does not steer the next.
func newState() -> Lua {
    let lua = Lua.sandboxed()
    lua.memoryLimit = 16 << 20
    lua.finalizerFuel = runFuel
    lua.output = { _ in }
    lua.binaryChunksAllowed = target == .undump
    return lua
}

nonisolated(unsafe) var shared = newState()
nonisolated(unsafe) var runs = 0

/// Runs `function` for at most `fuel` instructions.
func runBounded(_ lua: Lua, _ function: LuaHostValue, fuel: Int) {
    guard let execution = try? lua.start(function, []) else { return }
    _ = try? execution.step(fuel: fuel)
    execution.abandon()
}

func fuzzOne(_ bytes: [UInt8]) {
    runs += 1
    if runs % inputsPerState == 0 { shared = newState() }
    let lua = shared
    switch target {
    case .compiler:
        _ = try? lua.load(bytes, chunkName: "=fuzz")
    case .undump:
        var chunk = bytes
        if chunk.first != 0x1b { chunk.insert(0x1b, at: 0) }
        if let f = try? lua.loadIsolated(chunk, chunkName: "=fuzz") { runBounded(lua, f, fuel: runFuel) }
    case .vm:
        if let f = try? lua.loadIsolated(bytes, chunkName: "=fuzz") { runBounded(lua, f, fuel: runFuel) }
    case .stdlib:
        var generator = Generator(bytes)
        let source = generator.program()
        if let f = try? lua.loadIsolated(Array(source.utf8), chunkName: "=gen") { runBounded(lua, f, fuel: runFuel) }
    }
    if runs % inputsPerCollection == 0 { lua.collectGarbage() }
}

// SAFETY: libFuzzer passes `size` readable bytes at `data` for the duration of the call;
// they are copied into an Array before anything else runs.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { fuzzOne([]); return 0 }
    fuzzOne(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

// SwiftPM links an executable target's entry point as `MoonletFuzz_main`; it hands control
// to libFuzzer's driver with the callback above.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

@_cdecl("MoonletFuzz_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments) { data, size in fuzzTestOneInput(data, size) }
}
