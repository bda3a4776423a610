#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GCArena
import LuaCore

// The package library (PUC's loadlib.c) without C modules: `require` with package.loaded,
// package.preload and package.searchers (the preload searcher and the Lua-file searcher),
// package.path from LUA_PATH_5_4 / LUA_PATH with ";;" expansion, package.searchpath and
// package.config. Without C modules, by design, as a PUC build without dynamic libraries:
// package.cpath exists (LUA_CPATH_5_4 / LUA_CPATH or PUC's default), the C and C-root
// searchers look the module up on it and fail to load what they find, and package.loadlib
// always fails with "absent".
//
// `require` never calls a searcher or a loader on the Swift stack: each is a `.call` whose
// continuation goes on with the next searcher or stores the module in package.loaded.

/// The `package` library and `require`.
public enum PackageLibrary {
    /// PUC's default LUA_PATH_DEFAULT for Linux.
    public static let defaultPath =
        "/usr/local/share/lua/5.4/?.lua;/usr/local/share/lua/5.4/?/init.lua;" +
        "/usr/local/lib/lua/5.4/?.lua;/usr/local/lib/lua/5.4/?/init.lua;./?.lua;./?/init.lua"

    /// PUC's default LUA_CPATH_DEFAULT for Linux (package.cpath; nothing is ever loaded from it).
    public static let defaultCPath =
        "/usr/local/lib/lua/5.4/?.so;/usr/local/lib/lua/5.4/loadall.so;./?.so"

    static let loadlibMessage = "dynamic libraries not enabled; check your Lua installation"

    /// Opens `package` and `require`. When `safe`, modules come only from package.preload
    /// (no file searcher, no package.searchpath); otherwise from Lua files on package.path too.
    /// `ignoreEnvironment` (moonlet's -E) skips LUA_PATH_5_4/LUA_PATH.
    public static func open(_ lua: Lua, safe: Bool, ignoreEnvironment: Bool = false) {
        _ = try? lua.callHost("package") { ctx in
            let package = try ctx.newTable()
            let packageValue = LuaValue(package)
            let loaded = try LibrarySupport.loadedTable(&ctx)
            try ctx.rawSet(package, try ctx.string("loaded"), LuaValue(loaded))
            let preload = try preloadTable(&ctx)
            try ctx.rawSet(package, try ctx.string("preload"), LuaValue(preload))
            try ctx.rawSet(package, try ctx.string("config"), try ctx.string("/\n;\n?\n!\n-\n"))
            try ctx.rawSet(package, try ctx.string("path"), try ctx.string(initialPath(ignoreEnvironment: ignoreEnvironment)))
            try ctx.rawSet(package, try ctx.string("cpath"),
                           try ctx.string(initialPath(ignoreEnvironment: ignoreEnvironment, variables: ("LUA_CPATH_5_4", "LUA_CPATH"),
                                                      defaultPath: defaultCPath)))
            let searchers = try ctx.newTable()
            try ctx.rawSet(searchers, LuaValue(Int64(1)), try ctx.function("searcher_preload", searchPreload))
            if !safe {
                try ctx.rawSet(searchers, LuaValue(Int64(2)),
                               try ctx.function("searcher_Lua", upvalues: [packageValue], searchLua))
                try ctx.rawSet(searchers, LuaValue(Int64(3)),
                               try ctx.function("searcher_C", upvalues: [packageValue], searchC))
                try ctx.rawSet(searchers, LuaValue(Int64(4)),
                               try ctx.function("searcher_Croot", upvalues: [packageValue], searchCRoot))
                try ctx.rawSet(package, try ctx.string("searchpath"), try ctx.function("searchpath", searchPathFunction))
            }
            try ctx.rawSet(package, try ctx.string("searchers"), LuaValue(searchers))
            try ctx.rawSet(package, try ctx.string("loadlib"), try ctx.function("loadlib") { ctx in
                _ = try ctx.checkString(1)
                _ = try ctx.checkString(2)
                try ctx.push(.nil)
                try ctx.push(try ctx.string(loadlibMessage))
                try ctx.push(try ctx.string("absent"))
                return .results(3)
            })
            try ctx.rawSet(ctx.globals, try ctx.string("package"), packageValue)
            try ctx.rawSet(ctx.globals, try ctx.string("require"),
                           try ctx.function("require", upvalues: [packageValue], require))
            try ctx.rawSet(loaded, try ctx.string("package"), packageValue)
            // Libraries opened earlier are modules too (luaL_requiref).
            for name in ["_G", "coroutine", "string", "table", "math", "utf8", "io", "os", "debug"] {
                let key = try ctx.string(name)
                let v = ctx.rawGet(ctx.globals, key)
                if v.tag == .table && ctx.rawGet(loaded, key).isNil { try ctx.rawSet(loaded, key, v) }
            }
            return .results(0)
        }
    }

