// PUC-Rio Lua 5.4's official binary chunk format (ldump.c / lundump.c, LUAC_FORMAT 0): what
// `string.dump` writes and `load` reads back. Moonlet's instruction set and code generation
// are PUC's, so for the same source `string.dump(f)` and `string.dump(f, true)` are byte for
// byte what lua5.4 writes, and chunks written by lua5.4 or luac5.4 load and run here.
//
//   header    "\x1bLua" 0x54 0x00 "\x19\x93\r\n\x1a\n" 4 8 8  int64 0x5678  double 370.5
//             (integers and floats in the host's byte order: little-endian on every platform
//             Moonlet builds for), then one byte: the main function's upvalue count
//   function  source        string (NULL when stripped or equal to the parent's)
//             lineDefined, lastLineDefined   size
//             numParams, isVararg, maxStackSize   bytes
//             code          size n, n x u32
//             constants     size n, n x (tag byte: 0 nil, 1 false, 17 true, 3 integer (int64),
//                                        19 float (double), 4 short / 20 long string)
//             upvalues      size n, n x (inStack, index, kind) bytes
//             prototypes    size n, n x function
//             lineinfo      size n (0 when stripped), n x signed byte: line delta, or -128
//                           where absolute line information follows
//             abslineinfo   size n, n x (pc size, line size)
//             locals        size n, n x (string name, size startPC, size endPC)
//             upvalue names size n (0 when stripped, else the upvalue count), n x string
//
// A size is PUC's dumpSize: 7-bit groups, most significant first, the last byte with 0x80
// set. A string is its size + 1 (0 = NULL) followed by its bytes.
//
// Prototypes keep one absolute line per instruction; the deltas and absolute entries are
// regenerated here exactly as lcode.c's savelineinfo makes them while compiling. (PUC's
// luaK_fixline and removelastinstruction can leave an absolute entry where a fresh pass would
// not — only when 128 or more lines pass inside one expression with no instruction emitted;
// the lines a debugger sees are the same either way.)
//
// ``LuaUndump`` checks every field and every instruction, so a corrupted chunk is an error,
// never a crash.

/// Serializes a prototype tree into PUC-Rio Lua 5.4's binary chunk format.
public enum LuaDump {
    static let signature: [UInt8] = [0x1B, 0x4C, 0x75, 0x61]
    /// LUAC_VERSION: major * 16 + minor.
    static let version: UInt8 = 0x54
    /// LUAC_FORMAT: 0 is the official format.
    static let format: UInt8 = 0
    static let data: [UInt8] = [0x19, 0x93, 0x0D, 0x0A, 0x1A, 0x0A]
    static let checkInteger: Int64 = 0x5678
    static let checkNumber: Double = 370.5

    /// Constant tags: PUC's type variants (`makevariant(type, variant)`).
    enum Tag {
        static let nilValue: UInt8 = 0x00
        static let falseValue: UInt8 = 0x01
        static let trueValue: UInt8 = 0x11
        static let integer: UInt8 = 0x03
        static let float: UInt8 = 0x13
        static let shortString: UInt8 = 0x04
        static let longString: UInt8 = 0x14
    }

    /// lcode.c's LIMLINEDIFF: a line delta must have a smaller magnitude to be relative.
    static let lineDeltaLimit = 0x80
    /// ldebug.h's MAXIWTHABS: at most this many relative entries between absolute ones.
    static let maxRelativeRun = 128
    /// ldebug.h's ABSLINEINFO: the delta byte that marks an absolute entry.
    static let absoluteMarker: Int8 = -0x80

    /// The binary chunk of `p`; `strip` omits debug information (source, lines, names).
    public static func dump(_ p: LuaPrototype, strip: Bool) -> [UInt8] {
        var w = Writer(strip: strip)
        w.bytes(signature)
        w.byte(version)
        w.byte(format)
        w.bytes(data)
        w.byte(4); w.byte(8); w.byte(8)
        w.int64(checkInteger)
        w.int64(Int64(bitPattern: checkNumber.bitPattern))
        w.byte(UInt8(truncatingIfNeeded: p.upvalues.count))
        w.function(p, parentSource: nil)
        return w.out
    }

