#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GCArena
import LuaCore

// dofile and loadfile (PUC's lbaselib.c over luaL_loadfilex): read a file (or stdin), skip
// a BOM and a '#' first line, and load it as text or binary. dofile runs the chunk with a
// `.call`, never on the Swift stack.

/// `dofile` and `loadfile`: chunks from disk (full environment only).
public enum ChunkFiles {
    /// Registers the globals `dofile` and `loadfile`.
    public static func open(_ lua: Lua) {
        _ = try? lua.register("dofile", dofile)  // a new state has no memory limit yet
        _ = try? lua.register("loadfile", loadfile)
    }

    /// The bytes of `path` (stdin when nil), or luaL_loadfilex's "cannot open/read name: reason".
    static func readChunk(_ path: String?) -> Result<[UInt8], PackageLibrary.NotFound> {
        let display = path ?? "stdin"
        errno = 0
        guard let stream = path == nil ? stdin : fopen(path!, "r") else {
            return .failure(.init(message: "cannot open \(display): \(String(cString: strerror(errno)))"))
        }
        defer { if path != nil { fclose(stream) } }
        clearerr(stream)
        let bytes = IOLibrary.readCount(stream, Int.max)
        if ferror(stream) != 0 {
            return .failure(.init(message: "cannot read \(display): \(String(cString: strerror(errno)))"))
        }
        return .success(bytes)
    }

    /// Loads a file as a function, or the error message.
    static func loadFile(_ ctx: inout LuaCallContext, _ path: String?, mode: [UInt8], env: LuaValue?) throws -> Result<LuaValue, PackageLibrary.NotFound> {
        let bytes: [UInt8]
        switch readChunk(path) {
        case .failure(let e): return .failure(e)
        case .success(let b): bytes = b
        }
        let chunkName = path.map { "@" + $0 } ?? "=stdin"
        // Skip a BOM and '#' line first to see whether the chunk is binary, as luaL_loadfilex does.
        var start = 0
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { start = 3 }
        var source = bytes
        if start < bytes.count && bytes[start] == UInt8(ascii: "#") {
            var i = start
            while i < bytes.count && bytes[i] != 0x0A { i += 1 }
            if i + 1 < bytes.count && bytes[i + 1] == 0x1B { source = Array(bytes[(i + 1)...]) }
        } else if start < bytes.count && bytes[start] == 0x1B {
            source = Array(bytes[start...])
        }
        let outcome = try BaseLibrary.finishLoad(&ctx, source, name: chunkName, mode: mode, env: env, skipFileHeader: true)
        guard case .results(let n) = outcome else { return .failure(.init(message: "?")) }
        let first = ctx[ctx.top - n + 1]
        if n == 1 {
            try ctx.setTop(ctx.top - 1)
            return .success(first)
        }
        let message = ctx[ctx.top - n + 2]
        try ctx.setTop(ctx.top - n)
        return .failure(.init(message: message.tag == .string ? message.string.stringValue : "?"))
    }

    static func dofile(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let path = ctx.argument(1).isNil ? nil : try ctx.checkString(1).stringValue
        try ctx.setTop(0)
        switch try loadFile(&ctx, path, mode: Array("bt".utf8), env: nil) {
        case .failure(let e):
            throw LuaError.plain(e.message)
        case .success(let f):
            try ctx.push(f)
            // PUC's dofile continues with lua_callk: a chunk may yield.
            return .call(arguments: 0, then: { _, status in
                guard case .returned(let n) = status else { return .results(0) }
                return .results(n)
            }, protected: false, yieldable: true)
        }
    }

    static func loadfile(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let path = ctx.argument(1).isNil ? nil : try ctx.checkString(1).stringValue
        let mode = try ctx.optBytes(2, Array("bt".utf8))
        let env: LuaValue? = ctx.argumentCount >= 3 ? ctx.argument(3) : nil
        switch try loadFile(&ctx, path, mode: mode, env: env) {
        case .success(let f):
            try ctx.push(f)
            return .results(1)
        case .failure(let e):
            try ctx.push(.nil)
            try ctx.push(try ctx.string(e.message))
            return .results(2)
        }
    }
}