    static func preloadTable(_ ctx: inout LuaCallContext) throws -> Gc<LuaTable> {
        let key = try ctx.string("_PRELOAD")
        let v = ctx.rawGet(ctx.registry, key)
        if v.tag == .table { return v.table }
        let t = try ctx.newTable()
        try ctx.rawSet(ctx.registry, key, LuaValue(t))
        return t
    }

    /// package.path: LUA_PATH_5_4, else LUA_PATH, else the default; ";;" becomes the default.
    /// (package.cpath the same with the C variables.)
    static func initialPath(ignoreEnvironment: Bool, variables: (String, String) = ("LUA_PATH_5_4", "LUA_PATH"),
                            defaultPath: String = defaultPath) -> String {
        guard !ignoreEnvironment, let raw = getenv(variables.0) ?? getenv(variables.1) else { return defaultPath }
        let path = String(cString: raw)
        let bytes = Array(path.utf8)
        guard let mark = (0..<max(0, bytes.count - 1)).first(where: { bytes[$0] == 0x3B && bytes[$0 + 1] == 0x3B }) else {
            return path
        }
        var result = ""
        if mark > 0 { result += String(decoding: bytes[..<mark], as: UTF8.self) + ";" }
        result += defaultPath
        if mark + 2 < bytes.count { result += ";" + String(decoding: bytes[(mark + 2)...], as: UTF8.self) }
        return result
    }

    // MARK: require

    static func require(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let name = try ctx.checkString(1)
        try ctx.setTop(1)
        let loaded = try LibrarySupport.loadedTable(&ctx)
        let existing = ctx.rawGet(loaded, LuaValue(name))
        if !existing.isFalsy {
            try ctx.push(existing)
            return .results(1)
        }
        return try trySearcher(&ctx, 1, message: [])
    }

    /// Calls package.searchers[i](name); a loader found is called, a string is collected.
    static func trySearcher(_ ctx: inout LuaCallContext, _ i: Int64, message: [UInt8]) throws -> LuaCallOutcome {
        let package = ctx.upvalue(1)
        let searchers = package.tag == .table ? ctx.rawGet(package.table, try ctx.string("searchers")) : .nil
        guard searchers.tag == .table else { throw LuaError.runtime("'package.searchers' must be a table") }
        let searcher = ctx.rawGet(searchers.table, LuaValue(i))
        let name = ctx[1]
        if searcher.isNil {
            throw LuaError.runtime("module '\(name.string.stringValue)' not found:" + String(decoding: message, as: UTF8.self))
        }
        try ctx.push(searcher)
        try ctx.push(name)
        return .call(arguments: 1, then: { ctx, status in
            guard case .returned(let n) = status else { return .results(0) }
            let loader = n >= 1 ? ctx[ctx.top - n + 1] : .nil
            let data = n >= 2 ? ctx[ctx.top - n + 2] : .nil
            try ctx.setTop(1)
            if loader.tag == .luaFunction || loader.tag == .hostFunction {
                try ctx.push(data)          // slot 2: the loader data, returned after the module
                try ctx.push(loader)
                try ctx.push(ctx[1])
                try ctx.push(data)
                return .call(arguments: 2, then: finishRequire, protected: false)
            }
            var message = message
            if loader.tag == .string || loader.isNumber {
                message += Array("\n\t".utf8) + ctx.basicToString(loader)
            }
            return try trySearcher(&ctx, i + 1, message: message)
        }, protected: false)
    }

    static func finishRequire(_ ctx: inout LuaCallContext, _ status: LuaCallStatus) throws -> LuaCallOutcome {
        guard case .returned(let n) = status else { return .results(0) }
        let result = n >= 1 ? ctx[ctx.top - n + 1] : .nil
        try ctx.setTop(2)
        let loaded = try LibrarySupport.loadedTable(&ctx)
        let name = ctx[1]
        if !result.isNil { try ctx.rawSet(loaded, name, result) }
        if ctx.rawGet(loaded, name).isNil { try ctx.rawSet(loaded, name, .true) }
        let module = ctx.rawGet(loaded, name)
        let data = ctx[2]
        try ctx.setTop(0)
        try ctx.push(module)
        try ctx.push(data)
        return .results(2)
    }

    // MARK: Searchers

