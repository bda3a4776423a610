#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Binary operators in PUC's `BinOpr` order: the first twelve match `LUA_OPADD...` and
/// the arithmetic opcode blocks, so opcodes and events are computed by offset.
enum BinOpr: Int {
    case add, sub, mul, mod, pow, div, idiv, band, bor, bxor, shl, shr
    case concat, eq, lt, le, ne, gt, ge, and, or

    /// Left and right priorities (`priority[]`); right < left makes an operator right
    /// associative.
    static let priority: [(left: Int, right: Int)] = [
        (10, 10), (10, 10), (11, 11), (11, 11), (14, 13), (11, 11), (11, 11),
        (6, 6), (4, 4), (5, 5), (7, 7), (7, 7), (9, 8),
        (3, 3), (3, 3), (3, 3), (3, 3), (3, 3), (3, 3), (2, 2), (1, 1),
    ]

    static func from(token: Int32) -> BinOpr? {
        switch token {
        case 43: return .add
        case 45: return .sub
        case 42: return .mul
        case 37: return .mod
        case 94: return .pow
        case 47: return .div
        case Tk.idiv: return .idiv
        case 38: return .band
        case 124: return .bor
        case 126: return .bxor
        case Tk.shl: return .shl
        case Tk.shr: return .shr
        case Tk.concat: return .concat
        case Tk.ne: return .ne
        case Tk.eq: return .eq
        case 60: return .lt
        case Tk.le: return .le
        case 62: return .gt
        case Tk.ge: return .ge
        case Tk.and: return .and
        case Tk.or: return .or
        default: return nil
        }
    }

    @inline(__always) var isFoldable: Bool { rawValue <= BinOpr.shr.rawValue }
    @inline(__always) var event: Int { rawValue + LuaMetaEvent.add.rawValue }
    @inline(__always) var kOpcode: LuaOpcode { LuaOpcode(rawValue: LuaOpcode.addK.rawValue + UInt8(rawValue))! }
    @inline(__always) var regOpcode: LuaOpcode { LuaOpcode(rawValue: LuaOpcode.add.rawValue + UInt8(rawValue))! }
}

/// Unary operators in PUC's `UnOpr` order (matching UNM, BNOT, NOT, LEN).
enum UnOpr: Int {
    case minus, bnot, not, len

    static func from(token: Int32) -> UnOpr? {
        switch token {
        case Tk.not: return .not
        case 45: return .minus
        case 126: return .bnot
        case 35: return .len
        default: return nil
        }
    }
}

/// Operator code generation and constant folding (lcode.c's prefix/infix/posfix).
extension Parser {
    @inline(__always) mutating func isNumeral(_ e: ExpDesc) -> Bool {
        !e.hasJumps && (e.k == .kint || e.k == .kflt)
    }

    /// Folds `e1 op e2` when both are numerals and folding cannot raise an error or lose
    /// information (`constfolding`); `op` is a `LUA_OP*` code (unary minus 12, bnot 13).
    mutating func constFolding(_ op: Int, _ e1: inout ExpDesc, _ e2: ExpDesc) -> Bool {
        guard isNumeral(e1), isNumeral(e2) else { return false }
        let v1: ConstArith.Number = e1.k == .kint ? .int(e1.ival) : .float(e1.nval)
        let v2: ConstArith.Number = e2.k == .kint ? .int(e2.ival) : .float(e2.nval)
        guard ConstArith.isValid(op, v1, v2), let res = ConstArith.arith(op, v1, v2) else { return false }
        switch res {
        case .int(let i):
            e1.k = .kint
            e1.ival = i
        case .float(let d):
            // Neither NaN nor 0.0 is folded (-0.0 must not turn into 0.0).
            if d.isNaN || d == 0 { return false }
            e1.k = .kflt
            e1.nval = d
        }
        return true
    }

    mutating func codeUnExpVal(_ op: LuaOpcode, _ e: inout ExpDesc, _ line: Int) throws(LuaSyntaxError) {
        let r = try exp2anyreg(&e)
        freeExp(e)
        e.info = codeABC(op, 0, r, 0)
        e.k = .reloc
        fixLine(line)
    }

    mutating func finishBinExpVal(_ e1: inout ExpDesc, _ e2: ExpDesc, _ op: LuaOpcode, _ v2: Int, _ flip: Bool,
                                  _ line: Int, _ mmop: LuaOpcode, _ event: Int) throws(LuaSyntaxError) {
        let v1 = try exp2anyreg(&e1)
        let pc = codeABC(op, 0, v1, v2)
        freeExps(e1, e2)
        e1.info = pc
        e1.k = .reloc
        fixLine(line)
        codeABC(mmop, v1, v2, event, k: flip)
        fixLine(line)
    }

