/// Instruction emission, jump lists, registers and the constant table (the first part of
/// lcode.c). Everything operates on the current function `fs`.
extension Parser {
    // MARK: Emission

    /// Appends an instruction attributed to the line of the last token read.
    @inline(__always) @discardableResult
    mutating func code(_ i: LuaInstruction) -> Int {
        fs.code.append(i.raw)
        fs.lineInfo.append(Int32(truncatingIfNeeded: lex.lastLine))
        return fs.code.count - 1
    }

    @inline(__always) @discardableResult
    mutating func codeABC(_ op: LuaOpcode, _ a: Int, _ b: Int, _ c: Int, k: Bool = false) -> Int {
        code(LuaInstruction(op, a: a, b: b, c: c, k: k))
    }

    @inline(__always) @discardableResult
    mutating func codeABx(_ op: LuaOpcode, _ a: Int, _ bx: Int) -> Int {
        code(LuaInstruction(op, a: a, bx: bx))
    }

    @inline(__always) @discardableResult
    mutating func codeAsBx(_ op: LuaOpcode, _ a: Int, _ sbx: Int) -> Int {
        code(LuaInstruction(op, a: a, sbx: sbx))
    }

    @discardableResult
    mutating func codeExtraArg(_ a: Int) -> Int {
        code(LuaInstruction(.extraArg, ax: a))
    }

    /// Loads constant `k` into `reg`, with LOADKX when the index does not fit in Bx.
    @discardableResult
    mutating func codeK(_ reg: Int, _ k: Int) -> Int {
        if k <= LuaInstruction.maxBx { return codeABx(.loadK, reg, k) }
        let p = codeABx(.loadKX, reg, 0)
        codeExtraArg(k)
        return p
    }

    /// Reattributes the last instruction to `line` (`luaK_fixline`).
    @inline(__always) mutating func fixLine(_ line: Int) {
        fs.lineInfo[fs.lineInfo.count - 1] = Int32(truncatingIfNeeded: line)
    }

    mutating func removeLastInstruction() {
        fs.code.removeLast()
        fs.lineInfo.removeLast()
    }

    @inline(__always) mutating func instruction(_ pc: Int) -> LuaInstruction { LuaInstruction(raw: fs.code[pc]) }

    @inline(__always) mutating func modifyInstruction(_ pc: Int, _ body: (inout LuaInstruction) -> Void) {
        var i = LuaInstruction(raw: fs.code[pc])
        body(&i)
        fs.code[pc] = i.raw
    }

    /// The previous instruction, or nil if a jump may land between it and the next one.
    @inline(__always) mutating func previousInstruction() -> Int? {
        fs.pc > fs.lastTarget ? fs.pc - 1 : nil
    }

    /// Emits LOADNIL, merging with a preceding compatible LOADNIL (`luaK_nil`).
    mutating func codeNil(_ from: Int, _ n: Int) {
        var from = from
        var last = from + n - 1
        if let p = previousInstruction() {
            let prev = instruction(p)
            if prev.opcode == .loadNil {
                let pfrom = prev.a
                let plast = pfrom + prev.b
                if (pfrom <= from && from <= plast + 1) || (from <= pfrom && pfrom <= last + 1) {
                    from = min(from, pfrom)
                    last = max(last, plast)
                    modifyInstruction(p) {
                        $0.setA(from)
                        $0.setB(last - from)
                    }
                    return
                }
            }
        }
        codeABC(.loadNil, from, n - 1, 0)
    }

    // MARK: Jumps

    /// The destination of the jump at `pc`, or `noJump` at the end of a list.
    mutating func getJump(_ pc: Int) -> Int {
        let offset = instruction(pc).sj
        return offset == noJump ? noJump : pc + 1 + offset
    }

    mutating func fixJump(_ pc: Int, _ dest: Int) throws(LuaSyntaxError) {
        let offset = dest - (pc + 1)
        if !(-LuaInstruction.offsetSJ <= offset && offset <= LuaInstruction.maxSJ - LuaInstruction.offsetSJ) {
            throw lex.syntaxError("control structure too long")
        }
        modifyInstruction(pc) { $0.setSJ(offset) }
    }

    /// Appends jump list `l2` to list `l1` (`luaK_concat`).
    mutating func concatJumps(_ l1: inout Int, _ l2: Int) throws(LuaSyntaxError) {
        if l2 == noJump { return }
        if l1 == noJump {
            l1 = l2
            return
        }
        var list = l1
        while true {
            let next = getJump(list)
            if next == noJump { break }
            list = next
        }
        try fixJump(list, l2)
    }

    @inline(__always) mutating func jump() -> Int {
        code(LuaInstruction(.jmp, sj: noJump))
    }

    /// Emits a return of `nret` values starting at `first` (`luaK_ret`).
    mutating func codeReturn(_ first: Int, _ nret: Int) {
        let op: LuaOpcode = nret == 0 ? .return0 : nret == 1 ? .return1 : .return
        codeABC(op, first, nret + 1, 0)
    }

    mutating func condJump(_ op: LuaOpcode, _ a: Int, _ b: Int, _ c: Int, _ k: Bool) -> Int {
        codeABC(op, a, b, c, k: k)
        return jump()
    }

    /// Marks the current pc as a jump target and returns it (`luaK_getlabel`).
    @inline(__always) mutating func getLabel() -> Int {
        fs.lastTarget = fs.pc
        return fs.pc
    }

