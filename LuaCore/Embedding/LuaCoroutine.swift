import GCArena

// SAFETY: thread handles are fetched from the dynamic root inside each `mutate`.

/// What a coroutine did when the host resumed it.
public enum LuaResumeResult: Equatable {
    /// It yielded these values (`coroutine.yield(...)`); resume it again to continue.
    case yielded([LuaHostValue])
    /// Its body returned these values; it is dead now.
    case returned([LuaHostValue])
}

/// A coroutine driven from the host (mlua's `Thread`): create it from a function, resume it
/// with values, see what it yields and its status.
///
/// ```swift
/// let co = try lua.createCoroutine(try lua.globals.get("producer", as: LuaFunction.self))
/// while case .yielded(let values) = try co.resume() { print(values) }
/// ```
///
/// A resume runs like ``Lua/call(_:_:limits:)`` (and takes limits); an error inside the
/// coroutine kills it and is thrown.
public struct LuaCoroutine: Equatable {
    /// The underlying reference (a Lua `thread` value).
    public let reference: LuaReference

    /// The coroutine as a host value.
    public var value: LuaHostValue { .object(reference) }

    /// `coroutine.status`: suspended (also before the first resume), running, normal or dead.
    public var status: LuaThreadStatus {
        guard let lua = reference.owner else { return .dead }
        return (try? lua.access { (mc, _) throws(LuaError) in
            reference.value(mc).object.unsafeCast(to: LuaThread.self).value.status
        }) ?? .dead
    }

    /// Resumes the coroutine with `arguments`.
    public func resume(_ arguments: [LuaHostValue] = [], limits: LuaLimits = LuaLimits()) throws(LuaScriptError) -> LuaResumeResult {
        let lua = try reference.state()
        let resumer = try lua.access { (mc, g) throws(LuaError) -> LuaHostValue in
            let f = try mc.allocateHostFunction(name: "resume", upvalues: [reference.value(mc)], body: LuaCoroutine.resumeBody)
            return LuaValue(tag: .hostFunction, object: f.erased).hostValue(mc, g)
        }
        let results = try lua.call(resumer, arguments, limits: limits)
        guard case .boolean(let yielded)? = results.first else { return .returned([]) }
        let values = Array(results.dropFirst())
        return yielded ? .yielded(values) : .returned(values)
    }

    /// Resumes with any convertible Swift values.
    public func resume<each A: LuaHostConvertible>(_ arguments: repeat each A) throws(LuaScriptError) -> LuaResumeResult {
        let lua = try reference.state()
        return try resume(try lua.hostArguments(repeat each arguments))
    }

    /// Hands the arguments to the coroutine (upvalue 1) and returns `yielded?, values...`.
    static func resumeBody(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        guard let co = ctx.upvalue(1).threadObject else { throw LuaError.plain("not a coroutine") }
        return .resume(thread: co, arguments: ctx.argumentCount, then: { ctx, status in
            switch status {
            case .returned(let n), .yielded(let n):
                var yielded = false
                if case .yielded = status { yielded = true }
                try ctx.insert(LuaValue(yielded), at: ctx.top - n + 1)
                return .results(n + 1)
            case .failed(let e):
                throw e
            }
        })
    }
}

extension Mutation {
    /// Allocates a host function object.
    func allocateHostFunction(name: String, upvalues: [LuaValue], body: @escaping LuaHostBody) throws(LuaError) -> Gc<LuaHostFunction> {
        do { return try allocate(LuaHostFunction(name: name, upvalues: upvalues, body: body)) } catch { throw .outOfMemory(self) }
    }
}

extension Lua {
    /// Creates a coroutine (a Lua thread) whose body is `function`, ready for its first resume.
    public func createCoroutine(_ function: LuaFunction) throws(LuaScriptError) -> LuaCoroutine {
        try access { (mc, g) throws(LuaError) in
            let body = try self.vmValue(function.value, mc, g)
            let co: Gc<LuaThread>
            do {
                co = try LuaThread.allocate(mc, isMain: false, body: body, stackLimit: g.pointee.mainThread.value.stackLimit)
            } catch { throw .outOfMemory(mc) }
            return LuaCoroutine(reference: LuaValue(tag: .thread, object: co.erased).reference(mc, g))
        }
    }
}

extension LuaHostValue {
    /// The value as a coroutine handle, or nil.
    public var coroutine: LuaCoroutine? {
        if case .object(let r) = self, r.tag == .thread { return LuaCoroutine(reference: r) }
        return nil
    }
}
