// Checks a prototype from an untrusted source (a binary chunk) before the VM runs it.
//
// The interpreter trusts its code: registers, constants, upvalues and nested prototypes are
// read through unchecked pointers, a test is always followed by a jump, an arithmetic
// instruction by its MMBIN, and control never falls off the end. These are exactly the
// properties the compiler guarantees, and exactly what is checked here, per instruction:
//
// - the opcode is one of the 83 defined ones;
// - every register an instruction names (including ranges such as CALL's arguments) is
//   below `maxStackSize`; constant, upvalue and prototype indexes are in range, and
//   constants used as field names are short strings (number kinds where the VM assumes them);
// - jump targets, skips and the extra argument of LOADKX/NEWTABLE/SETLIST stay in the code;
// - the last instruction returns or jumps; vararg functions start with VARARGPREP and use
//   RETURN/TAILCALL with C = numParams + 1; RETURN0/RETURN1 only where nothing needs closing;
// - nested prototypes' upvalue descriptors point at registers or upvalues that exist.

enum LuaBytecodeVerifier {
    /// A description of the first problem found, or nil when `p` (not its children) is sound.
    static func check(_ p: LuaPrototype) -> String? {
        let code = p.code
        let n = code.count
        let maxStack = Int(p.maxStackSize)
        let kCount = p.constants.count
        let upCount = p.upvalues.count
        guard n > 0 else { return "empty function" }
        guard Int(p.numParams) <= maxStack else { return "parameters exceed stack size" }
        if p.isVararg {
            guard let first = code.first, first & 0x7F == UInt32(LuaOpcode.varargPrep.rawValue),
                  LuaInstruction(raw: first).a == Int(p.numParams) else { return "missing VARARGPREP" }
        }
        var needsClose = false
        for child in p.prototypes {
            for u in child.upvalues {
                if u.inStack {
                    if Int(u.index) >= maxStack { return "upvalue register out of range" }
                    needsClose = true
                } else if Int(u.index) >= upCount {
                    return "upvalue index out of range"
                }
            }
        }
        for i in code where i & 0x7F == UInt32(LuaOpcode.tbc.rawValue) { needsClose = true }

        func isShortString(_ k: Int) -> Bool {
            guard k < kCount, case .string(let s) = p.constants[k] else { return false }
            return s.count <= LuaString.maxShortLength
        }
        func isNumber(_ k: Int) -> Bool {
            guard k < kCount else { return false }
            switch p.constants[k] { case .integer, .float: return true; default: return false }
        }
        func isInteger(_ k: Int) -> Bool {
            guard k < kCount, case .integer = p.constants[k] else { return false }
            return true
        }

        // Instructions that read "top" (B = 0) must directly follow the open CALL/VARARG
        // (C = 0) that set it, with a register range that starts at or above theirs, and no
        // jump may land on them (it would skip the setter). No jump may re-run VARARGPREP.
        var targets = Set<Int>()
        for pc in 0..<n {
            let ins = LuaInstruction(raw: code[pc])
            switch ins.opcode {
            case .jmp: targets.insert(pc + 1 + ins.sj)
            case .forLoop, .tForLoop: targets.insert(pc + 1 - ins.bx)
            case .forPrep: targets.insert(pc + 2 + ins.bx)
            case .tForPrep: targets.insert(pc + 1 + ins.bx)
            // LFALSESKIP lands two ahead, past an instruction that may be the open CALL a
            // B = 0 reader needs (found by the undump fuzz target: SETLIST read a stale top).
            // The other skips pass a JMP, MMBIN or EXTRAARG, which no such reader follows.
            case .lFalseSkip: targets.insert(pc + 2)
            default: break
            }
        }
        if p.isVararg && targets.contains(0) { return "jump to VARARGPREP" }
        func topSetter(before pc: Int, minimumA: Int) -> Bool {
            guard pc > 0, !targets.contains(pc) else { return false }
            let previous = LuaInstruction(raw: code[pc - 1])
            let opens = (previous.opcode == .call || previous.opcode == .vararg) && previous.c == 0
            guard opens || previous.opcode == .tailCall else { return false }
            return previous.a >= minimumA
        }

        for pc in 0..<n {
            let ins = LuaInstruction(raw: code[pc])
            guard let op = ins.opcode else { return "invalid opcode at \(pc)" }
            let a = ins.a, b = ins.b, c = ins.c
            /// Registers first...last must exist.
            func regs(_ first: Int, _ last: Int) -> Bool { first >= 0 && last < maxStack }
            func reg(_ r: Int) -> Bool { r < maxStack }
            func target(_ t: Int) -> Bool { t >= 0 && t < n }
            /// The instruction can skip the next one (pc + 2 must exist).
            var skips: Bool { pc + 2 < n }
            func nextIs(_ o: LuaOpcode) -> Bool { pc + 1 < n && code[pc + 1] & 0x7F == UInt32(o.rawValue) }
            let rk = ins.k ? c < kCount : reg(c)
            let ok: Bool
            switch op {
            case .move, .unm, .bnot, .not, .len: ok = reg(a) && reg(b)
            case .loadI, .loadF, .loadFalse, .loadTrue, .close, .tbc: ok = reg(a)
            case .lFalseSkip: ok = reg(a) && skips
            case .loadK: ok = reg(a) && ins.bx < kCount
            case .loadKX:
                ok = reg(a) && nextIs(.extraArg) && LuaInstruction(raw: code[pc + 1]).ax < kCount
            case .loadNil: ok = regs(a, a + b)
            case .getUpval, .setUpval: ok = reg(a) && b < upCount
            case .getTabUp: ok = reg(a) && b < upCount && isShortString(c)
            case .getTable: ok = reg(a) && reg(b) && reg(c)
            case .getI: ok = reg(a) && reg(b)
            case .getField: ok = reg(a) && reg(b) && isShortString(c)
            case .setTabUp: ok = a < upCount && isShortString(b) && rk
            case .setTable: ok = reg(a) && reg(b) && rk
            case .setI: ok = reg(a) && rk
            case .setField: ok = reg(a) && isShortString(b) && rk
            // Always followed by EXTRAARG, which the VM skips whether or not k extends C (as
            // PUC's does): without it the skip ran past the code (undump fuzz finding).
            case .newTable: ok = reg(a) && nextIs(.extraArg)
            case .`self`:
                ok = regs(a, a + 1) && reg(b) && (ins.k ? c < kCount && { if case .string = p.constants[c] { return true }; return false }() : reg(c))
            case .addI, .shrI, .shlI: ok = reg(a) && reg(b) && skips && nextIs(.mmBinI)
            case .addK, .subK, .mulK, .modK, .powK, .divK, .idivK:
                ok = reg(a) && reg(b) && isNumber(c) && skips && nextIs(.mmBinK)
            case .bandK, .borK, .bxorK: ok = reg(a) && reg(b) && isInteger(c) && skips && nextIs(.mmBinK)
            case .add, .sub, .mul, .mod, .pow, .div, .idiv, .band, .bor, .bxor, .shl, .shr:
                ok = reg(a) && reg(b) && reg(c) && skips && nextIs(.mmBin)
            case .mmBin, .mmBinI, .mmBinK:
                let previous = pc > 0 ? LuaInstruction(raw: code[pc - 1]).opcode : nil
                let arith = previous.map { $0.rawValue >= LuaOpcode.addI.rawValue && $0.rawValue <= LuaOpcode.shr.rawValue } ?? false
                ok = arith && reg(a) && (op == .mmBin ? reg(b) : op == .mmBinK ? b < kCount : true)
            case .concat: ok = b >= 1 && regs(a, a + b - 1)
            case .jmp: ok = target(pc + 1 + ins.sj)
            case .eq, .lt, .le: ok = reg(a) && reg(b) && nextIs(.jmp) && skips
            case .eqK: ok = reg(a) && b < kCount && nextIs(.jmp) && skips
            case .eqI, .ltI, .leI, .gtI, .geI, .test: ok = reg(a) && nextIs(.jmp) && skips
            case .testSet: ok = reg(a) && reg(b) && nextIs(.jmp) && skips
            case .call:
                ok = reg(a) && (b == 0 ? topSetter(before: pc, minimumA: a + 1) : regs(a, a + b - 1))
                    && (c <= 1 || regs(a, a + c - 2))
            case .tailCall:
                ok = reg(a) && (b == 0 ? topSetter(before: pc, minimumA: a + 1) : regs(a, a + b - 1))
                    && c == (p.isVararg ? Int(p.numParams) + 1 : 0)
            case .return:
                // A RETURN of nothing names the first free register, which may be maxStackSize
                // (PUC's final `return` of a function whose registers are all locals).
                ok = (b == 1 ? a <= maxStack : reg(a)) && (b == 0 ? topSetter(before: pc, minimumA: a) : b == 1 || regs(a, a + b - 2))
                    && c == (p.isVararg ? Int(p.numParams) + 1 : 0)
            case .return0: ok = !p.isVararg && !needsClose
            case .return1: ok = !p.isVararg && !needsClose && reg(a)
            case .forLoop: ok = regs(a, a + 3) && target(pc + 1 - ins.bx)
            case .forPrep: ok = regs(a, a + 3) && target(pc + 1 + ins.bx + 1)
            case .tForPrep: ok = regs(a, a + 3) && target(pc + 1 + ins.bx)
            case .tForCall: ok = regs(a, a + 3 + max(c, 1)) && nextIs(.tForLoop)
            case .tForLoop: ok = regs(a, a + 4) && target(pc + 1 - ins.bx)
            case .setList:
                ok = (b == 0 ? reg(a) && topSetter(before: pc, minimumA: a + 1) : regs(a, a + b)) && (!ins.k || nextIs(.extraArg))
            case .closure: ok = reg(a) && ins.bx < p.prototypes.count
            case .vararg: ok = p.isVararg && reg(a) && (c <= 1 || regs(a, a + c - 2))
            case .varargPrep: ok = p.isVararg && pc == 0
            case .extraArg: ok = true
            }
            if !ok { return "\(op.name) at \(pc)" }
        }
        let last = LuaInstruction(raw: code[n - 1]).opcode
        guard last == .return || last == .return0 || last == .return1 || last == .jmp else {
            return "code does not end with a return"
        }
        return nil
    }
}
