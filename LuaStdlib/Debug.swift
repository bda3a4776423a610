#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GCArena
import LuaCore

// The debug library (PUC's ldblib.c), with PUC's argument checks and results. Frame
// introspection comes from LuaCore's debug interface (CallContext+Debug.swift); hooks are
// calls the VM makes as frames (Debug+Hooks.swift in LuaCore).

/// The `debug` library (Lua 5.4 manual §6.10).
public enum DebugLibrary {
    /// Opens `debug` as a global (and, once the package library is opened, as `require "debug"`).
    ///
    /// - Parameters:
    ///   - lua: the state to open the library in.
    ///   - safe: open only the sandbox's subset: `traceback`, and a `getinfo` that describes
    ///     calls and functions but never returns a function it was not given (no `func` field
    ///     for stack levels), so a script reaches no caller's function, local, upvalue,
    ///     metatable or the registry (see the Environments article).
    public static func open(_ lua: Lua, safe: Bool) {
        if safe {
            _ = try? lua.registerLibrary("debug", [
                ("getinfo", { ctx in try getinfo(&ctx, safe: true) }),
                ("traceback", traceback),
            ])
        } else {
            _ = try? lua.registerLibrary("debug", functions + hookFunctions)
        }
    }

    static var functions: [(String, LuaHostBody)] { [
        ("debug", debugLoop),
        ("getinfo", { ctx in try getinfo(&ctx, safe: false) }),
        ("getlocal", getlocal),
        ("getmetatable", getmetatable),
        ("getregistry", { ctx in
            try ctx.push(LuaValue(ctx.registry))
            return .results(1)
        }),
        ("getupvalue", getupvalue),
        ("getuservalue", getuservalue),
        ("setcstacklimit", { ctx in
            _ = try ctx.checkInteger(1)
            try ctx.push(LuaValue(Int64(200)))  // PUC 5.4.6 returns LUAI_MAXCCALLS
            return .results(1)
        }),
        ("setlocal", setlocal),
        ("setmetatable", setmetatable),
        ("setupvalue", setupvalue),
        ("setuservalue", setuservalue),
        ("traceback", traceback),
        ("upvalueid", upvalueid),
        ("upvaluejoin", upvaluejoin),
    ] }

    /// The thread named by an optional first argument, and how many arguments it took.
    static func thread(_ ctx: inout LuaCallContext) -> (Gc<LuaThread>, Int) {
        let first = ctx.argument(1)
        if first.tag == .thread { return (first.object.unsafeCast(to: LuaThread.self), 1) }
        return (ctx.runningThread, 0)
    }

    static func isFunction(_ v: LuaValue) -> Bool { v.tag == .luaFunction || v.tag == .hostFunction }

    static func int(_ v: Int64) -> Int { Int(truncatingIfNeeded: Int32(truncatingIfNeeded: v)) }

    // MARK: getinfo

    static func getinfo(_ ctx: inout LuaCallContext, safe: Bool) throws -> LuaCallOutcome {
        let (L1, arg) = thread(&ctx)
        let options = try ctx.optBytes(arg + 2, Array("flnSrtu".utf8))
        if options.first == UInt8(ascii: ">") { throw ctx.argumentError(arg + 2, "invalid option '>'") }
        let target = ctx.argument(arg + 1)
        let info: LuaDebugInfo
        if isFunction(target) {
            guard LuaCallContext.validDebugOptions(options) else { throw ctx.argumentError(arg + 2, "invalid option") }
            info = ctx.debugInfo(function: target, options: options)
        } else {
            let level = try ctx.checkInteger(arg + 1)
            guard let found = ctx.stackLevel(int(level), in: L1) else {
                try ctx.push(.nil)
                return .results(1)
            }
            guard LuaCallContext.validDebugOptions(options) else { throw ctx.argumentError(arg + 2, "invalid option") }
            var visible = options
            if safe { visible.removeAll { $0 == UInt8(ascii: "f") } }
            info = ctx.debugInfo(found, options: visible)
        }
        let t = try ctx.newTable(hashCapacity: 16)
        func set(_ key: String, _ value: LuaValue) throws {
            try ctx.rawSet(t, try ctx.string(key), value)
        }
        func has(_ c: Character) -> Bool { options.contains(c.asciiValue ?? 0) }
        if has("S") {
            try set("source", try ctx.string(info.source))
            try set("short_src", try ctx.string(info.shortSource))
            try set("linedefined", LuaValue(Int64(info.lineDefined)))
            try set("lastlinedefined", LuaValue(Int64(info.lastLineDefined)))
            try set("what", try ctx.string(info.what))
        }
        if has("l") { try set("currentline", LuaValue(Int64(info.currentLine))) }
        if has("u") {
            try set("nups", LuaValue(Int64(info.upvalueCount)))
            try set("nparams", LuaValue(Int64(info.parameterCount)))
            try set("isvararg", LuaValue(info.isVararg))
        }
        if has("n") {
            if let name = info.name { try set("name", try ctx.string(name)) }
            try set("namewhat", try ctx.string(info.nameWhat))
        }
        if has("r") {
            try set("ftransfer", LuaValue(Int64(info.firstTransfer)))
            try set("ntransfer", LuaValue(Int64(info.transferCount)))
        }
        if has("t") { try set("istailcall", LuaValue(info.isTailCall)) }
        if has("L"), let lines = info.activeLines {
            let active = try ctx.newTable(hashCapacity: lines.count)
            for line in lines { try ctx.rawSet(active, LuaValue(Int64(line)), .true) }
            try set("activelines", LuaValue(active))
        }
        if has("f") && !info.function.isNil { try set("func", info.function) }
        try ctx.push(LuaValue(t))
        return .results(1)
    }

