import GCArena
import GCSequence

/// What a host function does when it returns to the VM.
public enum LuaCallOutcome {
    /// The top `count` stack values are the results.
    case results(Int)
    /// Call the function sitting below the top `arguments` values, then run `then` with its
    /// results (or its error, if `protected`). Without a continuation, the callee's results
    /// become this function's results (a tail call).
    ///
    /// A coroutine may yield inside the callee only if `yieldable` (PUC's `lua_callk`
    /// with a continuation); otherwise a yield raises "attempt to yield across a C-call
    /// boundary", as in PUC for `lua_call`.
    case call(arguments: Int, then: LuaContinuation?, protected: Bool, yieldable: Bool = false)
    /// Call the function sitting below the top `arguments` values (unprotected, not
    /// yieldable), then run `resumable.resume` with its results. The frame keeps `resumable`
    /// as its continuation until it returns, so later calls can ask for ``callAgain(arguments:)``.
    case callResuming(arguments: Int, resumable: LuaResumable)
    /// Like ``callResuming(arguments:resumable:)`` with the resumable object this frame
    /// already holds (a host frame that has none raises an error): no reference counting.
    case callAgain(arguments: Int)
    /// Suspend the running coroutine, handing the top `count` values to its resumer.
    case yield(count: Int, then: LuaContinuation?)
    /// Resume `thread` with the top `arguments` values, then run `then` with what it yields,
    /// returns or raises.
    case resume(thread: Gc<LuaThread>, arguments: Int, then: LuaContinuation)
    /// Suspend the running Lua thread until the host's `async` operation (registered with
    /// ``LuaCallContext/awaitAsync(_:)``) completes, then run `then`.
    case suspend(then: LuaContinuation)
    /// Drive `sequence` to completion (one poll per executor step, with fuel); its output
    /// values are this function's results.
    case sequence(AnyStepper<[LuaValue], LuaError>)
}

/// How the call a continuation waited for ended.
public enum LuaCallStatus {
    /// It returned; its results are the top `count` values.
    case returned(count: Int)
    /// It raised `error` (only for protected calls and coroutine resumes).
    case failed(LuaError)
    /// The resumed coroutine yielded the top `count` values.
    case yielded(count: Int)
}

/// The body of a host function.
///
/// Throw a ``LuaError`` to raise a Lua error; any other Swift error becomes a Lua error
/// whose message is the error's description.
public typealias LuaHostBody = (inout LuaCallContext) throws -> LuaCallOutcome

/// The rest of a host function after a call it requested has ended.
public typealias LuaContinuation = (inout LuaCallContext, LuaCallStatus) throws -> LuaCallOutcome

/// Maps any error a host function threw to a Lua error.
@inline(never)
func asLuaError(_ error: any Error) -> LuaError {
    if let e = error as? LuaError { return e }
    var e = LuaError.runtime(String(describing: error))
    e.cause = error
    return e
}

/// A function implemented in Swift, as a Lua value.
///
/// Host functions never call back into the VM on the Swift stack: to call a Lua function
/// they return ``LuaCallOutcome/call(arguments:then:protected:yieldable:)`` and continue in the
/// continuation, which is what keeps the VM stackless.
public struct LuaHostFunction: Collect {
    /// The name used in error messages ("bad argument #1 to 'name'").
    public let name: String
    public let body: LuaHostBody
    /// Values the function keeps between calls (traced).
    public var upvalues: [LuaValue]
    /// Memory the body's captured state owns outside the arena, as reported to it when the
    /// function was made (counted by `memoryLimit`, released when the function is freed).
    public internal(set) var externalBytes = 0
    /// The coroutine switch the VM performs itself for this function (see
    /// ``LuaHostIntrinsic``); `.none` for every function but the coroutine library's.
    package var intrinsic = LuaHostIntrinsic.none
    /// What runs when an intrinsic resume ends in an error: the continuation `body` would
    /// have given with its `.resume` outcome.
    package var intrinsicFailure: LuaContinuation? = nil

    public init(name: String, upvalues: [LuaValue] = [], body: @escaping LuaHostBody) {
        self.name = name
        self.upvalues = upvalues
        self.body = body
    }

    public func trace(_ tracer: inout Tracer) { tracer.trace(upvalues) }

    public static var ownsExternalMemory: Bool { true }
    public mutating func releaseExternalMemory() -> Int { externalBytes }
}

/// A coroutine operation the VM performs itself when a Lua instruction calls the function,
/// instead of running its body (PUC's `lua_resume`/`lua_yield` without the round trip
/// through a host function's outcome and continuation).
///
/// The body stays the definition: the VM takes the direct way only when nothing unusual is
/// going on (no hooks, the argument is a thread, the yield is allowed) and otherwise runs
/// the body, which must do exactly what the intrinsic does.
package enum LuaHostIntrinsic: UInt8 {
    case none
    /// `coroutine.resume(co, ...)`: on a yield or return the results are `true` and the
    /// values; on an error the function's ``LuaHostFunction/intrinsicFailure`` runs.
    case resume
    /// `coroutine.yield(...)`: the arguments go to the resumer, and the resume values
    /// become the results.
    case yield
    /// A `coroutine.wrap` function (its coroutine in upvalue 1): the values it yields or
    /// returns are the results; on an error ``LuaHostFunction/intrinsicFailure`` runs.
    case wrap
}
