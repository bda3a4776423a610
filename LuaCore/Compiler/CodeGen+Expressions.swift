/// Turning expression descriptors into registers, constants and jumps (lcode.c's
/// discharge/exp2reg family, stores, indexing and conditional jumps).
extension Parser {
    /// The constant value of `e`, if it is a literal or compile-time constant (`luaK_exp2const`).
    mutating func exp2const(_ e: ExpDesc) -> KValue? {
        if e.hasJumps { return nil }
        switch e.k {
        case .false: return .bool(false)
        case .true: return .bool(true)
        case .nil: return .nil
        case .kstr: return .string(Int32(e.info))
        case .const: return actvar[e.info].k
        case .kint: return .int(e.ival)
        case .kflt: return .float(e.nval)
        default: return nil
        }
    }

    /// Turns a compile-time constant's value back into a literal expression (`const2exp`).
    static func const2exp(_ v: KValue, _ e: inout ExpDesc) {
        switch v {
        case .int(let i): e.k = .kint; e.ival = i
        case .float(let d): e.k = .kflt; e.nval = d
        case .bool(let b): e.k = b ? .true : .false
        case .nil: e.k = .nil
        case .string(let id): e.k = .kstr; e.info = Int(id)
        }
    }

    /// Fixes a call or vararg to produce `nresults` values (-1: all) (`luaK_setreturns`).
    mutating func setReturns(_ e: inout ExpDesc, _ nresults: Int) throws(LuaSyntaxError) {
        if e.k == .call {
            modifyInstruction(e.info) { $0.setC(nresults + 1) }
        } else {
            let reg = fs.freeReg
            modifyInstruction(e.info) {
                $0.setC(nresults + 1)
                $0.setA(reg)
            }
            try reserveRegs(1)
        }
    }

    @inline(__always) mutating func setMultRet(_ e: inout ExpDesc) throws(LuaSyntaxError) {
        try setReturns(&e, -1)
    }

    /// Makes a call or vararg produce exactly one value (`luaK_setoneret`).
    mutating func setOneRet(_ e: inout ExpDesc) {
        if e.k == .call {
            e.k = .nonReloc
            e.info = instruction(e.info).a
        } else if e.k == .vararg {
            modifyInstruction(e.info) { $0.setC(2) }
            e.k = .reloc
        }
    }

    /// Makes sure `e` is not a variable, emitting the load if needed (`luaK_dischargevars`).
    mutating func dischargeVars(_ e: inout ExpDesc) {
        switch e.k {
        case .const:
            Parser.const2exp(actvar[e.info].k, &e)
        case .local:
            e.k = .nonReloc
        case .upval:
            e.info = codeABC(.getUpval, 0, e.info, 0)
            e.k = .reloc
        case .indexUp:
            e.info = codeABC(.getTabUp, 0, e.info, e.aux)
            e.k = .reloc
        case .indexI:
            freeRegister(e.info)
            e.info = codeABC(.getI, 0, e.info, e.aux)
            e.k = .reloc
        case .indexStr:
            freeRegister(e.info)
            e.info = codeABC(.getField, 0, e.info, e.aux)
            e.k = .reloc
        case .indexed:
            freeRegisters(e.info, e.aux)
            e.info = codeABC(.getTable, 0, e.info, e.aux)
            e.k = .reloc
        case .vararg, .call:
            setOneRet(&e)
        default:
            break
        }
    }

    /// Puts the value of `e` in register `reg` (`discharge2reg`).
    mutating func discharge2reg(_ e: inout ExpDesc, _ reg: Int) {
        dischargeVars(&e)
        switch e.k {
        case .nil: codeNil(reg, 1)
        case .false: codeABC(.loadFalse, reg, 0, 0)
        case .true: codeABC(.loadTrue, reg, 0, 0)
        case .kstr: codeK(reg, stringK(Int32(e.info)))
        case .k: codeK(reg, e.info)
        case .kflt: codeFloat(reg, e.nval)
        case .kint: codeInt(reg, e.ival)
        case .reloc: modifyInstruction(e.info) { $0.setA(reg) }
        case .nonReloc:
            if reg != e.info { codeABC(.move, reg, e.info, 0) }
        default:
            return  // a jump: nothing to do yet
        }
        e.info = reg
        e.k = .nonReloc
    }

