import GCArena

// Scoped functions and userdata (mlua's `Lua::scope`): Lua values that may use Swift state
// valid only for a stretch of host code, and stop working when it ends.
//
//     var hits = 0
//     try withUnsafeMutablePointer(to: &hits) { counter in
//         try lua.scope { scope in
//             try scope.register("hit") { (n: Int) in counter.pointee += n }
//             try lua.run("hit(2) hit(3) saved = hit")
//         }
//     }
//     // hits == 5; `saved()` now raises "callback used after its scope ended".
//
// Swift closures already keep what they capture alive, so scopes are not needed for
// lifetimes as in Rust; they are for state that must not be touched afterwards: a pointer
// from `withUnsafe...`, a transaction, a request, a borrowed buffer.

/// The functions and userdata created for one `lua.scope { ... }` call; all of them are
/// invalidated when it returns or throws.
///
/// A scoped function called afterwards (a script kept it in a global, a coroutine resumed
/// later) raises the Lua error "callback used after its scope ended"; its Swift closure is
/// released when the scope ends, so what it captured is no longer referenced by the state.
/// A scoped userdata loses its payload: its methods raise "userdata used after its scope ended".
public final class LuaScope {
    let lua: Lua
    /// The function bodies, cleared when the scope ends.
    var cells: [LuaScopeCell] = []
    /// The scoped userdata, emptied when the scope ends.
    var userdata: [LuaReference] = []

    init(lua: Lua) { self.lua = lua }

    /// A function backed by `body` until the scope ends.
    public func function(_ name: String = "scoped", _ body: @escaping LuaHostBody) throws(LuaScriptError) -> LuaFunction {
        let cell = LuaScopeCell(body)
        cells.append(cell)
        let f = try lua.access { (mc, g) throws(LuaError) in
            try Lua.hostFunction(mc, name, cell.guardedBody).hostValue(mc, g)
        }
        guard let function = f.function else { throw LuaScriptError(kind: .misuse, message: "scope: not a function") }
        return function
    }

    /// A typed function (arguments and result converted as for the typed `Lua.register`).
    public func function<each A: LuaConvertible, R: LuaResultConvertible>(
        _ name: String = "scoped", _ f: @escaping (repeat each A) throws -> R
    ) throws(LuaScriptError) -> LuaFunction {
        try function(name) { ctx in
            let cursor = ArgumentCursor()
            let result = try f(repeat try ctx.argument(cursor.advance(), as: (each A).self))
            return .results(try result.pushLuaResults(ctx))
        }
    }

    /// A typed function that returns nothing.
    public func function<each A: LuaConvertible>(_ name: String = "scoped", _ f: @escaping (repeat each A) throws -> Void) throws(LuaScriptError) -> LuaFunction {
        try function(name) { ctx in
            let cursor = ArgumentCursor()
            try f(repeat try ctx.argument(cursor.advance(), as: (each A).self))
            return .results(0)
        }
    }

    /// Sets global `name` to a scoped function (the global stays; calling it after the
    /// scope raises the error).
    public func register(_ name: String, _ body: @escaping LuaHostBody) throws(LuaScriptError) {
        try lua.globals.set(.string(Array(name.utf8)), try function(name, body).value)
    }

    /// Sets global `name` to a scoped typed function.
    public func register<each A: LuaConvertible, R: LuaResultConvertible>(
        _ name: String, _ f: @escaping (repeat each A) throws -> R
    ) throws(LuaScriptError) {
        try lua.globals.set(.string(Array(name.utf8)), try function(name, f).value)
    }

    /// Sets global `name` to a scoped typed function that returns nothing.
    public func register<each A: LuaConvertible>(_ name: String, _ f: @escaping (repeat each A) throws -> Void) throws(LuaScriptError) {
        try lua.globals.set(.string(Array(name.utf8)), try function(name, f).value)
    }

