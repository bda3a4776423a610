import GCArena
import GCSequence

/// The arena root of a Lua state.
public struct LuaRoot: Collect {
    var global: Gc<LuaGlobalState>
    public func trace(_ tracer: inout Tracer) { tracer.trace(global) }
}


/// A Lua 5.4 state: globals, a main thread, and the garbage-collected arena they live in.
///
/// ```swift
/// let lua = Lua()
/// try lua.register("add") { (a: Int, b: Int) -> Int in a + b }
/// let results = try lua.run("return add(2, 3)")   // [.integer(5)]
/// let config = try lua.globals                      // host-side tables: see "Embedding Moonlet"
/// ```
///
/// Scripts run in slices of ``fuelPerSlice`` instructions; between slices the collector
/// runs and ``interrupt`` is checked. A `Lua` is not thread-safe; use it from one thread
/// or actor at a time (the interrupt may be requested from anywhere).
public final class Lua {
    // The flags every call reads and writes are `@exclusivity(unchecked)`: a `Lua` is used from
    // one thread at a time and nothing holds an `inout` access to them across a call, while
    // the dynamic checks (`swift_beginAccess`) cost a Swift→Lua call about 200 instructions.
    public let arena: Arena<LuaRoot>
    /// Instructions per slice (each slice is one `mutate` call followed by collection).
    @exclusivity(unchecked) public var fuelPerSlice = 1 << 16
    /// Set from any thread to stop the running script (checked at every slice boundary).
    public let interrupt = Interrupt()
    /// When set, an ``interrupt`` request during ``call(_:_:limits:)`` raises this message as
    /// an ordinary Lua error where the running Lua function stands (catchable by `pcall`, with
    /// a traceback), as Ctrl-C does in `lua.c`; when nil (the default) the call ends at once
    /// with ``LuaScriptError/Kind/interrupted``, which no script can catch.
    public var interruptErrorMessage: String?
    /// Where `print` and `io.write` to the standard output write (the standard library uses
    /// it through ``LuaCallContext/writeOutput(_:)``); bytes, as Lua strings are.
    public var output: (UnsafeRawBufferPointer) -> Void {
        get { services.output }
        set { services.output = newValue }
    }
    /// Collect at every safe point (for testing the collector against the VM).
    @exclusivity(unchecked) public var gcStressMode = false {
        didSet {
            // `access` joins a running mutation: this may be set from inside a host function.
            arena.pacing = gcStressMode ? .stress
                : (try? access { (_, g) throws(LuaError) in g.pointee.collectorParameters.pacing }) ?? Lua.defaultPacing
        }
    }
    /// The collector pacing every state starts with: PUC's pause (wait until the heap has
    /// doubled since the last cycle) and a step multiplier high enough that a cycle ends
    /// before the heap grows much further, as PUC's stepmul 100 does (it counts work in
    /// slots, about 16 bytes each). GCArena's default multiplier, 4, lets the heap reach
    /// about 2.9 times the live size; this one keeps it near 2.1, like lua5.4: peak RSS on
    /// binary_trees 16 falls from 100 MB to 68 MB (lua5.4: 60 MB) for ~1% more instructions.
    public static let defaultPacing = GCPacing(pause: 1.0, stepMultiplier: 40)
    @exclusivity(unchecked) var executing = false
    /// Whether ``close()`` has run.
    var closed = false
    /// What ``registerUserdata(_:name:_:)`` registered, by Swift type (for derived types).
    var userdataTypes: [ObjectIdentifier: LuaUserdataRecord] = [:]
    /// How to view a registered type's payload as the type it inherits from through a key path.
    var userdataUpcasts: [ObjectIdentifier: [LuaUserdataUpcast]] = [:]
    /// ``Arena/memoryLimitFailures`` after the last emergency collection.
    @exclusivity(unchecked) var limitFailuresSeen = 0
    /// The instruction budget of the `__gc` finalizers run between calls and by ``close()``
    /// (each batch); finalizers still running or pending when it runs out are dropped.
    /// Finalizers run by `collectgarbage` count against the calling script's fuel instead.
    public var finalizerFuel = 1 << 24
    /// The global state (rooted by the arena for the state's whole life).
    let globalHandle: Gc<LuaGlobalState>
    /// What handles hold to reach this state (see ``LuaStateToken``).
    let token = LuaStateToken()
    /// The Swift-side services of the global state (the same object), reachable without a `mutate`.
    let services: LuaHostServices

    /// Creates an empty state: no standard library (see LuaStdlib's `Lua.full()`/`Lua.sandboxed()`).
    public init() {
        arena = try! Arena<LuaRoot> { mc in
            LuaRoot(global: try LuaGlobalState.allocate(mc))
        }
        globalHandle = arena.mutate { _, root in root.global }
        services = arena.mutate { _, root in root.global.value.services }
        token.lua = self
        arena.finalizationHook = Lua.finalizationWindow
        arena.pacing = Lua.defaultPacing
        arena.mutate { mc, root in
            let g = root.global.unsafeMutablePointer
            g.pointee.services.hostToken = self.token
            g.pointee.closer = try? mc.allocate(LuaHostFunction(name: "close", body: LuaBuiltins.closer))
            g.pointee.threadCloser = try? mc.allocate(LuaHostFunction(name: "close", body: LuaBuiltins.threadCloser))
            g.pointee.handlerRunner = try? mc.allocate(LuaHostFunction(name: "xpcall", body: LuaBuiltins.runHandler))
            g.pointee.memoryErrorMessage = try? g.pointee.strings.intern(mc, "not enough memory")
            mc.backwardBarrier(root.global)
        }
    }