    mutating func discharge2anyreg(_ e: inout ExpDesc) throws(LuaSyntaxError) {
        if e.k != .nonReloc {
            try reserveRegs(1)
            discharge2reg(&e, fs.freeReg - 1)
        }
    }

    mutating func codeLoadBool(_ a: Int, _ op: LuaOpcode) -> Int {
        _ = getLabel()
        return codeABC(op, a, 0, 0)
    }

    /// Whether some jump in `list` does not produce a value by itself.
    mutating func needValue(_ list: Int) -> Bool {
        var l = list
        while l != noJump {
            if instruction(jumpControl(l)).opcode != .testSet { return true }
            l = getJump(l)
        }
        return false
    }

    /// Puts the final value of `e`, jump lists included, in `reg` (`exp2reg`).
    mutating func exp2reg(_ e: inout ExpDesc, _ reg: Int) throws(LuaSyntaxError) {
        discharge2reg(&e, reg)
        if e.k == .jmp { try concatJumps(&e.t, e.info) }
        if e.hasJumps {
            var pf = noJump
            var pt = noJump
            if needValue(e.t) || needValue(e.f) {
                let fj = e.k == .jmp ? noJump : jump()
                pf = codeLoadBool(reg, .lFalseSkip)
                pt = codeLoadBool(reg, .loadTrue)
                try patchToHere(fj)
            }
            let final = getLabel()
            try patchListAux(e.f, final, reg, pf)
            try patchListAux(e.t, final, reg, pt)
        }
        e.f = noJump
        e.t = noJump
        e.info = reg
        e.k = .nonReloc
    }

    mutating func exp2nextreg(_ e: inout ExpDesc) throws(LuaSyntaxError) {
        dischargeVars(&e)
        freeExp(e)
        try reserveRegs(1)
        try exp2reg(&e, fs.freeReg - 1)
    }

    @discardableResult
    mutating func exp2anyreg(_ e: inout ExpDesc) throws(LuaSyntaxError) -> Int {
        dischargeVars(&e)
        if e.k == .nonReloc {
            if !e.hasJumps { return e.info }
            if e.info >= nvarstack() {
                try exp2reg(&e, e.info)
                return e.info
            }
            // A local cannot receive the jump values; fall through to a new register.
        }
        try exp2nextreg(&e)
        return e.info
    }

    mutating func exp2anyregup(_ e: inout ExpDesc) throws(LuaSyntaxError) {
        if e.k != .upval || e.hasJumps { try exp2anyreg(&e) }
    }

    mutating func exp2val(_ e: inout ExpDesc) throws(LuaSyntaxError) {
        if e.hasJumps { try exp2anyreg(&e) } else { dischargeVars(&e) }
    }

    /// Tries to make `e` a K operand that fits in an 8-bit field (`luaK_exp2K`).
    mutating func exp2K(_ e: inout ExpDesc) -> Bool {
        if e.hasJumps { return false }
        let info: Int
        switch e.k {
        case .true: info = boolK(true)
        case .false: info = boolK(false)
        case .nil: info = nilK()
        case .kint: info = intK(e.ival)
        case .kflt: info = numberK(e.nval)
        case .kstr: info = stringK(Int32(e.info))
        case .k: info = e.info
        default: return false
        }
        if info <= LuaInstruction.maxB {
            e.k = .k
            e.info = info
            return true
        }
        return false
    }

    /// Makes `e` a register or K operand; returns true for K (`luaK_exp2RK`).
    mutating func exp2RK(_ e: inout ExpDesc) throws(LuaSyntaxError) -> Bool {
        if exp2K(&e) { return true }
        try exp2anyreg(&e)
        return false
    }

