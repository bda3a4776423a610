import GCArena
import GCSequence

// Async host functions that call back into Lua, written as straight-line Swift:
//
//     try lua.registerAsync("map") { (f: LuaFunction, list: LuaTableRef) async throws -> [LuaHostValue] in
//         var out: [LuaHostValue] = []
//         for x in try list.sequence() { out.append(try await f.call(x).first ?? .nil) }
//         return out
//     }
//
// How it runs. The Lua thread that calls `map` suspends (its host frame returns `.suspend`);
// the driver of `callAsync` leaves `mutate` and awaits the Swift body with the arena idle.
// When the body awaits `f.call(x)`, the call is handed back to the suspended host frame: the
// frame is resumed and returns `.call(f, x)` with a continuation, so the Lua function runs on
// the same thread's frames and stack, in fuel-bounded slices with the collector stepping
// between them, exactly as a call requested by a synchronous host function. Those slices
// are driven by a second driver from inside `f.call`; when the Lua function returns, its
// continuation stores the results, suspends the frame again, and `f.call` returns them.
//
// What crosses an `await` is only host values (`LuaHostValue`, `LuaTableRef`,
// `LuaFunction`: dynamic roots), never a `Gc` handle or a `LuaValue`: the body has no
// `Mutation` (it is `~Escapable` and cannot be captured by the escaping body), so it cannot
// produce a handle, and the handles of the synchronous part live in `mutate` closures that
// end before the body starts. The compiler checks both (see papers/gcsequence-styles.md).

// SAFETY: `g` pointers are derived inside each `mutate` (through the call context) and not
// kept past it.

/// The conversation between a suspended host frame and its async Swift body.
///
/// `@unchecked Sendable`: the frame's continuations run inside `mutate` on the driver's
/// isolation domain; the body runs while the driver awaits it, in the same domain
/// (`nonisolated(nonsending)`), so the two sides alternate and never run at once.
final class LuaAsyncSession: @unchecked Sendable {
    let lua: Lua
    /// A call the body asked for and the frame has not started yet.
    var pendingCall: (function: LuaHostValue, arguments: [LuaHostValue])?
    /// The outcome of the last requested call.
    var callResult: Result<[LuaHostValue], LuaScriptError>?
    /// The body's outcome: its results, or the error it threw.
    var final: Result<[LuaHostValue], any Error>?

    init(lua: Lua) { self.lua = lua }

    /// The session of the async host function whose body is running in this task.
    @TaskLocal static var current: LuaAsyncSession?

    /// Runs `function(arguments)` on the suspended thread and returns its results.
    nonisolated(nonsending) func call(_ function: LuaHostValue, _ arguments: [LuaHostValue]) async throws(LuaScriptError) -> [LuaHostValue] {
        pendingCall = (function, arguments)
        callResult = nil
        let driver: Driver<LuaRoot, LuaCallStepper>
        do {
            driver = try Driver(lua.arena, slice: lua.fuelPerSlice, interrupt: lua.interrupt) { _, root in
                LuaCallStepper(global: root.global)
            }
        } catch {
            throw LuaScriptError(kind: .memory, message: "not enough memory")
        }
        defer { driver.cancel() }
        while callResult == nil {
            let status: StepStatus<[LuaHostValue]>
            do throws(DriverError<LuaScriptError>) {
                status = try driver.step { mc, root, r in Lua.results(mc, &root, r) }
            } catch {
                switch error {
                case .failed(let e): throw e
                case .interrupted: throw LuaScriptError(kind: .interrupted, message: "interrupted")
                default: throw LuaScriptError(kind: .misuse, message: "\(error)")
                }
            }
            lua.afterSlice()
            switch status {
            case .ready:
                throw LuaScriptError(kind: .misuse, message: "the Lua call of an async host function ended its caller")
            case .pending:
                continue
            case .awaiting:
                // Either our call finished (its continuation suspended the frame again), or
                // the Lua function awaits an async host function of its own.
                if callResult == nil { await driver.awaitRequest() }
            case .interrupted:
                throw LuaScriptError(kind: .interrupted, message: "interrupted")
            }
        }
        let result = callResult
        callResult = nil
        switch result {
        case .success(let values)?: return values
        case .failure(let e)?: throw e
        case nil: return []
        }
    }

    /// The continuation of the suspended host frame: start a requested call, or return the
    /// body's results.
    func resume(_ ctx: inout LuaCallContext, _ status: LuaCallStatus) throws -> LuaCallOutcome {
        if let (function, arguments) = pendingCall {
            pendingCall = nil
            try ctx.push(try lua.vmValue(function, ctx.mc, ctx.g))
            for a in arguments { try ctx.push(try lua.vmValue(a, ctx.mc, ctx.g)) }
            return .call(arguments: arguments.count, then: { [self] ctx, status in
                try self.callEnded(&ctx, status)
            }, protected: true)
        }
        switch final {
        case .success(let values)?:
            for v in values { try ctx.push(try lua.vmValue(v, ctx.mc, ctx.g)) }
            return .results(values.count)
        case .failure(let e)?:
            if let script = e as? LuaScriptError, script.kind != .host, let v = script.value {
                throw LuaError(value: try lua.vmValue(v, ctx.mc, ctx.g))
            }
            throw asLuaError(e)
        case nil:
            throw LuaError.runtime("async operation was not performed (use Lua.callAsync)")
        }
    }