    static func searchPreload(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let name = try ctx.checkString(1)
        let preload = ctx.rawGet(ctx.registry, try ctx.string("_PRELOAD"))
        guard preload.tag == .table else { throw LuaError.runtime("'package.preload' must be a table") }
        let loader = ctx.rawGet(preload.table, LuaValue(name))
        if loader.isNil {
            try ctx.push(try ctx.string("no field package.preload['\(name.stringValue)']"))
            return .results(1)
        }
        try ctx.push(loader)
        try ctx.push(try ctx.string(":preload:"))
        return .results(2)
    }

    static func searchLua(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let name = try ctx.checkString(1).stringValue
        let package = ctx.upvalue(1)
        let path = package.tag == .table ? ctx.rawGet(package.table, try ctx.string("path")) : .nil
        guard path.tag == .string else { throw LuaError.runtime("'package.path' must be a string") }
        switch searchPath(name, path.string.stringValue, separator: ".", replacement: "/") {
        case .failure(let message):
            try ctx.push(try ctx.string(message.message))
            return .results(1)
        case .success(let filename):
            switch try ChunkFiles.loadFile(&ctx, filename, mode: Array("bt".utf8), env: nil) {
            case .success(let f):
                try ctx.push(f)
                try ctx.push(try ctx.string(filename))
                return .results(2)
            case .failure(let e):
                throw LuaError.runtime("error loading module '\(name)' from file '\(filename)':\n\t\(e.message)")
            }
        }
    }

    /// PUC's searcher_C without dynamic libraries: a module file found on package.cpath
    /// cannot be loaded ("error loading module ..."), a missing one adds its "no file" lines.
    static func searchC(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let name = try ctx.checkString(1).stringValue
        return try searchCPath(&ctx, module: name, file: name)
    }

    /// PUC's searcher_Croot: for "a.b.c", looks for the C library "a" on package.cpath.
    static func searchCRoot(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let name = try ctx.checkString(1).stringValue
        guard let dot = name.utf8.firstIndex(of: UInt8(ascii: ".")) else { return .results(0) }
        return try searchCPath(&ctx, module: name, file: String(name[..<dot]))
    }

    static func searchCPath(_ ctx: inout LuaCallContext, module: String, file: String) throws -> LuaCallOutcome {
        let package = ctx.upvalue(1)
        let cpath = package.tag == .table ? ctx.rawGet(package.table, try ctx.string("cpath")) : .nil
        guard cpath.tag == .string else { throw LuaError.runtime("'package.cpath' must be a string") }
        switch searchPath(file, cpath.string.stringValue, separator: ".", replacement: "/") {
        case .failure(let message):
            try ctx.push(try ctx.string(message.message))
            return .results(1)
        case .success(let filename):
            throw LuaError.runtime("error loading module '\(module)' from file '\(filename)':\n\t\(loadlibMessage)")
        }
    }

    struct NotFound: Error { var message: String }

    /// PUC's searchpath: the first readable file among path's templates, or the "no file" list.
    static func searchPath(_ name: String, _ path: String, separator: String, replacement: String) -> Result<String, NotFound> {
        var name = name
        if !separator.isEmpty { name = name.replacingAll(separator, with: replacement) }
        let substituted = path.replacingAll("?", with: name)
        for template in substituted.split(separator: ";", omittingEmptySubsequences: true) {
            if let f = fopen(String(template), "r") {
                fclose(f)
                return .success(String(template))
            }
        }
        return .failure(NotFound(message: "no file '" + substituted.replacingAll(";", with: "'\n\tno file '") + "'"))
    }

    static func searchPathFunction(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let name = try ctx.checkString(1).stringValue
        let path = try ctx.checkString(2).stringValue
        let separator = String(decoding: try ctx.optBytes(3, Array(".".utf8)), as: UTF8.self)
        let replacement = String(decoding: try ctx.optBytes(4, Array("/".utf8)), as: UTF8.self)
        switch searchPath(name, path, separator: separator, replacement: replacement) {
        case .success(let filename):
            try ctx.push(try ctx.string(filename))
            return .results(1)
        case .failure(let e):
            try ctx.push(.nil)
            try ctx.push(try ctx.string(e.message))
            return .results(2)
        }
    }
}

extension String {
    /// Every occurrence of `target` replaced (plain text, no Foundation).
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        let t = Array(target.utf8)
        let s = Array(self.utf8)
        var out: [UInt8] = []
        var i = 0
        while i < s.count {
            if i + t.count <= s.count && Array(s[i..<i + t.count]) == t {
                out += replacement.utf8
                i += t.count
            } else {
                out.append(s[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