    mutating func codeABRK(_ op: LuaOpcode, _ a: Int, _ b: Int, _ ec: inout ExpDesc) throws(LuaSyntaxError) {
        let k = try exp2RK(&ec)
        codeABC(op, a, b, ec.info, k: k)
    }

    /// Stores `ex` into variable `v` (`luaK_storevar`).
    mutating func storeVar(_ v: ExpDesc, _ ex: inout ExpDesc) throws(LuaSyntaxError) {
        switch v.k {
        case .local:
            freeExp(ex)
            try exp2reg(&ex, v.info)
            return
        case .upval:
            let e = try exp2anyreg(&ex)
            codeABC(.setUpval, e, v.info, 0)
        case .indexUp: try codeABRK(.setTabUp, v.info, v.aux, &ex)
        case .indexI: try codeABRK(.setI, v.info, v.aux, &ex)
        case .indexStr: try codeABRK(.setField, v.info, v.aux, &ex)
        case .indexed: try codeABRK(.setTable, v.info, v.aux, &ex)
        default: break
        }
        freeExp(ex)
    }

    /// Emits SELF for `e:key(` (`luaK_self`).
    mutating func codeSelf(_ e: inout ExpDesc, _ key: inout ExpDesc) throws(LuaSyntaxError) {
        try exp2anyreg(&e)
        let ereg = e.info
        freeExp(e)
        e.info = fs.freeReg
        e.k = .nonReloc
        try reserveRegs(2)
        try codeABRK(.self, e.info, ereg, &key)
        freeExp(key)
    }

    mutating func negateCondition(_ e: ExpDesc) {
        modifyInstruction(jumpControl(e.info)) { $0.setK(!$0.k) }
    }

    /// Emits a jump taken when `e` is `cond`, removing a preceding NOT (`jumponcond`).
    mutating func jumpOnCond(_ e: inout ExpDesc, _ cond: Bool) throws(LuaSyntaxError) -> Int {
        if e.k == .reloc {
            let ie = instruction(e.info)
            if ie.opcode == .not {
                removeLastInstruction()
                return condJump(.test, ie.b, 0, 0, !cond)
            }
        }
        try discharge2anyreg(&e)
        freeExp(e)
        return condJump(.testSet, noReg, e.info, 0, cond)
    }

    /// Falls through when `e` is true, jumps otherwise (`luaK_goiftrue`).
    mutating func goIfTrue(_ e: inout ExpDesc) throws(LuaSyntaxError) {
        dischargeVars(&e)
        let pc: Int
        switch e.k {
        case .jmp:
            negateCondition(e)
            pc = e.info
        case .k, .kflt, .kint, .kstr, .true:
            pc = noJump
        default:
            pc = try jumpOnCond(&e, false)
        }
        try concatJumps(&e.f, pc)
        try patchToHere(e.t)
        e.t = noJump
    }

    /// Falls through when `e` is false, jumps otherwise (`luaK_goiffalse`).
    mutating func goIfFalse(_ e: inout ExpDesc) throws(LuaSyntaxError) {
        dischargeVars(&e)
        let pc: Int
        switch e.k {
        case .jmp: pc = e.info
        case .nil, .false: pc = noJump
        default: pc = try jumpOnCond(&e, true)
        }
        try concatJumps(&e.t, pc)
        try patchToHere(e.f)
        e.f = noJump
    }

    /// Codes `not e` with constant folding (`codenot`).
    mutating func codeNot(_ e: inout ExpDesc) throws(LuaSyntaxError) {
        switch e.k {
        case .nil, .false: e.k = .true
        case .k, .kflt, .kint, .kstr, .true: e.k = .false
        case .jmp: negateCondition(e)
        case .reloc, .nonReloc:
            try discharge2anyreg(&e)
            freeExp(e)
            e.info = codeABC(.not, 0, e.info, 0)
            e.k = .reloc
        default: break
        }
        swap(&e.f, &e.t)
        removeValues(e.f)
        removeValues(e.t)
    }