    /// The pc of the test controlling the jump at `pc`, or `pc` for an unconditional jump.
    mutating func jumpControl(_ pc: Int) -> Int {
        if pc >= 1, let op = instruction(pc - 1).opcode, op.isTest { return pc - 1 }
        return pc
    }

    /// Sets TESTSET's destination to `reg`, or turns it into TEST (`patchtestreg`).
    mutating func patchTestReg(_ node: Int, _ reg: Int) -> Bool {
        let ip = jumpControl(node)
        let i = instruction(ip)
        if i.opcode != .testSet { return false }
        if reg != noReg && reg != i.b {
            modifyInstruction(ip) { $0.setA(reg) }
        } else {
            fs.code[ip] = LuaInstruction(.test, a: i.b, b: 0, c: 0, k: i.k).raw
        }
        return true
    }

    mutating func removeValues(_ list: Int) {
        var l = list
        while l != noJump {
            _ = patchTestReg(l, noReg)
            l = getJump(l)
        }
    }

    mutating func patchListAux(_ list: Int, _ vtarget: Int, _ reg: Int, _ dtarget: Int) throws(LuaSyntaxError) {
        var l = list
        while l != noJump {
            let next = getJump(l)
            if patchTestReg(l, reg) {
                try fixJump(l, vtarget)
            } else {
                try fixJump(l, dtarget)
            }
            l = next
        }
    }

    @inline(__always) mutating func patchList(_ list: Int, _ target: Int) throws(LuaSyntaxError) {
        try patchListAux(list, target, noReg, target)
    }

    @inline(__always) mutating func patchToHere(_ list: Int) throws(LuaSyntaxError) {
        let here = getLabel()
        try patchList(list, here)
    }

    @inline(__always) mutating func jumpTo(_ target: Int) throws(LuaSyntaxError) {
        try patchList(jump(), target)
    }

    // MARK: Registers

    mutating func checkStack(_ n: Int) throws(LuaSyntaxError) {
        let newStack = fs.freeReg + n
        if newStack > fs.maxStackSize {
            if newStack >= Parser.maxRegs {
                throw lex.syntaxError("function or expression needs too many registers")
            }
            fs.maxStackSize = newStack
        }
    }

    @inline(__always) mutating func reserveRegs(_ n: Int) throws(LuaSyntaxError) {
        try checkStack(n)
        fs.freeReg += n
    }

    /// Frees `reg` if it is a temporary, not a local variable.
    @inline(__always) mutating func freeRegister(_ reg: Int) {
        if reg >= nvarstack() { fs.freeReg -= 1 }
    }

    mutating func freeRegisters(_ r1: Int, _ r2: Int) {
        if r1 > r2 {
            freeRegister(r1)
            freeRegister(r2)
        } else {
            freeRegister(r2)
            freeRegister(r1)
        }
    }

    @inline(__always) mutating func freeExp(_ e: ExpDesc) {
        if e.k == .nonReloc { freeRegister(e.info) }
    }

    mutating func freeExps(_ e1: ExpDesc, _ e2: ExpDesc) {
        let r1 = e1.k == .nonReloc ? e1.info : -1
        let r2 = e2.k == .nonReloc ? e2.info : -1
        freeRegisters(r1, r2)
    }

    // MARK: Constants

    /// Adds `value` to the constant table, reusing an entry the shared cache remembers
    /// under `key` if it still holds the same value (`addk`).
    mutating func addK(_ key: KCacheKey, _ value: KValue) -> Int {
        if let k = kcache[key], k < fs.constants.count {
            let old = fs.constants[k]
            if old.sameTag(value) && old == value { return k }
        }
        let k = fs.constants.count
        kcache[key] = k
        fs.constants.append(value)
        return k
    }

    @inline(__always) mutating func stringK(_ id: Int32) -> Int { addK(.string(id), .string(id)) }

    @inline(__always) mutating func intK(_ i: Int64) -> Int { addK(.int(i), .int(i)) }

    /// Adds a float; integral floats get a perturbed key so they never collide with the
    /// integer of the same value (`luaK_numberK`).
    mutating func numberK(_ r: Double) -> Int {
        guard let ik = exactInteger(r) else { return addK(.number(r), .float(r)) }
        let q = 0x1p-52  // 2^-(DBL_MANT_DIG - 1)
        let key = ik == 0 ? q : r + r * q
        return addK(.number(key), .float(r))
    }

    mutating func boolK(_ b: Bool) -> Int { addK(.bool(b), .bool(b)) }

    mutating func nilK() -> Int { addK(.nilKey, .nil) }

    @inline(__always) static func fitsC(_ i: Int64) -> Bool {
        UInt64(bitPattern: i) &+ UInt64(LuaInstruction.offsetSC) <= UInt64(LuaInstruction.maxC)
    }

    @inline(__always) static func fitsBx(_ i: Int64) -> Bool {
        -Int64(LuaInstruction.offsetSBx) <= i && i <= Int64(LuaInstruction.maxBx - LuaInstruction.offsetSBx)
    }

    /// Loads integer `i` into `reg` (`luaK_int`).
    mutating func codeInt(_ reg: Int, _ i: Int64) {
        if Parser.fitsBx(i) {
            codeAsBx(.loadI, reg, Int(i))
        } else {
            codeK(reg, intK(i))
        }
    }

    mutating func codeFloat(_ reg: Int, _ d: Double) {
        if let fi = exactInteger(d), Parser.fitsBx(fi) {
            codeAsBx(.loadF, reg, Int(fi))
        } else {
            codeK(reg, numberK(d))
        }
    }
}
