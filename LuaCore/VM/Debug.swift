import GCArena

// Debug information for messages and tracebacks (PUC's ldebug.c): which variable a
// register came from, the source position of a frame, and the traceback.

// SAFETY: debug queries read frames below `frameCount` and stack slots below the frames' tops,
// all initialized; they run inside a mutation, so no object they reach can be collected.

enum LuaDebug {
    /// `type()`'s name, or the `__name` field of the metatable when it is a string (tables
    /// and full userdata only, as `luaT_objtypename`).
    static func typeName(_ g: UnsafeMutablePointer<LuaGlobalState>, _ v: LuaValue) -> String {
        if v.tag == .table || v.tag == .userdata, let name = metatableName(g, v) { return name }
        return v.tag.typeName
    }

    /// The `__name` field of a value's metatable when it is a string (`luaL_getmetafield`).
    static func metatableName(_ g: UnsafeMutablePointer<LuaGlobalState>, _ v: LuaValue) -> String? {
        guard let mt = LuaMeta.metatable(g, v) else { return nil }
        let name = mt.get(shortString: g.pointee.metamethodNames[LuaMetamethod.name.rawValue])
        return name.tag == .string ? name.string.stringValue : nil
    }

    /// How `tostring` writes a number.
    static func numberText(_ v: LuaValue) -> [UInt8] { LuaArith.tostringNumber(v) ?? [] }

    static func proto(_ L: Gc<LuaThread>, _ frame: UnsafeMutablePointer<CallFrame>) -> Gc<LuaProto> {
        let th = L.unsafeMutablePointer
        return th.pointee.stack[Int(frame.pointee.function)].object.unsafeCast(to: LuaClosure.self).value.proto
    }

    /// The source line a Lua frame is at (its last executed instruction).
    static func currentLine(_ L: Gc<LuaThread>, _ frame: UnsafeMutablePointer<CallFrame>) -> Int {
        let p = proto(L, frame).value
        let pc = max(0, Int(frame.pointee.pc) - 1)
        let lines = p.debug.lineInfo
        return pc < lines.count ? Int(lines[pc]) : -1
    }

    static func shortSource(_ p: LuaProto) -> String {
        String(decoding: LuaChunkID.display(p.debug.source), as: UTF8.self)
    }

    /// "chunk:line:" for the frame at `frameIndex` if it runs Lua, else "".
    static func location(_ g: UnsafeMutablePointer<LuaGlobalState>, _ L: Gc<LuaThread>, frameIndex: Int) -> String {
        let th = L.unsafeMutablePointer
        guard frameIndex >= 0 && frameIndex < th.pointee.frameCount else { return "" }
        let frame = th.pointee.frames + frameIndex
        guard frame.pointee.isLua else { return "" }
        return "\(shortSource(proto(L, frame).value)):\(currentLine(L, frame)):"
    }

    // MARK: Variable names (getobjname)

    /// Whether an opcode writes register A (PUC's testAMode).
    static func setsA(_ op: LuaOpcode) -> Bool {
        switch op {
        case .setUpval, .setTabUp, .setTable, .setI, .setField, .mmBin, .mmBinI, .mmBinK, .close, .tbc,
             .jmp, .eq, .lt, .le, .eqK, .eqI, .ltI, .leI, .gtI, .geI, .test, .return, .return0,
             .return1, .setList, .extraArg, .tForPrep, .tForCall:
            return false
        default:
            return true
        }
    }

    static func opcode(_ i: UInt32) -> LuaOpcode { LuaOpcode(rawValue: UInt8(i & 0x7F)) ?? .extraArg }

    /// The last instruction before `lastpc` that set `reg` unconditionally (findsetreg).
    static func findSetRegister(_ p: LuaProto, lastpc: Int, reg: Int) -> Int? {
        var lastpc = lastpc
        if lastpc < p.codeCount {
            let op = opcode(p.code[lastpc])
            if op == .mmBin || op == .mmBinI || op == .mmBinK { lastpc -= 1 }
        }
        var setreg: Int? = nil
        var jumpTarget = 0
        for pc in 0..<max(0, lastpc) {
            let i = p.code[pc]
            let op = opcode(i)
            let a = argA(i)
            let change: Bool
            switch op {
            case .loadNil: change = a <= reg && reg <= a + argB(i)
            case .tForCall: change = reg >= a + 2
            case .call, .tailCall: change = reg >= a
            case .jmp:
                let dest = pc + 1 + argSJ(i)
                if dest <= lastpc && dest > jumpTarget { jumpTarget = dest }
                change = false
            default: change = setsA(op) && reg == a
            }
            if change { setreg = pc < jumpTarget ? nil : pc }
        }
        return setreg
    }

    static func localName(_ p: LuaProto, register: Int, pc: Int) -> String? {
        var n = register + 1
        for v in p.debug.localVariables {
            if Int(v.startPC) > pc { break }
            if pc < Int(v.endPC) {
                n -= 1
                if n == 0 { return String(decoding: v.name, as: UTF8.self) }
            }
        }
        return nil
    }

    static func upvalueName(_ p: LuaProto, _ index: Int) -> String {
        index < p.debug.upvalues.count && !p.debug.upvalues[index].name.isEmpty
            ? String(decoding: p.debug.upvalues[index].name, as: UTF8.self) : "?"
    }

    static func constantName(_ p: LuaProto, _ k: Int) -> String {
        let v = p.constants[k]
        return v.tag == .string ? v.string.stringValue : "?"
    }