    // MARK: Locals and upvalues

    static func getlocal(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let (L1, arg) = thread(&ctx)
        let n = int(try ctx.checkInteger(arg + 2))
        let target = ctx.argument(arg + 1)
        if isFunction(target) {
            try ctx.push(try ctx.parameterName(target, n).map { try ctx.string($0) } ?? .nil)
            return .results(1)
        }
        let level = int(try ctx.checkInteger(arg + 1))
        guard let found = ctx.stackLevel(level, in: L1) else { throw ctx.argumentError(arg + 1, "level out of range") }
        guard let (name, value) = ctx.local(found, n) else {
            try ctx.push(.nil)
            return .results(1)
        }
        try ctx.push(try ctx.string(name))
        try ctx.push(value)
        return .results(2)
    }

    static func setlocal(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let (L1, arg) = thread(&ctx)
        let level = int(try ctx.checkInteger(arg + 1))
        let n = int(try ctx.checkInteger(arg + 2))
        guard let found = ctx.stackLevel(level, in: L1) else { throw ctx.argumentError(arg + 1, "level out of range") }
        let value = try ctx.checkAny(arg + 3)
        try ctx.push(try ctx.setLocal(found, n, value).map { try ctx.string($0) } ?? .nil)
        return .results(1)
    }

    static func checkFunction(_ ctx: inout LuaCallContext, _ n: Int) throws -> LuaValue {
        let v = ctx.argument(n)
        guard isFunction(v) else { throw ctx.typeError(n, expected: "function") }
        return v
    }

    static func getupvalue(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let n = int(try ctx.checkInteger(2))
        let f = try checkFunction(&ctx, 1)
        guard let (name, value) = ctx.upvalue(of: f, n) else { return .results(0) }
        try ctx.push(try ctx.string(name))
        try ctx.push(value)
        return .results(2)
    }

    static func setupvalue(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let value = try ctx.checkAny(3)
        let n = int(try ctx.checkInteger(2))
        let f = try checkFunction(&ctx, 1)
        guard let name = ctx.setUpvalue(of: f, n, value) else { return .results(0) }
        try ctx.push(try ctx.string(name))
        return .results(1)
    }

    /// checkupval: the function at `fn` and the upvalue index at `nArg`, which must exist
    /// when `mustExist`.
    static func checkUpvalue(_ ctx: inout LuaCallContext, _ fn: Int, _ nArg: Int, mustExist: Bool) throws -> (LuaValue, Int, LuaValue?) {
        let n = int(try ctx.checkInteger(nArg))
        let f = try checkFunction(&ctx, fn)
        let id = ctx.upvalueIdentity(of: f, n)
        if mustExist && id == nil { throw ctx.argumentError(nArg, "invalid upvalue index") }
        return (f, n, id)
    }

    static func upvalueid(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let (_, _, id) = try checkUpvalue(&ctx, 1, 2, mustExist: false)
        try ctx.push(id ?? .nil)
        return .results(1)
    }

