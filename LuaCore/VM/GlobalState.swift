import GCArena
import GCSequence

/// Swift-side services of a Lua state that only slow paths touch.
final class LuaHostServices {
    /// An async operation a host function is waiting for, to be handed to the driver.
    var asyncRequest: AsyncRequest?
    /// The running thread's top host frame waits for `asyncRequest`'s result.
    var resumeSuspended = false
    /// Where warnings go when they are on (set by the standard library's `warn`); the
    /// collector reports errors in `__gc` metamethods through it.
    var warningSink: ((UnsafeRawBufferPointer) -> Void)?
    /// Where `print`, `io.write` to the standard output and the like write (``Lua/output``).
    /// Kept here rather than on the `Lua` object, so library functions reach it through their
    /// call context even while the `Lua` is being released (see `Lua.deinit`).
    var output: (UnsafeRawBufferPointer) -> Void = Lua.standardOutput
    /// The host runs `__gc` finalizers itself, outside any call (`close()`, the `Lua`'s
    /// release, between calls): an async host function cannot suspend there.
    var hostRunsFinalizers = false
    /// The status `os.exit(status, true)` asked for: the host closes the state, then exits.
    var exitRequest: Int32?
    /// The embedding state's token, for host-side handles (``LuaReference``) made inside
    /// callbacks (not a `weak` reference: one would slow every retain of the state).
    var hostToken: LuaStateToken?
    /// The embedding state, while it exists.
    var host: Lua? { hostToken?.lua }
}

/// Objects waiting for finalization and tables with weak entries.
struct LuaFinalization {
    /// Objects whose metatable had `__gc` when it was set, in registration order (held weakly).
    var registered: [(weak: AnyGcWeak, tag: LuaTag)] = []
    /// Objects found dead and resurrected, whose `__gc` has yet to run (held strongly).
    var pending: [LuaValue] = []
    /// Tables whose metatable has `__mode` (held weakly).
    var weakTables: [GcWeak<LuaTable>] = []
    /// The state is closing: objects no longer get marked for finalization (PUC's GCSTPCLS).
    var closing = false

    mutating func register(_ v: LuaValue) {
        guard v.isCollectable, !closing else { return }
        registered.append((v.object.weak, v.tag))
    }

    func trace(_ tracer: inout Tracer) {
        for r in registered { tracer.trace(r.weak) }
        for v in pending { v.trace(&tracer) }
        for t in weakTables { tracer.trace(t) }
    }
}

/// The state every part of the VM shares: strings, globals, registry, metatables, threads.
///
/// One arena object per Lua state, reached through a raw pointer by the interpreter.
public struct LuaGlobalState: Collect {
    var strings: LuaStringTable
    public internal(set) var globals: Gc<LuaTable>
    public internal(set) var registry: Gc<LuaTable>
    public internal(set) var mainThread: Gc<LuaThread>
    /// Interned metamethod names, indexed by `LuaMetamethod.rawValue`.
    let metamethodNames: UnsafeMutablePointer<Gc<LuaString>>
    /// Metatables shared by all values of a basic type (`LuaMeta.typeIndex`).
    let typeMetatables: UnsafeMutablePointer<Gc<LuaTable>?>
    var finalization = LuaFinalization()
    /// Fuel charged by host functions, collected by the executor.
    var pendingFuelCharge = 0
    /// Set by host code that needs the executor to return to the host at the next
    /// opportunity (a collection request, an interrupt).
    var returnToHost: Bool {
        get { slowPathFlags & LuaGlobalState.returnToHostBit != 0 }
        set { slowPathFlags = newValue ? slowPathFlags | LuaGlobalState.returnToHostBit : slowPathFlags & ~LuaGlobalState.returnToHostBit }
    }
    /// Conditions the interpreter checks with one load whenever it (re)enters a frame:
    /// `returnToHost`, some thread has a debug hook, a hook single-step is under way.
    var slowPathFlags: UInt8 = 0
    static let returnToHostBit: UInt8 = 1
    static let hooksBit: UInt8 = 2
    static let hookStepBit: UInt8 = 4
    /// Threads with a debug hook set (hooks are checked only while this is positive).
    var hookedThreads = 0
    /// The real fuel while the interpreter single-steps one instruction for a hook.
    var hookSavedFuel = 0
    /// A full collection was requested (collectgarbage "collect").
    var collectionRequest: LuaCollectionRequest = .none
    /// Whether the last requested step ("step") ended with the collector asleep (a cycle done).
    var lastStepFinishedCycle = false
    /// Whether automatic collection is running (collectgarbage "stop"/"restart").
    var collectorRunning = true
    /// The mode collectgarbage last selected; the arena follows at the next safe point.
    var collectorGenerational = false
    /// The parameters collectgarbage last set; the arena's pacing follows at the next safe
    /// point when `collectorParametersChanged`.
    var collectorParameters = LuaCollectorParameters()
    var collectorParametersChanged = false
    /// The running thread.
    var running: Gc<LuaThread>
    /// The builtin function that closes to-be-closed variables while an error unwinds.
    var closer: Gc<LuaHostFunction>?
    /// The builtin body a coroutine runs while `coroutine.close` closes its variables.
    var threadCloser: Gc<LuaHostFunction>?
    /// "not enough memory", allocated up front so it can be raised when memory is exhausted.
    var memoryErrorMessage: Gc<LuaString>?
    /// The builtin function that runs an xpcall message handler.
    var handlerRunner: Gc<LuaHostFunction>?
    let services = LuaHostServices()
    /// How many coroutines are resumed inside one another right now.
    var resumeDepth = 0
    /// Whether the finalizer runner is on some thread's stack.
    var finalizersRunning = false
    /// Where `warn` output goes (set by the standard library); `@on`/`@off` toggles it.
    var warningsOn = false
    /// Whether `load` accepts binary chunks (the sandbox turns them off).
    var binaryChunksAllowed = true
    /// The arena kinds of closures, upvalues and tables, looked up once for CLOSURE's and
    /// NEWTABLE's allocations.
    let closureKind: GCKind<LuaClosure>
    let upvalueKind: GCKind<LuaUpvalue>
    let tableKind: GCKind<LuaTable>

