import GCArena
import GCSequence

/// A host function's sequence, kept (traced) in its frame's stack slot while it runs.
struct LuaSequenceBox: Collect {
    var stepper: AnyStepper<[LuaValue], LuaError>
    func trace(_ tracer: inout Tracer) { stepper.trace(&tracer) }
}

/// Where a finished call left its results on the main thread.
public struct LuaCallResult: Sendable, Equatable {
    public var at: Int
    public var count: Int
}

/// A call on the main thread as a GCSequence stepper: each poll runs one VM slice, so a
/// GCSequence `Driver` runs Lua with fuel, collects between slices, and performs the
/// `async` operations host functions wait for.
public struct LuaCallStepper: Stepper {
    public typealias Output = LuaCallResult
    public typealias Failure = LuaScriptError

    let global: Gc<LuaGlobalState>

    public func trace(_ tracer: inout Tracer) { tracer.trace(global) }

    public mutating func poll(_ mc: borrowing Mutation, _ fuel: inout Fuel) -> Poll<LuaCallResult, LuaScriptError> {
        let g = global.unsafeMutablePointer
        Lua.injectFinalizers(mc, g)
        var f = max(fuel.remaining, 1)
        let start = f
        let r = VM.runSlice(mc, g, fuel: &f)
        // The VM may overdraw by up to one function's length (a loop body or a return charged
        // whole, see `VM.interpret`); the overdraft is billed, saturating at Int.max.
        let (used, overflow) = start.subtractingReportingOverflow(f)
        fuel.consume(overflow ? Int.max : max(1, used))
        if g.pointee.returnToHost { fuel.yieldNow() }
        if let request = g.pointee.services.asyncRequest {
            g.pointee.services.asyncRequest = nil
            return .request(.async(request))
        }
        switch r {
        case .pending: return .pending
        case .finished(let at, let count): return .ready(LuaCallResult(at: at, count: count))
        case .failed(let e): return .failed(Lua.scriptError(mc, g, e))
        }
    }
}

/// A value that can cross to and from a Swift `async` host function.
public enum LuaSendableValue: Sendable, Equatable {
    case `nil`
    case boolean(Bool)
    case integer(Int64)
    case number(Double)
    case string([UInt8])

    /// The value as text if it is a string.
    public var stringValue: String? {
        if case .string(let b) = self { return String(decoding: b, as: UTF8.self) }
        return nil
    }
}

extension LuaCallContext {
    /// Suspends the running Lua thread while `operation` runs (with the arena idle), then
    /// returns its values to Lua. Only calls run with `Lua.callAsync(_:_:limits:)` can await.
    public func awaitAsync(_ operation: @escaping @Sendable () async throws -> [LuaSendableValue]) -> LuaCallOutcome {
        let slot = AsyncSlot<[LuaSendableValue], any Error>()
        g.pointee.services.asyncRequest = slot.request(operation)
        return .suspend(then: { ctx, _ in
            switch slot.take() {
            case .success(let values)?:
                for v in values { try ctx.push(try ctx.value(v)) }
                return .results(values.count)
            case .failure(let e)?:
                throw asLuaError(e)
            case nil:
                throw LuaError.runtime("async operation was not performed (use Lua.callAsync)")
            }
        })
    }

    /// Converts a sendable value into the VM.
    public func value(_ v: LuaSendableValue) throws -> LuaValue {
        switch v {
        case .nil: return .nil
        case .boolean(let b): return LuaValue(b)
        case .integer(let i): return LuaValue(i)
        case .number(let d): return LuaValue(d)
        case .string(let bytes): return try string(bytes)
        }
    }

    /// Argument `n` as a sendable value (tables, functions and other objects cannot cross).
    public func sendableArgument(_ n: Int) throws -> LuaSendableValue {
        let v = argument(n)
        switch v.tag {
        case .nil: return .nil
        case .false: return .boolean(false)
        case .true: return .boolean(true)
        case .integer: return .integer(v.integer)
        case .float: return .number(v.float)
        case .string: return .string(Array(v.string.bytes))
        default: throw argumentError(n, "\(v.tag.typeName) cannot be passed to an async function")
        }
    }
}
