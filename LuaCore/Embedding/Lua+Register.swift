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
