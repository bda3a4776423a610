import GCArena

// Frame introspection for the debug library (PUC's lua_getstack, lua_getinfo, lua_getlocal,
// lua_setlocal and luaL_traceback), over Moonlet's frames.
//
// Levels count the frames PUC would have: the VM's own helper frames (the xpcall handler
// runner, the error-time closer, the finalizer runner) are skipped, and the main thread
// has one more level at the bottom standing for the host that called into Lua (lua.c's
// `pmain`, which tracebacks print as "[C]: in ?").

// SAFETY: these functions read frames below `frameCount` and stack slots below the frames'
// tops, all initialized; they run inside a mutation, so nothing they reach is collected.

/// What `debug.getinfo` reports about a function or an active call (PUC's `lua_Debug`).
public struct LuaDebugInfo {
    /// The chunk name (`@file.lua`, `=stdin`, the source text of a string chunk), as bytes.
    public var source: [UInt8] = Array("=[C]".utf8)
    /// The chunk name in a printable form ("file.lua", "[string \"...\"]", "[C]").
    public var shortSource = "[C]"
    public var lineDefined = -1
    public var lastLineDefined = -1
    /// "Lua", "main" or "C".
    public var what = "C"
    /// The line the call is at, or -1 (host functions, functions not running).
    public var currentLine = -1
    public var upvalueCount = 0
    public var parameterCount = 0
    public var isVararg = true
    /// How the caller named the function ("global", "local", "method", "field", "upvalue",
    /// "for iterator", "metamethod", "hook" or "" when unknown) and the name.
    public var nameWhat = ""
    public var name: String? = nil
    public var isTailCall = false
    /// For call and return hooks: the first transferred value's slot and the count.
    public var firstTransfer = 0
    public var transferCount = 0
    /// The function (nil for the host level under the main thread).
    public var function: LuaValue = .nil
    /// Lines with code (nil for host functions).
    public var activeLines: [Int]? = nil

    public init() {}
}

/// An active call found by level (PUC's `lua_getstack` result).
public struct LuaStackLevel {
    public let thread: Gc<LuaThread>
    /// The frame's index in the thread, or -1 for the host level under the main thread.
    let frameIndex: Int
}

extension LuaDebug {
    /// Whether frame `index` is one of the VM's own helper frames, invisible to Lua.
    static func isHidden(_ g: UnsafeMutablePointer<LuaGlobalState>, _ th: UnsafeMutablePointer<LuaThread>, _ index: Int) -> Bool {
        let f = th.pointee.frames + index
        if f.pointee.flags & CallFrame.Flag.interrupt != 0 { return true }
        if f.pointee.isLua { return false }
        let fn = th.pointee.stack[Int(f.pointee.function)]
        guard fn.tag == .hostFunction else { return false }
        if let c = g.pointee.closer, fn.bits == LuaValue(tag: .hostFunction, object: c.erased).bits { return true }
        if let c = g.pointee.threadCloser, fn.bits == LuaValue(tag: .hostFunction, object: c.erased).bits { return true }
        if let h = g.pointee.handlerRunner, fn.bits == LuaValue(tag: .hostFunction, object: h.erased).bits { return true }
        return false
    }

    /// The frame index of every level, level 0 (the innermost) first; -1 is the host level.
    static func levels(_ g: UnsafeMutablePointer<LuaGlobalState>, _ L: Gc<LuaThread>) -> [Int] {
        let th = L.unsafeMutablePointer
        var result: [Int] = []
        var i = th.pointee.frameCount - 1
        while i >= 0 {
            if !isHidden(g, th, i) { result.append(i) }
            i -= 1
        }
        if th.pointee.isMain { result.append(-1) }
        return result
    }

    static func closureProto(_ f: LuaValue) -> LuaProto? {
        f.tag == .luaFunction ? f.object.unsafeCast(to: LuaClosure.self).value.proto.value : nil
    }

    /// Fills the function-only parts of `info` ('S', 'u', 'L', 'f').
    static func describeFunction(_ f: LuaValue, _ options: [UInt8], into info: inout LuaDebugInfo) {
        let p = closureProto(f)
        if options.contains(UInt8(ascii: "S")), let p {
            info.source = p.debug.source
            info.shortSource = String(decoding: LuaChunkID.display(info.source), as: UTF8.self)
            info.lineDefined = Int(p.debug.lineDefined)
            info.lastLineDefined = Int(p.debug.lastLineDefined)
            info.what = p.debug.lineDefined == 0 ? "main" : "Lua"
        }
        if options.contains(UInt8(ascii: "u")) {
            if let p {
                info.upvalueCount = f.object.unsafeCast(to: LuaClosure.self).value.upvalueCount
                info.parameterCount = p.numParams
                info.isVararg = p.isVararg
            } else if f.tag == .hostFunction {
                info.upvalueCount = f.object.unsafeCast(to: LuaHostFunction.self).value.upvalues.count
            }
        }
        if options.contains(UInt8(ascii: "L")), let p {
            var lines = Set<Int>()
            let first = p.isVararg ? 1 : 0
            if first < p.debug.lineInfo.count {
                for pc in first..<p.debug.lineInfo.count { lines.insert(Int(p.debug.lineInfo[pc])) }
            }
            info.activeLines = lines.sorted()
        }
        if options.contains(UInt8(ascii: "f")) { info.function = f }
    }