    /// Releasing the last reference closes the state as ``close()`` does (when it was not
    /// closed already): every pending `__gc` finalizer runs, under ``finalizerFuel``.
    ///
    /// Library functions reach the state's services through their call context, and the
    /// token keeps pointing here until the finalizers are done, so they work as in `close()`.
    /// A host function of the embedder that captured the state `[weak lua]` sees nil while
    /// these finalizers run (Swift clears weak references when `deinit` starts); one that
    /// captured it `unowned` would trap, so capture it weakly (or not at all: the call
    /// context has what a host function needs).
    deinit {
        closeOnRelease()
        token.lua = nil
    }

    /// The collector's window: clear weak entries, resurrect objects with `__gc`, and purge
    /// dead interned strings once nothing more can be resurrected.
    static func finalizationWindow(_ fc: borrowing GCFinalization, _ root: inout LuaRoot) {
        let g = root.global.unsafeMutablePointer
        let mc = fc.mutation
        // Weak values go first: resurrected objects are removed from weak values. A dead
        // weak table stays listed until a window resurrects nothing: a finalized object may
        // bring it back, and it is cleared in the next window, before any finalizer (or the
        // mutator) can read it (PUC clears the weak tables again after separatetobefnz).
        let weakTables = g.pointee.finalization.weakTables.compactMap { $0.upgrade(mc) }
        for t in weakTables where t.hasWeakValues { t.clearDeadEntries(fc, keys: false, values: true) }
        // Dead objects with finalizers come back to life, newest registration first.
        var resurrected: [LuaValue] = []
        var kept: [(weak: AnyGcWeak, tag: LuaTag)] = []
        for entry in g.pointee.finalization.registered.reversed() {
            if fc.isDead(entry.weak), let obj = fc.resurrect(entry.weak) {
                resurrected.append(LuaValue(tag: entry.tag, object: obj))
            } else {
                kept.append(entry)
            }
        }
        if !resurrected.isEmpty {
            g.pointee.finalization.registered = kept.reversed()
            g.pointee.finalization.pending.append(contentsOf: resurrected)
            return  // marking resumes; weak keys and strings are handled in the next window
        }
        g.pointee.finalization.weakTables.removeAll { fc.isDead($0) }
        for t in weakTables where t.hasWeakKeys { t.clearDeadEntries(fc, keys: true, values: false) }
        if !fc.hasResurrections { g.pointee.strings.removeDead(fc) }
    }
}

extension Lua {
    /// The most value-stack slots a thread may use; deeper recursion raises a catchable
    /// "stack overflow" error (default 1,000,000, PUC's LUAI_MAXSTACK).
    public var maxStackSlots: Int {
        get { (try? access { (_, g) throws(LuaError) in g.pointee.mainThread.value.stackLimit }) ?? LuaThread.maxStack }
        set { _ = try? access { (_, g) throws(LuaError) in g.pointee.mainThread.unsafeMutablePointer.pointee.stackLimit = max(newValue, 64) } }
    }

    /// A hard limit on the arena's memory (objects plus owned buffers), or nil for none.
    /// An allocation past it raises the Lua error "not enough memory".
    public var memoryLimit: Int? {
        get { arena.memoryLimit }
        set { arena.memoryLimit = newValue }
    }

    /// The collector's mode: incremental (the default for a new state, as `luaL_newstate`'s)
    /// or generational (what `lua.c` selects, and `collectgarbage("generational")`).
    ///
    /// Set from inside a host function (while the state runs Lua), the switch happens at the
    /// next safe point.
    public var collectorMode: GCCollectorMode {
        get { arena.collectorMode }
        set {
            if arena.isMutating || arena.isCollecting {
                _ = try? access { (_, g) throws(LuaError) in
                    g.pointee.collectorGenerational = newValue == .generational
                    g.pointee.returnToHost = true
                }
                return
            }
            arena.mutate { _, root in
                root.global.unsafeMutablePointer.pointee.collectorGenerational = newValue == .generational
            }
            arena.setCollectorMode(newValue)
        }
    }

    /// Runs a full garbage collection now, then the finalizers it marked (under
    /// ``finalizerFuel``), as `lua_gc(L, LUA_GCCOLLECT)` does; from inside a host function
    /// (when the state is running Lua) it asks for one at the next safe point instead.
    public func collectGarbage() {
        if arena.isMutating || arena.isCollecting {
            _ = try? access { (_, g) throws(LuaError) in
                g.pointee.collectionRequest = .full
                g.pointee.returnToHost = true
            }
            return
        }
        arena.collectAll()
        runPendingFinalizers()
    }