    /// Whether `e` is a short-string constant usable as a K operand (`isKstr`).
    mutating func isKstr(_ e: ExpDesc) -> Bool {
        guard e.k == .k, !e.hasJumps, e.info <= LuaInstruction.maxB,
              case .string(let id) = fs.constants[e.info] else { return false }
        return lex.strings.length(id) <= 40  // LUAI_MAXSHORTLEN
    }

    @inline(__always) mutating func isKint(_ e: ExpDesc) -> Bool { e.k == .kint && !e.hasJumps }

    @inline(__always) mutating func isCint(_ e: ExpDesc) -> Bool {
        isKint(e) && UInt64(bitPattern: e.ival) <= UInt64(LuaInstruction.maxC)
    }

    @inline(__always) mutating func isSCint(_ e: ExpDesc) -> Bool { isKint(e) && Parser.fitsC(e.ival) }

    /// The immediate encoding of a number that fits in sC (`isSCnumber`). As in lcode.c,
    /// `isFloat` is set for any float with an integral value, even one that does not fit:
    /// codeorder/codeeq then store it in the C field of LT/LE/EQ/EQK, which the VM ignores
    /// but a binary chunk shows.
    mutating func isSCnumber(_ e: ExpDesc, isFloat: inout Bool) -> Int? {
        let i: Int64
        if e.k == .kint {
            i = e.ival
        } else if e.k == .kflt, let fi = exactInteger(e.nval) {
            i = fi
            isFloat = true
        } else {
            return nil
        }
        if !e.hasJumps && Parser.fitsC(i) { return Int(i) + LuaInstruction.offsetSC }
        return nil
    }

    /// Makes `t` the indexed expression `t[k]` (`luaK_indexed`).
    mutating func indexed(_ t: inout ExpDesc, _ k: inout ExpDesc) throws(LuaSyntaxError) {
        if k.k == .kstr {
            k.info = stringK(Int32(k.info))
            k.k = .k
        }
        if t.k == .upval && !isKstr(k) { try exp2anyreg(&t) }
        if t.k == .upval {
            t.aux = k.info
            t.k = .indexUp
        } else {
            // t.info already holds the register for both .local and .nonReloc.
            if isKstr(k) {
                t.aux = k.info
                t.k = .indexStr
            } else if isCint(k) {
                t.aux = Int(k.ival)
                t.k = .indexI
            } else {
                t.aux = try exp2anyreg(&k)
                t.k = .indexed
            }
        }
    }

    /// Fills in NEWTABLE's size operands and its EXTRAARG (`luaK_settablesize`).
    mutating func setTableSize(_ pc: Int, _ ra: Int, _ asize: Int, _ hsize: Int) {
        let rb = hsize != 0 ? Parser.ceilLog2(hsize) + 1 : 0
        let extra = asize / (LuaInstruction.maxC + 1)
        let rc = asize % (LuaInstruction.maxC + 1)
        fs.code[pc] = LuaInstruction(.newTable, a: ra, b: rb, c: rc, k: extra > 0).raw
        fs.code[pc + 1] = LuaInstruction(.extraArg, ax: extra).raw
    }

    static func ceilLog2(_ x: Int) -> Int {
        var l = 0
        var v = x - 1
        while v > 0 {
            l += 1
            v >>= 1
        }
        return l
    }

    /// Emits SETLIST storing `tostore` values (-1: up to top) after `nelems` (`luaK_setlist`).
    mutating func setList(_ base: Int, _ nelems: Int, _ tostore: Int) {
        let count = tostore == -1 ? 0 : tostore
        if nelems <= LuaInstruction.maxC {
            codeABC(.setList, base, count, nelems)
        } else {
            let extra = nelems / (LuaInstruction.maxC + 1)
            codeABC(.setList, base, count, nelems % (LuaInstruction.maxC + 1), k: true)
            codeExtraArg(extra)
        }
        fs.freeReg = base + 1
    }
}
