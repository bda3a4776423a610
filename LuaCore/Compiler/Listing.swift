#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Human-readable listings of compiled prototypes in the format of `luac -l -l`.
///
/// The output matches luac 5.4's byte for byte except for addresses: like luac, each function
/// is shown at the memory address of its prototype (`0x55d0c1a2b3c0`), which differs between
/// runs and between the two programs.
public enum LuaListing {
    /// Renders `proto` and, recursively, its nested functions.
    ///
    /// - Parameter proto: The compiled chunk (its nested functions are listed after it).
    /// - Parameter full: Also list constants, locals and upvalues (`luac -l -l`); when
    ///   false, only headers and code (`luac -l`).
    public static func render(_ proto: LuaPrototype, full: Bool = true) -> String {
        var out: [UInt8] = []
        printFunction(proto, full: full, out: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Renders a listing as raw bytes (string constants may hold any byte).
    public static func renderBytes(_ proto: LuaPrototype, full: Bool = true) -> [UInt8] {
        var out: [UInt8] = []
        printFunction(proto, full: full, out: &out)
        return out
    }

    /// The prototype's address as C's `%p` prints it (what luac shows for a `Proto *`).
    private static func address(_ f: LuaPrototype) -> String {
        "0x" + String(UInt(bitPattern: ObjectIdentifier(f)), radix: 16)
    }

    private static func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }

    private static func printFunction(_ f: LuaPrototype, full: Bool, out: inout [UInt8]) {
        let me = address(f)
        let childIDs = f.prototypes.map(address)
        var source = f.source
        if let c = source.first, c == UInt8(ascii: "@") || c == UInt8(ascii: "=") {
            source.removeFirst()
        } else if source.first == 0x1B {
            source = Array("(bstring)".utf8)
        } else {
            source = Array("(string)".utf8)
        }
        let kind = f.lineDefined == 0 ? "main" : "function"
        out += Array("\n\(kind) <".utf8) + source
        out += Array(":\(f.lineDefined),\(f.lastLineDefined)> (\(plural(f.code.count, "instruction")) at \(me))\n".utf8)
        let params = "\(f.numParams)\(f.isVararg ? "+" : "") param\(f.numParams == 1 ? "" : "s")"
        out += Array("\(params), \(plural(Int(f.maxStackSize), "slot")), \(plural(f.upvalues.count, "upvalue")), ".utf8)
        out += Array("\(plural(f.localVariables.count, "local")), \(plural(f.constants.count, "constant")), \(plural(f.prototypes.count, "function"))\n".utf8)
        printCode(f, childIDs: childIDs, out: &out)
        if full { printDebug(f, me: me, out: &out) }
        for p in f.prototypes { printFunction(p, full: full, out: &out) }
    }

    private static func printDebug(_ f: LuaPrototype, me: String, out: inout [UInt8]) {
        out += Array("constants (\(f.constants.count)) for \(me):\n".utf8)
        for (i, k) in f.constants.enumerated() {
            let tag: String
            switch k {
            case .nil: tag = "N"
            case .boolean: tag = "B"
            case .float: tag = "F"
            case .integer: tag = "I"
            case .string: tag = "S"
            }
            out += Array("\t\(i)\t\(tag)\t".utf8) + constantText(k) + [10]
        }
        out += Array("locals (\(f.localVariables.count)) for \(me):\n".utf8)
        for (i, v) in f.localVariables.enumerated() {
            out += Array("\t\(i)\t".utf8) + v.name + Array("\t\(v.startPC + 1)\t\(v.endPC + 1)\n".utf8)
        }
        out += Array("upvalues (\(f.upvalues.count)) for \(me):\n".utf8)
        for (i, u) in f.upvalues.enumerated() {
            out += Array("\t\(i)\t".utf8) + u.name + Array("\t\(u.inStack ? 1 : 0)\t\(u.index)\n".utf8)
        }
    }

    /// A constant as luac prints it: strings quoted and escaped, floats with `%.14g`.
    static func constantText(_ k: LuaConstant) -> [UInt8] {
        switch k {
        case .nil: return Array("nil".utf8)
        case .boolean(let b): return Array((b ? "true" : "false").utf8)
        case .integer(let i): return Array(String(i).utf8)
        case .float(let d):
            let s = formatG14(d)
            let looksInteger = s.utf8.allSatisfy { $0 == UInt8(ascii: "-") || ($0 >= 48 && $0 <= 57) }
            return Array((looksInteger ? s + ".0" : s).utf8)
        case .string(let bytes):
            var out: [UInt8] = [34]
            for c in bytes {
                switch c {
                case 34: out += [92, 34]
                case 92: out += [92, 92]
                case 7: out += [92, UInt8(ascii: "a")]
                case 8: out += [92, UInt8(ascii: "b")]
                case 12: out += [92, UInt8(ascii: "f")]
                case 10: out += [92, UInt8(ascii: "n")]
                case 13: out += [92, UInt8(ascii: "r")]
                case 9: out += [92, UInt8(ascii: "t")]
                case 11: out += [92, UInt8(ascii: "v")]
                default:
                    if c >= 32 && c < 127 {
                        out.append(c)
                    } else {
                        let d = String(c)
                        out += [92] + Array((String(repeating: "0", count: 3 - d.count) + d).utf8)
                    }
                }
            }
            out.append(34)
            return out
        }
    }

    /// C's `%.14g`, Lua's LUAI_NUMFFORMAT.
    static func formatG14(_ d: Double) -> String {
        var buf = [CChar](repeating: 0, count: 64)
        let n = withVaList([d]) { args in
            // SAFETY: vsnprintf writes at most buf.count bytes including the terminator.
            buf.withUnsafeMutableBufferPointer { vsnprintf($0.baseAddress, $0.count, "%.14g", args) }
        }
        return String(decoding: buf.prefix(Int(max(0, n))).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func printCode(_ f: LuaPrototype, childIDs: [String], out: inout [UInt8]) {
        for pc in 0..<f.code.count {
            let i = LuaInstruction(raw: f.code[pc])
            let line = pc < f.lineInfo.count ? Int(f.lineInfo[pc]) : 0
            let lineText = line > 0 ? "[\(line)]" : "[-]"
            let name = i.opcode?.name ?? "OP\(i.opcodeByte)"
            let padded = name + String(repeating: " ", count: max(0, 9 - name.count))
            out += Array("\t\(pc + 1)\t\(lineText)\t\(padded)\t".utf8)
            out += operands(i, pc: pc, f: f, childIDs: childIDs)
            out.append(10)
        }
    }

    private static func upvalueName(_ f: LuaPrototype, _ i: Int) -> [UInt8] {
        i < f.upvalues.count ? f.upvalues[i].name : Array("-".utf8)
    }

    private static func constant(_ f: LuaPrototype, _ i: Int) -> [UInt8] {
        i < f.constants.count ? constantText(f.constants[i]) : Array("?".utf8)
    }

    /// The operand text of one instruction, as luac's `PrintCode`.
    private static func operands(_ i: LuaInstruction, pc: Int, f: LuaPrototype, childIDs: [String]) -> [UInt8] {
        let a = i.a, b = i.b, c = i.c, bx = i.bx, sb = i.sb, sc = i.sc, sbx = i.sbx
        let k = i.k ? 1 : 0
        let isk = i.k ? "k" : ""
        let comment = Array("\t; ".utf8)
        func s(_ text: String) -> [UInt8] { Array(text.utf8) }
        func extraArg() -> Int {
            pc + 1 < f.code.count ? LuaInstruction(raw: f.code[pc + 1]).ax : 0
        }
        guard let op = i.opcode else { return s("\(a) \(b) \(c)") }
        switch op {
        case .move, .unm, .bnot, .not, .len, .concat: return s("\(a) \(b)")
        case .loadI, .loadF: return s("\(a) \(sbx)")
        case .loadK: return s("\(a) \(bx)") + comment + constant(f, bx)
        case .loadKX: return s("\(a)") + comment + constant(f, extraArg())
        case .loadFalse, .lFalseSkip, .loadTrue, .close, .tbc, .return1, .varargPrep: return s("\(a)")
        case .loadNil: return s("\(a) \(b)") + comment + s("\(b + 1) out")
        case .getUpval, .setUpval: return s("\(a) \(b)") + comment + upvalueName(f, b)
        case .getTabUp: return s("\(a) \(b) \(c)") + comment + upvalueName(f, b) + s(" ") + constant(f, c)
        case .getTable, .getI, .add, .sub, .mul, .mod, .pow, .div, .idiv, .band, .bor, .bxor, .shl, .shr:
            return s("\(a) \(b) \(c)")
        case .getField: return s("\(a) \(b) \(c)") + comment + constant(f, c)
        case .setTabUp:
            var r = s("\(a) \(b) \(c)\(isk)") + comment + upvalueName(f, a) + s(" ") + constant(f, b)
            if i.k { r += s(" ") + constant(f, c) }
            return r
        case .setTable, .setI, .self:
            var r = s("\(a) \(b) \(c)\(isk)")
            if i.k { r += comment + constant(f, c) }
            return r
        case .setField:
            var r = s("\(a) \(b) \(c)\(isk)") + comment + constant(f, b)
            if i.k { r += s(" ") + constant(f, c) }
            return r
        case .newTable:
            return s("\(a) \(b) \(c)") + comment + s("\(c + extraArg() * (LuaInstruction.maxC + 1))")
        case .addI, .shrI, .shlI: return s("\(a) \(b) \(sc)")
        case .addK, .subK, .mulK, .modK, .powK, .divK, .idivK, .bandK, .borK, .bxorK:
            return s("\(a) \(b) \(c)") + comment + constant(f, c)
        case .mmBin: return s("\(a) \(b) \(c)") + comment + s(eventName(c))
        case .mmBinI:
            return s("\(a) \(sb) \(c) \(k)") + comment + s(eventName(c)) + s(i.k ? " flip" : "")
        case .mmBinK:
            return s("\(a) \(b) \(c) \(k)") + comment + s(eventName(c) + " ") + constant(f, b) + s(i.k ? " flip" : "")
        case .jmp: return s("\(i.sj)") + comment + s("to \(i.sj + pc + 2)")
        case .eq, .lt, .le, .testSet: return s("\(a) \(b) \(k)")
        case .eqK: return s("\(a) \(b) \(k)") + comment + constant(f, b)
        case .eqI, .ltI, .leI, .gtI, .geI: return s("\(a) \(sb) \(k)")
        case .test: return s("\(a) \(k)")
        case .call:
            return s("\(a) \(b) \(c)") + comment + s(b == 0 ? "all in " : "\(b - 1) in ") + s(c == 0 ? "all out" : "\(c - 1) out")
        case .tailCall: return s("\(a) \(b) \(c)\(isk)") + comment + s("\(b - 1) in")
        case .return: return s("\(a) \(b) \(c)\(isk)") + comment + s(b == 0 ? "all out" : "\(b - 1) out")
        case .return0: return []
        case .forLoop, .tForLoop: return s("\(a) \(bx)") + comment + s("to \(pc - bx + 2)")
        case .forPrep: return s("\(a) \(bx)") + comment + s("exit to \(pc + bx + 3)")
        case .tForPrep: return s("\(a) \(bx)") + comment + s("to \(pc + bx + 2)")
        case .tForCall: return s("\(a) \(c)")
        case .setList:
            var r = s("\(a) \(b) \(c)")
            if i.k { r += comment + s("\(c + extraArg() * (LuaInstruction.maxC + 1))") }
            return r
        case .closure:
            let id = bx < childIDs.count ? childIDs[bx] : "?"
            return s("\(a) \(bx)") + comment + s(id)
        case .vararg: return s("\(a) \(c)") + comment + s(c == 0 ? "all out" : "\(c - 1) out")
        case .extraArg: return s("\(i.ax)")
        }
    }

    private static func eventName(_ c: Int) -> String {
        c < LuaMetaEvent.names.count ? LuaMetaEvent.names[c] : "?"
    }
}