    // SAFETY: inside `access`, `g` is the global state of the arena `mc` mutates; the new
    // userdata is stashed (a dynamic root) before the mutation ends.
    /// A userdata holding `payload` with the metatable registered for `T` (its methods
    /// work until the scope ends).
    public func userdata<T: Collect>(_ payload: T) throws(LuaScriptError) -> LuaHostValue {
        let value = try lua.access { (mc, g) throws(LuaError) -> LuaHostValue in
            let key = try Lua.intern(mc, g, LuaCallContext.registryKey(T.self))
            let registered = g.pointee.registry.get(key)
            let metatable = registered.tag == .table ? registered.table : nil
            let u: Gc<LuaUserdata>
            do { u = try mc.allocate(LuaUserdata(payload: payload, metatable: metatable)) } catch { throw .outOfMemory(mc) }
            let v = LuaValue(tag: .userdata, object: u.erased)
            if let metatable, !LuaMeta.fromMetatable(g, metatable, .gc).isNil { g.pointee.finalization.register(v) }
            if let bytes = (payload as? any LuaUserdataConvertible)?.luaExternalBytes, bytes > 0 {
                do { try mc.reportExternalMemory(bytes) } catch { throw .outOfMemory(mc) }
                u.write(mc).value.externalBytes = bytes
            }
            return v.hostValue(mc, g)
        }
        if case .object(let r) = value { userdata.append(r) }
        return value
    }

    /// Invalidates everything the scope created.
    func end() {
        for cell in cells { cell.body = nil }
        cells = []
        let ended = userdata
        userdata = []
        guard !ended.isEmpty else { return }
        _ = try? lua.access { (mc, _) throws(LuaError) in
            for r in ended {
                guard let u = r.value(mc).userdataObject else { continue }
                let bytes = u.value.externalBytes
                if bytes > 0 { try? mc.reportExternalMemory(-bytes) }
                let w = u.write(mc)
                w.value.externalBytes = 0
                w.value.payload = LuaScopeEndedPayload()
            }
        }
    }
}

/// What a scoped userdata holds after its scope ended.
struct LuaScopeEndedPayload: CollectLeaf {}

/// A scoped function's body, present until its scope ends.
final class LuaScopeCell {
    var body: LuaHostBody?

    init(_ body: @escaping LuaHostBody) { self.body = body }

    static let endedMessage = "callback used after its scope ended"

    /// The host function's body: the scoped body while the scope lasts, an error after.
    var guardedBody: LuaHostBody {
        { [self] ctx in
            guard let body else { throw LuaError.runtime(LuaScopeCell.endedMessage) }
            return guarded(try body(&ctx))
        }
    }

    /// The same outcome with its continuation guarded too (a scoped function may yield or
    /// call Lua and be resumed after its scope ended).
    func guarded(_ outcome: LuaCallOutcome) -> LuaCallOutcome {
        switch outcome {
        case .results, .sequence, .callAgain:
            // (`.callAgain` from a resumable's `resume` is mapped by `guarded(resumable:)`.)
            return outcome
        case .callResuming(let arguments, let resumable):
            return .call(arguments: arguments, then: guarded(resumable: resumable), protected: false)
        case .call(let arguments, let then, let protected, let yieldable):
            return .call(arguments: arguments, then: then.map(guarded), protected: protected, yieldable: yieldable)
        case .yield(let count, let then):
            return .yield(count: count, then: then.map(guarded))
        case .resume(let thread, let arguments, let then):
            return .resume(thread: thread, arguments: arguments, then: guarded(then))
        case .suspend(let then):
            return .suspend(then: guarded(then))
        }
    }

    /// A resumable continuation as a guarded closure (kept by no frame's slot, so each of its
    /// `.callAgain` requests becomes a call continuing in the closure again).
    func guarded(resumable r: LuaResumable) -> LuaContinuation {
        { [self] ctx, status in
            guard body != nil else { throw LuaError.runtime(LuaScopeCell.endedMessage) }
            let outcome = guarded(try r.resume(&ctx, status))
            if case .callAgain(let arguments) = outcome {
                return .call(arguments: arguments, then: guarded(resumable: r), protected: false)
            }
            return outcome
        }
    }

    func guarded(_ continuation: @escaping LuaContinuation) -> LuaContinuation {
        { [self] ctx, status in
            guard body != nil else { throw LuaError.runtime(LuaScopeCell.endedMessage) }
            return guarded(try continuation(&ctx, status))
        }
    }
}

extension Lua {
    /// Runs `body` with a ``LuaScope`` whose functions and userdata may use state valid only
    /// during the call (mlua's `Lua::scope`); they are invalidated when `body` returns or throws.
    public func scope<R, E: Error>(_ body: (LuaScope) throws(E) -> R) throws(E) -> R {
        let scope = LuaScope(lua: self)
        defer { scope.end() }
        return try body(scope)
    }

    /// The `async` form of `scope`, for bodies that run scripts with `runAsync`.
    public nonisolated(nonsending) func scope<R>(_ body: nonisolated(nonsending) (LuaScope) async throws -> R) async rethrows -> R {
        let scope = LuaScope(lua: self)
        defer { scope.end() }
        return try await body(scope)
    }
}