    /// Memory and collector statistics.
    public var metrics: GCMetrics { arena.metrics }

    /// Sets global `name` to a host function.
    ///
    /// Throws (kind ``LuaScriptError/Kind/memory``) when the state has no memory left for it.
    public func register(_ name: String, _ body: @escaping LuaHostBody) throws(LuaScriptError) {
        try access { (mc, g) throws(LuaError) in
            let f = try Lua.hostFunction(mc, name, body)
            try Lua.rawSet(mc, g, g.pointee.globals, try Lua.intern(mc, g, name), f)
        }
    }

    /// Runs `body` with the mutation context and the global state: inside a new `mutate`
    /// call, or inside the one in progress when a host function is running (so handles and
    /// registration work from callbacks). Lua errors become ``LuaScriptError``s.
    func access<R>(_ body: (borrowing Mutation, UnsafeMutablePointer<LuaGlobalState>) throws(LuaError) -> R) throws(LuaScriptError) -> R {
        let global = globalHandle
        let r = arena.mutateOrJoin { mc -> Result<R, LuaScriptError> in
            let g = global.unsafeMutablePointer
            do throws(LuaError) {
                return .success(try body(mc, g))
            } catch {
                return .failure(Lua.scriptError(mc, g, error))
            }
        }
        guard let r else {
            throw LuaScriptError(kind: .misuse, message: "the Lua state cannot be used while its collector runs (from a finalization hook)")
        }
        return try r.get()
    }

    static func intern(_ mc: borrowing Mutation, _ g: UnsafeMutablePointer<LuaGlobalState>, _ s: String) throws(LuaError) -> LuaValue {
        do { return LuaValue(try g.pointee.strings.intern(mc, s)) } catch { throw .outOfMemory(mc) }
    }

    static func hostFunction(_ mc: borrowing Mutation, _ name: String, _ body: @escaping LuaHostBody) throws(LuaError) -> LuaValue {
        do {
            let f = try mc.allocate(LuaHostFunction(name: name, body: body))
            return LuaValue(tag: .hostFunction, object: f.erased)
        } catch { throw .outOfMemory(mc) }
    }

    static func newTable(_ mc: borrowing Mutation, arrayCapacity: Int = 0, hashCapacity: Int = 0) throws(LuaError) -> Gc<LuaTable> {
        do { return try LuaTable.allocate(mc, arrayCapacity: arrayCapacity, hashCapacity: hashCapacity) } catch {
            throw .outOfMemory(mc)
        }
    }

    static func rawSet(_ mc: borrowing Mutation, _ g: UnsafeMutablePointer<LuaGlobalState>,
                       _ t: Gc<LuaTable>, _ key: LuaValue, _ value: LuaValue) throws(LuaError) {
        try LuaMeta.rawSet(mc, g, t, key, value)
    }
}

#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Lua {
    /// Writes to the process's standard output through C stdio (buffered).
    public static func standardOutput(_ bytes: UnsafeRawBufferPointer) {
        // SAFETY: C stdio locks the stream itself; Swift only objects to the global's mutability.
        _ = fwrite(bytes.baseAddress, 1, bytes.count, stdout)
    }

    /// Flushes C stdio's standard output.
    public static func flushStandardOutput() { fflush(stdout) }

    /// Creates a table of host functions and stores it in global `name`.
    public func registerLibrary(_ name: String, _ functions: [(String, LuaHostBody)]) throws(LuaScriptError) {
        try registerLibrary(name, functions, constants: [])
    }

    /// Creates a table of host functions plus constant fields (`math.pi`, `utf8.charpattern`)
    /// and stores it in global `name`.
    public func registerLibrary(_ name: String, _ functions: [(String, LuaHostBody)],
                                constants: [(String, LuaHostValue)]) throws(LuaScriptError) {
        try access { (mc, g) throws(LuaError) in
            let t = try Lua.newTable(mc, hashCapacity: functions.count + constants.count)
            for (fname, body) in functions {
                try Lua.rawSet(mc, g, t, try Lua.intern(mc, g, fname), try Lua.hostFunction(mc, fname, body))
            }
            for (cname, value) in constants {
                try Lua.rawSet(mc, g, t, try Lua.intern(mc, g, cname), try self.vmValue(value, mc, g))
            }
            try Lua.rawSet(mc, g, g.pointee.globals, try Lua.intern(mc, g, name), LuaValue(t))
        }
    }

    /// Sets a global to a host value.
    public func setGlobal(_ name: String, _ value: LuaHostValue) throws(LuaScriptError) {
        try access { (mc, g) throws(LuaError) in
            try Lua.rawSet(mc, g, g.pointee.globals, try Lua.intern(mc, g, name), try self.vmValue(value, mc, g))
        }
    }

    /// Reads a global as a host value (nil when the state has no memory left to name it).
    public func global(_ name: String) -> LuaHostValue {
        (try? access { (mc, g) throws(LuaError) in
            g.pointee.globals.get(try Lua.intern(mc, g, name)).hostValue(mc, g)
        }) ?? .nil
    }
}