    /// ("global", "x"), ("local", "t"), ("field", "y"), ... for a register at `lastpc`.
    static func objectName(_ p: LuaProto, lastpc: Int, reg: Int) -> (kind: String, name: String)? {
        if let name = localName(p, register: reg, pc: lastpc) { return ("local", name) }
        guard let pc = findSetRegister(p, lastpc: lastpc, reg: reg) else { return nil }
        let i = p.code[pc]
        switch opcode(i) {
        case .move:
            let b = argB(i)
            if b < argA(i) { return objectName(p, lastpc: pc, reg: b) }
        case .getTabUp:
            let table = upvalueName(p, argB(i))
            return (table == "_ENV" ? "global" : "field", constantName(p, argC(i)))
        case .getTable:
            let key = objectName(p, lastpc: pc, reg: argC(i))
            let name = key?.kind == "constant" ? key!.name : "?"
            return (isEnvironment(p, pc, argB(i)) ? "global" : "field", name)
        case .getI:
            return ("field", "integer index")
        case .getField:
            return (isEnvironment(p, pc, argB(i)) ? "global" : "field", constantName(p, argC(i)))
        case .getUpval:
            return ("upvalue", upvalueName(p, argB(i)))
        case .loadK, .loadKX:
            let v = p.constants[opcode(i) == .loadK ? argBx(i) : argAx(p.code[pc + 1])]
            if v.tag == .string { return ("constant", v.string.stringValue) }
        case .self:
            let found = argK(i) ? nil : objectName(p, lastpc: pc, reg: argC(i))
            let key = argK(i) ? constantName(p, argC(i)) : (found?.kind == "constant" ? found!.name : "?")
            return ("method", key)
        default:
            break
        }
        return nil
    }

    static func isEnvironment(_ p: LuaProto, _ pc: Int, _ reg: Int) -> Bool {
        objectName(p, lastpc: pc, reg: reg)?.name == "_ENV"
    }

    static func describe(_ found: (kind: String, name: String)?) -> String {
        guard let found else { return "" }
        return " (\(found.kind) '\(found.name)')"
    }

    /// Variable info for the function slot of a failed call in the running Lua frame.
    static func callVariableInfo(_ g: UnsafeMutablePointer<LuaGlobalState>, _ L: Gc<LuaThread>, functionSlot: Int) -> String {
        let th = L.unsafeMutablePointer
        guard th.pointee.frameCount > 0 else { return "" }
        let frame = th.currentFrame
        guard frame.pointee.isLua else { return "" }
        let reg = functionSlot - Int(frame.pointee.base)
        guard reg >= 0 else { return "" }
        let p = proto(L, frame).value
        let pc = Int(frame.pointee.pc) - 1
        if pc >= 0 && pc < p.codeCount && opcode(p.code[pc]) == .tForCall { return " (for iterator 'for iterator')" }
        return describe(objectName(p, lastpc: pc, reg: reg))
    }

    /// Variable info for the object a GET*/SET*/SELF instruction failed to index.
    static func indexedVariableInfo(_ g: UnsafeMutablePointer<LuaGlobalState>, _ L: Gc<LuaThread>,
                                    _ frame: UnsafeMutablePointer<CallFrame>) -> String {
        let p = proto(L, frame).value
        let pc = Int(frame.pointee.pc) - 1
        let i = p.code[pc]
        switch opcode(i) {
        case .getTabUp:
            return " (upvalue '\(upvalueName(p, argB(i)))')"
        case .setTabUp:
            return " (upvalue '\(upvalueName(p, argA(i)))')"
        case .getTable, .getI, .getField, .self:
            return describe(objectName(p, lastpc: pc, reg: argB(i)))
        case .setTable, .setI, .setField:
            return describe(objectName(p, lastpc: pc, reg: argA(i)))
        default:
            return ""
        }
    }

    /// Variable info for a bad operand of the instruction the frame is executing.
    static func operandInfo(_ g: UnsafeMutablePointer<LuaGlobalState>, _ L: Gc<LuaThread>,
                            _ frame: UnsafeMutablePointer<CallFrame>, _ bad: LuaValue) -> String {
        let p = proto(L, frame).value
        var pc = Int(frame.pointee.pc) - 1
        var i = p.code[pc]
        var op = opcode(i)
        if op == .mmBin || op == .mmBinI || op == .mmBinK {
            pc -= 1
            i = p.code[pc]
            op = opcode(i)
        }
        let base = Int(frame.pointee.base)
        let th = L.unsafeMutablePointer
        var candidates: [Int] = []
        switch op {
        case .concat:
            candidates = Array(argA(i)..<(argA(i) + argB(i)))
        case .unm, .bnot, .len, .addI, .shrI, .shlI, .addK, .subK, .mulK, .modK, .powK, .divK, .idivK,
             .bandK, .borK, .bxorK:
            candidates = [argB(i)]
        default:
            candidates = [argB(i), argC(i)]
        }
        for reg in candidates where LuaValue.rawIdentical(th.pointee.stack[base + reg], bad) {
            return describe(objectName(p, lastpc: pc, reg: reg))
        }
        return ""
    }

    /// The name of the local variable living at stack index `level` in the running frame.
    static func localName(_ g: UnsafeMutablePointer<LuaGlobalState>, _ L: Gc<LuaThread>, stackLevel: Int) -> String? {
        let th = L.unsafeMutablePointer
        let frame = th.currentFrame
        guard frame.pointee.isLua else { return nil }
        return localName(proto(L, frame).value, register: stackLevel - Int(frame.pointee.base), pc: Int(frame.pointee.pc) - 1)
    }
}
