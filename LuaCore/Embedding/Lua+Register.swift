import GCArena

// Typed registration of Swift functions with parameter packs:
//
//     lua.register("add") { (a: Int, b: Int) -> Int in a + b }
//
// Arguments are converted (with "bad argument #n to 'add' (number expected, got nil)"
// errors), the function runs, and its result is converted back.

/// Hands out argument positions 1, 2, 3, ... while a parameter pack is converted.
@usableFromInline
final class ArgumentCursor {
    @usableFromInline var next = 0
    @inlinable init() {}
    @inlinable func advance() -> Int { next += 1; return next }
}

extension Lua {
    /// Registers a Swift function as global `name`, converting arguments and result.
    ///
    /// Inlinable so that the caller's module specializes the conversions for its types
    /// (unspecialized, each call would look up the parameter pack's metadata at run time).
    @inlinable
    public func register<each A: LuaConvertible, R: LuaResultConvertible>(
        _ name: String, _ function: @escaping (repeat each A) throws -> R
    ) throws(LuaScriptError) {
        try register(name) { ctx in
            let cursor = ArgumentCursor()
            let result = try function(repeat try ctx.argument(cursor.advance(), as: (each A).self))
            return .results(try result.pushLuaResults(ctx))
        }
    }

    /// Registers a Swift function that returns nothing as global `name`.
    @inlinable
    public func register<each A: LuaConvertible>(_ name: String, _ function: @escaping (repeat each A) throws -> Void) throws(LuaScriptError) {
        try register(name) { ctx in
            let cursor = ArgumentCursor()
            try function(repeat try ctx.argument(cursor.advance(), as: (each A).self))
            return .results(0)
        }
    }
}

// One to three arguments: Swift does not specialize the generic calls inside a parameter-pack
// expansion, so through the pack each argument's conversion is an unspecialized call through
// the protocol witness. These overloads, which Swift prefers to the pack, inline them (an
// integer argument becomes a tag test and a load).
extension Lua {
    /// Registers a Swift function of one argument as global `name`, converting argument and result.
    @inlinable
    public func register<A: LuaConvertible, R: LuaResultConvertible>(
        _ name: String, _ function: @escaping (A) throws -> R
    ) throws(LuaScriptError) {
        try register(name) { ctx in
            .results(try function(try ctx.argument(1, as: A.self)).pushLuaResults(ctx))
        }
    }

    /// Registers a Swift function of two arguments as global `name`, converting arguments and result.
    @inlinable
    public func register<A: LuaConvertible, B: LuaConvertible, R: LuaResultConvertible>(
        _ name: String, _ function: @escaping (A, B) throws -> R
    ) throws(LuaScriptError) {
        try register(name) { ctx in
            let a = try ctx.argument(1, as: A.self)
            return .results(try function(a, try ctx.argument(2, as: B.self)).pushLuaResults(ctx))
        }
    }

    /// Registers a Swift function of three arguments as global `name`, converting arguments and result.
    @inlinable
    public func register<A: LuaConvertible, B: LuaConvertible, C: LuaConvertible, R: LuaResultConvertible>(
        _ name: String, _ function: @escaping (A, B, C) throws -> R
    ) throws(LuaScriptError) {
        try register(name) { ctx in
            let a = try ctx.argument(1, as: A.self)
            let b = try ctx.argument(2, as: B.self)
            return .results(try function(a, b, try ctx.argument(3, as: C.self)).pushLuaResults(ctx))
        }
    }
}