    /// Whether every option letter is one `getinfo` knows.
    static func validOptions(_ options: [UInt8]) -> Bool {
        options.allSatisfy { "SlutnrLf".utf8.contains($0) }
    }

    /// `lua_getinfo` for a function value (PUC's '>' form: no call, so no name or line).
    static func functionInfo(_ f: LuaValue, options: [UInt8]) -> LuaDebugInfo {
        var info = LuaDebugInfo()
        describeFunction(f, options, into: &info)
        return info
    }

    /// `lua_getinfo` for an active call.
    static func frameInfo(_ g: UnsafeMutablePointer<LuaGlobalState>, _ level: LuaStackLevel, options: [UInt8]) -> LuaDebugInfo {
        var info = LuaDebugInfo()
        let L = level.thread
        let th = L.unsafeMutablePointer
        let index = level.frameIndex
        guard index >= 0 && index < th.pointee.frameCount else { return info }
        let frame = th.pointee.frames + index
        let f = th.pointee.stack[Int(frame.pointee.function)]
        describeFunction(f, options, into: &info)
        if options.contains(UInt8(ascii: "l")) && frame.pointee.isLua {
            info.currentLine = currentLine(L, frame)
        }
        if options.contains(UInt8(ascii: "t")) {
            info.isTailCall = frame.pointee.flags & CallFrame.Flag.tail != 0
        }
        if options.contains(UInt8(ascii: "n")), let (what, name) = functionName(g, L, index) {
            info.nameWhat = what
            info.name = name
        }
        if options.contains(UInt8(ascii: "r")) && th.pointee.hook.transferFrame == index {
            info.firstTransfer = th.pointee.hook.firstTransfer
            info.transferCount = th.pointee.hook.transferCount
        }
        return info
    }

    // MARK: Function names (funcnamefromcall)

    /// How the call at frame `index` was named by its caller (PUC's getfuncname).
    static func functionName(_ g: UnsafeMutablePointer<LuaGlobalState>, _ L: Gc<LuaThread>, _ index: Int) -> (String, String)? {
        let th = L.unsafeMutablePointer
        let frame = th.pointee.frames + index
        if frame.pointee.flags & CallFrame.Flag.tail != 0 { return nil }
        if frame.pointee.flags & CallFrame.Flag.hookCall != 0 { return ("hook", "?") }
        guard index > 0 else { return nil }
        let caller = th.pointee.frames + (index - 1)
        if caller.pointee.flags & CallFrame.Flag.interrupt != 0 { return ("metamethod", "__gc") }
        guard caller.pointee.isLua else { return nil }
        let p = proto(L, caller).value
        let pc = Int(caller.pointee.pc) - 1
        guard pc >= 0 && pc < p.codeCount else { return nil }
        return functionNameFromCode(g, p, pc: pc)
    }

    /// The name an instruction gives the function it calls (PUC's funcnamefromcode).
    static func functionNameFromCode(_ g: UnsafeMutablePointer<LuaGlobalState>, _ p: LuaProto, pc: Int) -> (String, String)? {
        let i = p.code[pc]
        let event: LuaMetamethod
        switch opcode(i) {
        case .call, .tailCall:
            guard let found = objectName(p, lastpc: pc, reg: argA(i)) else { return nil }
            return (found.kind, found.name)
        case .tForCall: return ("for iterator", "for iterator")
        case .self, .getTabUp, .getTable, .getI, .getField: event = .index
        case .setTabUp, .setTable, .setI, .setField: event = .newindex
        case .mmBin, .mmBinI, .mmBinK:
            guard let e = LuaMetamethod(rawValue: argC(i)) else { return nil }
            event = e
        case .unm: event = .unm
        case .bnot: event = .bnot
        case .len: event = .len
        case .concat: event = .concat
        case .eq: event = .eq
        case .lt, .ltI, .gtI: event = .lt
        case .le, .leI, .geI: event = .le
        case .close, .return: event = .close
        default: return nil
        }
        return ("metamethod", String(event.fieldName.dropFirst(2)))
    }