    mutating func codeBinExpVal(_ op: LuaOpcode, _ e1: inout ExpDesc, _ e2: inout ExpDesc, _ line: Int) throws(LuaSyntaxError) {
        let v2 = try exp2anyreg(&e2)
        let event = Int(op.rawValue - LuaOpcode.add.rawValue) + LuaMetaEvent.add.rawValue
        try finishBinExpVal(&e1, e2, op, v2, false, line, .mmBin, event)
    }

    mutating func codeBinI(_ op: LuaOpcode, _ e1: inout ExpDesc, _ e2: ExpDesc, _ flip: Bool, _ line: Int,
                           _ event: LuaMetaEvent) throws(LuaSyntaxError) {
        let v2 = Int(e2.ival) + LuaInstruction.offsetSC
        try finishBinExpVal(&e1, e2, op, v2, flip, line, .mmBinI, event.rawValue)
    }

    /// Codes `e1 op e2` as `e1 op' -e2` with an immediate, keeping the original operand for
    /// the metamethod (`finishbinexpneg`).
    mutating func finishBinExpNeg(_ e1: inout ExpDesc, _ e2: ExpDesc, _ op: LuaOpcode, _ line: Int,
                                  _ event: LuaMetaEvent) throws(LuaSyntaxError) -> Bool {
        guard isKint(e2) else { return false }
        let i2 = e2.ival
        guard Parser.fitsC(i2) && Parser.fitsC(-i2) else { return false }
        let v2 = Int(i2)
        try finishBinExpVal(&e1, e2, op, -v2 + LuaInstruction.offsetSC, false, line, .mmBinI, event.rawValue)
        modifyInstruction(fs.pc - 1) { $0.setB(v2 + LuaInstruction.offsetSC) }
        return true
    }

    mutating func codeArith(_ opr: BinOpr, _ e1: inout ExpDesc, _ e2: inout ExpDesc, _ flip: Bool,
                            _ line: Int) throws(LuaSyntaxError) {
        if isNumeral(e2) && exp2K(&e2) {
            try finishBinExpVal(&e1, e2, opr.kOpcode, e2.info, flip, line, .mmBinK, opr.event)
        } else {
            if flip { swap(&e1, &e2) }
            try codeBinExpVal(opr.regOpcode, &e1, &e2, line)
        }
    }

    mutating func codeCommutative(_ opr: BinOpr, _ e1: inout ExpDesc, _ e2: inout ExpDesc, _ line: Int) throws(LuaSyntaxError) {
        var flip = false
        if isNumeral(e1) {
            swap(&e1, &e2)
            flip = true
        }
        if opr == .add && isSCint(e2) {
            try codeBinI(.addI, &e1, e2, flip, line, .add)
        } else {
            try codeArith(opr, &e1, &e2, flip, line)
        }
    }

    /// Codes a bitwise operator, an integer constant becoming the K operand (Lua 5.4.6's
    /// `codebitwise`: a first-operand constant that does not fit a K operand stays a
    /// constant, where 5.4.4 loaded it into a register that the other operand could reuse,
    /// so `1 ~ (2 or 3)` in a function with over 256 constants gave 0).
    mutating func codeBitwise(_ opr: BinOpr, _ e1: inout ExpDesc, _ e2: inout ExpDesc, _ line: Int) throws(LuaSyntaxError) {
        var flip = false
        if e1.k == .kint {
            swap(&e1, &e2)
            flip = true
        }
        if e2.k == .kint && exp2K(&e2) {
            try finishBinExpVal(&e1, e2, opr.kOpcode, e2.info, flip, line, .mmBinK, opr.event)
        } else {
            if flip { swap(&e1, &e2) }
            try codeBinExpVal(opr.regOpcode, &e1, &e2, line)
        }
    }