    /// The requested Lua call returned or failed: record it and suspend again.
    func callEnded(_ ctx: inout LuaCallContext, _ status: LuaCallStatus) throws -> LuaCallOutcome {
        switch status {
        case .returned(let n), .yielded(let n):
            let base = ctx.top - n
            callResult = .success((0..<n).map { ctx.argument(base + 1 + $0).hostValue(ctx.mc, ctx.g) })
            try ctx.setTop(base)
        case .failed(let e):
            callResult = .failure(Lua.scriptError(ctx.mc, ctx.g, e))
        }
        // A marker request: the nested driver sees it and hands the results to the body.
        ctx.g.pointee.services.asyncRequest = AsyncRequest { () async -> Void in }
        return .suspend(then: { [self] ctx, status in try self.resume(&ctx, status) })
    }
}

extension Lua {
    /// Registers an async Swift function as global `name` that may call back into Lua.
    ///
    /// Lua calls it like any function; its thread suspends while the body runs (with the
    /// arena idle), and `try await f.call(...)` inside the body runs the Lua function on that
    /// thread and returns its results. Only runs started with ``callAsync(_:_:limits:)`` /
    /// ``runAsync(_:chunkName:limits:)`` can reach it; a synchronous run raises a clear error.
    public func registerAsync(_ name: String,
                              _ body: nonisolated(nonsending) @escaping ([LuaHostValue]) async throws -> [LuaHostValue]) throws(LuaScriptError) {
        try registerAsyncBody(name, body)
    }

    func registerAsyncBody(_ name: String,
                           _ body: nonisolated(nonsending) @escaping ([LuaHostValue]) async throws -> [LuaHostValue]) throws(LuaScriptError) {
        try register(name) { ctx in
            // Not a capture of the state: this may run from a finalizer while the `Lua` is
            // being released, where an unowned reference would trap.
            let services = ctx.g.pointee.services
            guard !services.hostRunsFinalizers, let lua = services.host else {
                throw LuaError.runtime("async function '\(name)' cannot run in a finalizer the host runs (close, release or between calls)")
            }
            var arguments: [LuaHostValue] = []
            for i in 1...max(ctx.argumentCount, 1) where i <= ctx.argumentCount {
                arguments.append(ctx.argument(i).hostValue(ctx.mc, ctx.g))
            }
            let session = LuaAsyncSession(lua: lua)
            let captured = arguments
            ctx.g.pointee.services.asyncRequest = AsyncRequest { () async -> Void in
                do {
                    let values = try await LuaAsyncSession.$current.withValue(session) { try await body(captured) }
                    session.final = .success(values)
                } catch {
                    session.final = .failure(error)
                }
            }
            return .suspend(then: { ctx, status in try session.resume(&ctx, status) })
        }
    }

    /// Registers a typed async Swift function (parameter packs) as global `name`; it may
    /// call back into Lua with `try await f.call(...)`.
    ///
    /// ```swift
    /// try lua.registerAsync("fetch") { (url: String, retries: Int?) async throws -> String in ... }
    /// ```
    public func registerAsync<each A: LuaHostConvertible, R: LuaHostConvertible>(
        _ name: String, _ body: @escaping (repeat each A) async throws -> R
    ) throws(LuaScriptError) {
        try registerAsyncBody(name) { [unowned self] (arguments: [LuaHostValue]) async throws -> [LuaHostValue] in
            let cursor = HostArgumentCursor(arguments, self, function: name)
            let result = try await body(repeat try cursor.take((each A).self))
            return [try result.toHost(self)]
        }
    }
}

/// Converts the arguments of a typed async function one by one, with "bad argument" messages.
final class HostArgumentCursor {
    let values: [LuaHostValue]
    let lua: Lua
    let function: String
    var next = 0
    init(_ values: [LuaHostValue], _ lua: Lua, function: String) { self.values = values; self.lua = lua; self.function = function }
    func take<T: LuaHostConvertible>(_ type: T.Type) throws(LuaScriptError) -> T {
        let v = next < values.count ? values[next] : .nil
        next += 1
        do { return try T.fromHost(v, lua) } catch {
            throw LuaScriptError(kind: .runtime, message: "bad argument #\(next) to '\(function)' (\(error.message))")
        }
    }
}

extension LuaFunction {
    /// Calls the function from inside an async host function (its thread suspends until the
    /// call returns), or with ``Lua/callAsync(_:_:limits:)`` when the state is idle.
    @discardableResult
    public nonisolated(nonsending) func call<each A: LuaHostConvertible>(_ arguments: repeat each A) async throws(LuaScriptError) -> [LuaHostValue] {
        let lua = try reference.state()
        let list = try lua.hostArguments(repeat each arguments)
        if let session = LuaAsyncSession.current, session.lua === lua {
            return try await session.call(value, list)
        }
        return try await lua.callAsync(value, list)
    }

    /// `call(_:)` (async) with its results converted to the types of `returning`.
    public nonisolated(nonsending) func call<each A: LuaHostConvertible, each R: LuaHostConvertible>(
        _ arguments: repeat each A, returning: (repeat each R).Type
    ) async throws(LuaScriptError) -> (repeat each R) {
        let lua = try reference.state()
        let results: [LuaHostValue] = try await call(repeat each arguments)
        var cursor = HostResultCursor(results, lua)
        return (repeat try cursor.take((each R).self))
    }
}