    public static var ownsExternalMemory: Bool { true }

    public func trace(_ tracer: inout Tracer) {
        tracer.trace(globals)
        tracer.trace(registry)
        tracer.trace(mainThread)
        tracer.trace(running)
        for i in 0..<LuaMetamethod.allCases.count { tracer.trace(metamethodNames[i]) }
        for i in 0..<LuaMeta.typeCount { tracer.trace(typeMetatables[i]) }
        finalization.trace(&tracer)
        tracer.trace(closer)
        tracer.trace(threadCloser)
        tracer.trace(handlerRunner)
        tracer.trace(memoryErrorMessage)
    }

    public mutating func releaseExternalMemory() -> Int {
        metamethodNames.deallocate()
        typeMetatables.deallocate()
        strings.release()
        return 0
    }

    /// Creates the global state: string table, globals, registry, main thread.
    static func allocate(_ mc: borrowing Mutation) throws(GCAllocationError) -> Gc<LuaGlobalState> {
        var strings = LuaStringTable()
        let names = UnsafeMutablePointer<Gc<LuaString>>.allocate(capacity: LuaMetamethod.allCases.count)
        for e in LuaMetamethod.allCases {
            // SAFETY: one slot per event, initialized here before any read.
            (names + e.rawValue).initialize(to: try strings.intern(mc, e.fieldName))
        }
        let metatables = UnsafeMutablePointer<Gc<LuaTable>?>.allocate(capacity: LuaMeta.typeCount)
        metatables.initialize(repeating: nil, count: LuaMeta.typeCount)
        let main = try LuaThread.allocate(mc, isMain: true, body: .nil)
        let global = try mc.allocate(LuaGlobalState(
            strings: strings,
            globals: try LuaTable.allocate(mc, arrayCapacity: 0, hashCapacity: 64),
            registry: try LuaTable.allocate(mc, arrayCapacity: 2, hashCapacity: 8),
            mainThread: main, metamethodNames: names, typeMetatables: metatables, running: main,
            closureKind: mc.kind(of: LuaClosure.self), upvalueKind: mc.kind(of: LuaUpvalue.self),
            tableKind: mc.kind(of: LuaTable.self)))
        // The VM writes this record (running thread, finalizer lists, ...) without barriers:
        // the collector re-traces it in every atomic phase, minor collections included.
        mc.retraceEveryCollection(global)
        return global
    }
}

/// A collection the running script asked for.
enum LuaCollectionRequest {
    case none
    case full
    case step(Int)
}
