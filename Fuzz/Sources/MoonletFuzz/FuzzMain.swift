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

/// A sandboxed state with limits a hostile input must stay within. Creating one per input
/// costs most of the time, so one state serves 500 inputs; scripts run isolated
/// (`loadIsolated`), so one input's tampering does not steer the next.
func newState() -> Lua {
    let lua = Lua.sandboxed()
    lua.memoryLimit = 32 << 20
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
    if runs % 500 == 0 { shared = newState() }
    let lua = shared
    switch target {
    case .compiler:
        _ = try? lua.load(bytes, chunkName: "=fuzz")
    case .undump:
        var chunk = bytes
        if chunk.first != 0x1b { chunk.insert(0x1b, at: 0) }
        if let f = try? lua.loadIsolated(chunk, chunkName: "=fuzz") { runBounded(lua, f, fuel: 20_000) }
    case .vm:
        if let f = try? lua.loadIsolated(bytes, chunkName: "=fuzz") { runBounded(lua, f, fuel: 100_000) }
    case .stdlib:
        var generator = Generator(bytes)
        let source = generator.program()
        if let f = try? lua.loadIsolated(Array(source.utf8), chunkName: "=gen") { runBounded(lua, f, fuel: 100_000) }
    }
    lua.collectGarbage()
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