    static func upvaluejoin(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let (f1, n1, _) = try checkUpvalue(&ctx, 1, 2, mustExist: true)
        let (f2, n2, _) = try checkUpvalue(&ctx, 3, 4, mustExist: true)
        if f1.tag != .luaFunction { throw ctx.argumentError(1, "Lua function expected") }
        if f2.tag != .luaFunction { throw ctx.argumentError(3, "Lua function expected") }
        ctx.joinUpvalues(f1, n1, f2, n2)
        return .results(0)
    }

    // MARK: Metatables, user values

    static func getmetatable(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let v = try ctx.checkAny(1)
        try ctx.push(ctx.metatable(of: v).map { LuaValue($0) } ?? .nil)
        return .results(1)
    }

    static func setmetatable(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let mtValue = ctx.argument(2)
        guard ctx.argumentCount >= 2, mtValue.isNil || mtValue.tag == .table else {
            throw ctx.typeError(2, expected: "nil or table")
        }
        let v = ctx.argument(1)
        let mt: Gc<LuaTable>? = mtValue.isNil ? nil : mtValue.table
        ctx.setAnyMetatable(v, mt)
        if let mt, v.tag == .table || v.tag == .userdata {
            if !ctx.rawGet(mt, ctx.name(.gc)).isNil { ctx.registerFinalizer(v) }
            let mode = ctx.rawGet(mt, ctx.name(.mode))
            if v.tag == .table && mode.tag == .string {
                let bytes = mode.string.bytes
                let keys = bytes.contains(0x6B), values = bytes.contains(0x76)
                if keys || values {
                    v.table.setWeakMode(ctx.mc, keys: keys, values: values)
                    ctx.registerWeakTable(v.table)
                }
            }
        }
        try ctx.setTop(1)
        return .results(1)
    }

    static func getuservalue(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let n = int(try ctx.optInteger(2, 1))
        guard let found = ctx.userValue(ctx.argument(1), n), let value = found else {
            try ctx.push(.nil)
            return .results(1)
        }
        try ctx.push(value)
        try ctx.push(.true)
        return .results(2)
    }

    static func setuservalue(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let n = int(try ctx.optInteger(3, 1))
        let u = ctx.argument(1)
        guard u.tag == .userdata else { throw ctx.typeError(1, expected: "userdata") }
        let value = try ctx.checkAny(2)
        guard ctx.setUserValue(u, n, value) else {
            try ctx.push(.nil)
            return .results(1)
        }
        try ctx.setTop(1)
        return .results(1)
    }

    // MARK: traceback, debug

    static func traceback(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let (L1, arg) = thread(&ctx)
        let message = ctx.argument(arg + 1)
        if !message.isNil && message.tag != .string && !message.isNumber {
            try ctx.push(message)
            return .results(1)
        }
        let level = int(try ctx.optInteger(arg + 2, L1 == ctx.runningThread ? 1 : 0))
        let text = ctx.traceback(of: L1, message: nil, level: level)
        var bytes: [UInt8] = []
        if !message.isNil { bytes = ctx.basicToString(message) + [0x0A] }
        try ctx.push(try ctx.string(bytes + Array(text.utf8)))
        return .results(1)
    }

    /// debug.debug: runs each line read from stdin until "cont" or end of file.
    static func debugLoop(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        while true {
            fputs("lua_debug> ", stderr)
            guard let line = readLine(strippingNewline: false), line != "cont\n" else { return .results(0) }
            switch try ctx.load(Array(line.utf8), chunkName: "=(debug command)", env: nil) {
            case .failure(let e):
                fputs(String(decoding: try e.valueOrMessage(&ctx).stringBytes(ctx), as: UTF8.self) + "\n", stderr)
            case .success(let f):
                try ctx.setTop(0)
                try ctx.push(f)
                return .call(arguments: 0, then: { ctx, status in
                    if case .failed(let e) = status {
                        fputs(String(decoding: try e.valueOrMessage(&ctx).stringBytes(ctx), as: UTF8.self) + "\n", stderr)
                    }
                    try ctx.setTop(0)
                    return try debugLoop(&ctx)
                }, protected: true)
            }
        }
    }
}

extension LuaValue {
    /// The value as `luaL_tolstring` writes it without metamethods.
    func stringBytes(_ ctx: LuaCallContext) -> [UInt8] { ctx.basicToString(self) }
}