    /// "module.name" for a function stored in `package.loaded` (two levels deep), as
    /// lauxlib's pushglobalfuncname finds it; "_G." is dropped.
    static func loadedName(_ g: UnsafeMutablePointer<LuaGlobalState>, _ mc: borrowing Mutation, _ f: LuaValue) -> String? {
        guard f.tag != .nil, let key = try? g.pointee.strings.intern(mc, "_LOADED") else { return nil }
        let loaded = g.pointee.registry.get(LuaValue(key))
        guard loaded.tag == .table, let name = findField(loaded.table, f, depth: 2) else { return nil }
        return name.hasPrefix("_G.") ? String(name.dropFirst(3)) : name
    }

    static func findField(_ t: Gc<LuaTable>, _ f: LuaValue, depth: Int) -> String? {
        if depth == 0 { return nil }
        var k = LuaValue.nil
        while let (key, v) = try? t.next(after: k) {
            k = key
            guard key.tag == .string else { continue }
            if LuaValue.rawIdentical(v, f) { return key.string.stringValue }
            if v.tag == .table, let inner = findField(v.table, f, depth: depth - 1) {
                return key.string.stringValue + "." + inner
            }
        }
        return nil
    }

    // MARK: Tracebacks (luaL_traceback)

    /// A traceback of thread `L` from `level` on, in luaL_traceback's layout.
    static func traceback(_ g: UnsafeMutablePointer<LuaGlobalState>, _ mc: borrowing Mutation, _ L: Gc<LuaThread>,
                          message: String?, level: Int) -> String {
        let all = levels(g, L)
        let last = all.count - 1
        var out = ""
        if let message { out += message + "\n" }
        out += "stack traceback:"
        var limitToShow = last - level > 21 ? 10 : -1
        var lv = level
        let options = Array("Slnt".utf8)
        while lv >= 0 && lv < all.count {
            let current = lv
            lv += 1
            if limitToShow == 0 {
                limitToShow -= 1
                let n = last - lv - 11 + 1
                out += "\n\t...\t(skipping \(n) levels)"
                lv += n
                continue
            }
            limitToShow -= 1
            let info = frameInfo(g, LuaStackLevel(thread: L, frameIndex: all[current]), options: options)
            out += info.currentLine <= 0 ? "\n\t\(info.shortSource): in " : "\n\t\(info.shortSource):\(info.currentLine): in "
            let fn: LuaValue
            if all[current] >= 0 {
                fn = L.value.stack[Int((L.value.frames + all[current]).pointee.function)]
            } else {
                fn = .nil
            }
            if let global = loadedName(g, mc, fn) {
                out += "function '\(global)'"
            } else if !info.nameWhat.isEmpty {
                out += "\(info.nameWhat) '\(info.name ?? "?")'"
            } else if info.what == "main" {
                out += "main chunk"
            } else if info.what != "C" {
                out += "function <\(info.shortSource):\(info.lineDefined)>"
            } else {
                out += "?"
            }
            if info.isTailCall { out += "\n\t(...tail calls...)" }
        }
        return out
    }

    // MARK: Locals (luaG_findlocal)

    /// Where local `n` of the call at `level` lives, and its name (PUC's luaG_findlocal).
    static func findLocal(_ level: LuaStackLevel, _ n: Int) -> (name: String, slot: Int)? {
        let L = level.thread
        let th = L.unsafeMutablePointer
        let index = level.frameIndex
        guard index >= 0 && index < th.pointee.frameCount else { return nil }
        let frame = th.pointee.frames + index
        // `base`, not `function + 1`: a returning vararg frame has moved `function` down.
        let base = Int(frame.pointee.base)
        var name: String? = nil
        if frame.pointee.isLua {
            let p = proto(L, frame).value
            if n < 0 {
                guard p.isVararg, Int(frame.pointee.pc) > 0 else { return nil }
                let extra = Int(frame.pointee.varargCount)
                guard n >= -extra else { return nil }
                return ("(vararg)", base - 1 - extra - (n + 1))
            }
            name = localName(p, register: n - 1, pc: max(0, Int(frame.pointee.pc) - 1))
        }
        if name == nil {
            let limit = index == th.pointee.frameCount - 1 ? Int(frame.pointee.top)
                : Int((th.pointee.frames + index + 1).pointee.function)
            guard n > 0 && limit - base >= n else { return nil }
            name = frame.pointee.isLua ? "(temporary)" : "(C temporary)"
        }
        return (name!, base + n - 1)
    }
}