    /// Codes an order comparison, using immediates when an operand allows (`codeorder`).
    mutating func codeOrder(_ op: LuaOpcode, _ e1: inout ExpDesc, _ e2: inout ExpDesc) throws(LuaSyntaxError) {
        let r1: Int, r2: Int
        var isFloat = false
        var op = op
        if let im = isSCnumber(e2, isFloat: &isFloat) {
            r1 = try exp2anyreg(&e1)
            r2 = im
            op = LuaOpcode(rawValue: op.rawValue - LuaOpcode.lt.rawValue + LuaOpcode.ltI.rawValue)!
        } else if let im = isSCnumber(e1, isFloat: &isFloat) {
            r1 = try exp2anyreg(&e2)
            r2 = im
            op = op == .lt ? .gtI : .geI
        } else {
            r1 = try exp2anyreg(&e1)
            r2 = try exp2anyreg(&e2)
        }
        freeExps(e1, e2)
        e1.info = condJump(op, r1, r2, isFloat ? 1 : 0, true)
        e1.k = .jmp
    }

    /// Codes `==` or `~=`; `e1` is already a register or K (`codeeq`).
    mutating func codeEq(_ opr: BinOpr, _ e1: inout ExpDesc, _ e2: inout ExpDesc) throws(LuaSyntaxError) {
        if e1.k != .nonReloc { swap(&e1, &e2) }
        let r1 = try exp2anyreg(&e1)
        let op: LuaOpcode
        let r2: Int
        var isFloat = false
        if let im = isSCnumber(e2, isFloat: &isFloat) {
            op = .eqI
            r2 = im
        } else if try exp2RK(&e2) {
            op = .eqK
            r2 = e2.info
        } else {
            op = .eq
            r2 = try exp2anyreg(&e2)
        }
        freeExps(e1, e2)
        e1.info = condJump(op, r1, r2, isFloat ? 1 : 0, opr == .eq)
        e1.k = .jmp
    }

    /// Applies unary operator `op` to `e` (`luaK_prefix`).
    mutating func prefix(_ op: UnOpr, _ e: inout ExpDesc, _ line: Int) throws(LuaSyntaxError) {
        dischargeVars(&e)
        switch op {
        case .minus, .bnot:
            if constFolding(op.rawValue + 12, &e, ExpDesc.integer(0)) { return }
            try codeUnExpVal(op == .minus ? .unm : .bnot, &e, line)
        case .len:
            try codeUnExpVal(.len, &e, line)
        case .not:
            try codeNot(&e)
        }
    }

    /// Prepares the first operand before the second is read (`luaK_infix`).
    mutating func infix(_ op: BinOpr, _ v: inout ExpDesc) throws(LuaSyntaxError) {
        dischargeVars(&v)
        switch op {
        case .and: try goIfTrue(&v)
        case .or: try goIfFalse(&v)
        case .concat: try exp2nextreg(&v)
        case .add, .sub, .mul, .div, .idiv, .mod, .pow, .band, .bor, .bxor, .shl, .shr:
            if !isNumeral(v) { try exp2anyreg(&v) }
        case .eq, .ne:
            if !isNumeral(v) { _ = try exp2RK(&v) }
        case .lt, .le, .gt, .ge:
            var isFloat = false
            if isSCnumber(v, isFloat: &isFloat) == nil { try exp2anyreg(&v) }
        }
    }

    /// Emits CONCAT, merging with the CONCAT of a right operand (`codeconcat`).
    mutating func codeConcat(_ e1: inout ExpDesc, _ e2: ExpDesc, _ line: Int) {
        if let p = previousInstruction(), instruction(p).opcode == .concat {
            let n = instruction(p).b
            freeExp(e2)
            let a = e1.info
            modifyInstruction(p) {
                $0.setA(a)
                $0.setB(n + 1)
            }
        } else {
            codeABC(.concat, e1.info, 2, 0)
            freeExp(e2)
            fixLine(line)
        }
    }

    /// Finishes a binary operation after its second operand (`luaK_posfix`).
    mutating func posfix(_ opr: BinOpr, _ e1: inout ExpDesc, _ e2: inout ExpDesc, _ line: Int) throws(LuaSyntaxError) {
        dischargeVars(&e2)
        if opr.isFoldable && constFolding(opr.rawValue, &e1, e2) { return }
        switch opr {
        case .and:
            try concatJumps(&e2.f, e1.f)
            e1 = e2
        case .or:
            try concatJumps(&e2.t, e1.t)
            e1 = e2
        case .concat:
            try exp2nextreg(&e2)
            codeConcat(&e1, e2, line)
        case .add, .mul:
            try codeCommutative(opr, &e1, &e2, line)
        case .sub:
            if try finishBinExpNeg(&e1, e2, .addI, line, .sub) { return }
            try codeArith(opr, &e1, &e2, false, line)
        case .div, .idiv, .mod, .pow:
            try codeArith(opr, &e1, &e2, false, line)
        case .band, .bor, .bxor:
            try codeBitwise(opr, &e1, &e2, line)
        case .shl:
            if isSCint(e1) {
                swap(&e1, &e2)
                try codeBinI(.shlI, &e1, e2, true, line, .shl)
            } else if try finishBinExpNeg(&e1, e2, .shrI, line, .shl) {
                // coded as e1 >> -I
            } else {
                try codeBinExpVal(.shl, &e1, &e2, line)
            }
        case .shr:
            if isSCint(e2) {
                try codeBinI(.shrI, &e1, e2, false, line, .shr)
            } else {
                try codeBinExpVal(.shr, &e1, &e2, line)
            }
        case .eq, .ne:
            try codeEq(opr, &e1, &e2)
        case .lt, .le:
            try codeOrder(opr == .lt ? .lt : .le, &e1, &e2)
        case .gt, .ge:
            swap(&e1, &e2)
            try codeOrder(opr == .gt ? .lt : .le, &e1, &e2)
        }
    }
}