    /// PUC's `lineinfo` and `abslineinfo` for one prototype's absolute lines, as lcode.c's
    /// savelineinfo builds them instruction by instruction from `lineDefined`.
    static func pucLineInfo(_ lines: [Int32], lineDefined: Int32) -> (deltas: [UInt8], absolute: [(pc: Int, line: Int32)]) {
        var deltas: [UInt8] = []
        deltas.reserveCapacity(lines.count)
        var absolute: [(pc: Int, line: Int32)] = []
        var previous = Int(lineDefined)
        var sinceAbsolute = 0
        for (pc, line) in lines.enumerated() {
            let difference = Int(line) - previous
            var isAbsolute = abs(difference) >= lineDeltaLimit
            if !isAbsolute {
                isAbsolute = sinceAbsolute >= maxRelativeRun
                sinceAbsolute += 1
            }
            if isAbsolute {
                absolute.append((pc, line))
                deltas.append(UInt8(bitPattern: absoluteMarker))
                sinceAbsolute = 1
            } else {
                deltas.append(UInt8(bitPattern: Int8(truncatingIfNeeded: difference)))
            }
            previous = Int(line)
        }
        return (deltas, absolute)
    }

    struct Writer {
        let strip: Bool
        var out: [UInt8] = []

        mutating func byte(_ b: UInt8) { out.append(b) }
        mutating func bytes(_ b: [UInt8]) { out.append(contentsOf: b) }
        mutating func int64(_ v: Int64) {
            var u = UInt64(bitPattern: v)
            for _ in 0..<8 { out.append(UInt8(truncatingIfNeeded: u)); u >>= 8 }
        }

        /// ldump.c's dumpSize: 7-bit groups, most significant first, 0x80 on the last.
        mutating func size(_ v: UInt64) {
            var shift: UInt64 = 0
            while shift < 63 && v >> (shift + 7) != 0 { shift += 7 }
            while shift > 0 {
                out.append(UInt8(truncatingIfNeeded: v >> shift) & 0x7F)
                shift -= 7
            }
            out.append(UInt8(truncatingIfNeeded: v) & 0x7F | 0x80)
        }

        /// dumpInt: a C `int` converted to `size_t` (a negative value sign-extends, as in C).
        mutating func int(_ v: Int) { size(UInt64(bitPattern: Int64(v))) }

        /// dumpString; `nil` is PUC's NULL string.
        mutating func string(_ s: [UInt8]?) {
            guard let s else { size(0); return }
            size(UInt64(s.count) + 1)
            bytes(s)
        }

        mutating func function(_ p: LuaPrototype, parentSource: [UInt8]?) {
            string(strip || p.source == parentSource ? nil : p.source)
            int(Int(p.lineDefined))
            int(Int(p.lastLineDefined))
            byte(p.numParams)
            byte(p.isVararg ? 1 : 0)
            byte(p.maxStackSize)
            int(p.code.count)
            for i in p.code {
                var u = i
                for _ in 0..<4 { out.append(UInt8(truncatingIfNeeded: u)); u >>= 8 }
            }
            constants(p.constants)
            int(p.upvalues.count)
            for u in p.upvalues { byte(u.inStack ? 1 : 0); byte(u.index); byte(u.kind.rawValue) }
            int(p.prototypes.count)
            for child in p.prototypes { function(child, parentSource: p.source) }
            debugInfo(p)
        }

        mutating func constants(_ constants: [LuaConstant]) {
            int(constants.count)
            for c in constants {
                switch c {
                case .nil: byte(Tag.nilValue)
                case .boolean(let b): byte(b ? Tag.trueValue : Tag.falseValue)
                case .integer(let i): byte(Tag.integer); int64(i)
                case .float(let d): byte(Tag.float); int64(Int64(bitPattern: d.bitPattern))
                case .string(let s):
                    byte(s.count <= LuaString.maxShortLength ? Tag.shortString : Tag.longString)
                    string(s)
                }
            }
        }

        mutating func debugInfo(_ p: LuaPrototype) {
            if strip {
                for _ in 0..<4 { int(0) }
                return
            }
            // One line per instruction or none (a hand-built prototype may have neither;
            // PUC's loader would read a mismatched count past the code).
            let lines = LuaDump.pucLineInfo(p.lineInfo.count == p.code.count ? p.lineInfo : [], lineDefined: p.lineDefined)
            int(lines.deltas.count)
            bytes(lines.deltas)
            int(lines.absolute.count)
            for entry in lines.absolute { int(entry.pc); int(Int(entry.line)) }
            int(p.localVariables.count)
            for v in p.localVariables {
                string(v.name.isEmpty ? nil : v.name)
                int(Int(v.startPC))
                int(Int(v.endPC))
            }
            // A chunk loaded stripped keeps its upvalues but not their names: PUC writes
            // NULL names then, never zero of them.
            int(p.upvalues.count)
            for u in p.upvalues { string(u.name.isEmpty ? nil : u.name) }
        }
    }
}