/// Exact Lua 5.4 arithmetic on numerals, for constant folding (`luaO_rawarith`).
enum ConstArith {
    enum Number {
        case int(Int64)
        case float(Double)

        var asFloat: Double {
            switch self {
            case .int(let i): return Double(i)
            case .float(let d): return d
            }
        }

        var asInteger: Int64? {
            switch self {
            case .int(let i): return i
            case .float(let d): return exactInteger(d)
            }
        }
    }

    // LUA_OP* codes.
    static let opAdd = 0, opSub = 1, opMul = 2, opMod = 3, opPow = 4, opDiv = 5, opIDiv = 6
    static let opBAnd = 7, opBOr = 8, opBXor = 9, opShl = 10, opShr = 11, opUnm = 12, opBNot = 13

    /// False when folding could raise an error at run time (`validop`).
    static func isValid(_ op: Int, _ v1: Number, _ v2: Number) -> Bool {
        switch op {
        case opBAnd, opBOr, opBXor, opShl, opShr, opBNot:
            return v1.asInteger != nil && v2.asInteger != nil
        case opDiv, opIDiv, opMod:
            return v2.asFloat != 0
        default:
            return true
        }
    }

    static func arith(_ op: Int, _ v1: Number, _ v2: Number) -> Number? {
        switch op {
        case opBAnd, opBOr, opBXor, opShl, opShr, opBNot:
            guard let i1 = v1.asInteger, let i2 = v2.asInteger else { return nil }
            return .int(intArith(op, i1, i2))
        case opDiv, opPow:
            return .float(floatArith(op, v1.asFloat, v2.asFloat))
        default:
            if case .int(let i1) = v1, case .int(let i2) = v2 { return .int(intArith(op, i1, i2)) }
            return .float(floatArith(op, v1.asFloat, v2.asFloat))
        }
    }

    static func shiftLeft(_ x: Int64, _ y: Int64) -> Int64 {
        if y < 0 {
            if y <= -64 { return 0 }
            return Int64(bitPattern: UInt64(bitPattern: x) >> UInt64(-y))
        }
        if y >= 64 { return 0 }
        return Int64(bitPattern: UInt64(bitPattern: x) << UInt64(y))
    }

    static func intArith(_ op: Int, _ a: Int64, _ b: Int64) -> Int64 {
        switch op {
        case opAdd: return a &+ b
        case opSub: return a &- b
        case opMul: return a &* b
        case opMod:
            if b == -1 { return 0 }
            let r = a % b
            return (r != 0 && (r ^ b) < 0) ? r + b : r
        case opIDiv:
            if b == -1 { return 0 &- a }
            var q = a / b
            if (a ^ b) < 0 && a % b != 0 { q -= 1 }
            return q
        case opBAnd: return a & b
        case opBOr: return a | b
        case opBXor: return a ^ b
        case opShl: return shiftLeft(a, b)
        case opShr: return shiftLeft(a, 0 &- b)
        case opUnm: return 0 &- a
        case opBNot: return ~a
        default: return 0
        }
    }

    static func floatArith(_ op: Int, _ a: Double, _ b: Double) -> Double {
        switch op {
        case opAdd: return a + b
        case opSub: return a - b
        case opMul: return a * b
        case opDiv: return a / b
        case opPow: return b == 2 ? a * a : pow(a, b)
        case opIDiv: return (a / b).rounded(.down)
        case opUnm: return -a
        case opMod:
            var m = fmod(a, b)
            if m > 0 ? b < 0 : (m < 0 && b > 0) { m += b }
            return m
        default: return 0
        }
    }
}
