// Moonlet's binary chunk format (what `string.dump` writes and `load` reads back).
//
// The layout follows the spirit of PUC's ldump.c but is Moonlet's own: lua5.4 rejects our
// chunks ("format mismatch") and we reject theirs. All multi-byte fixed-size fields are
// little-endian; sizes and counts are unsigned LEB128 varints; line numbers are zigzag varints.
//
//   header   "\x1bLua" 0x54 'M' "\x19\x93\r\n\x1a\n" 4 8 8  int64 0x5678  double 370.5
//            u8 number of upvalues of the main function
//   function source       varint n (0: absent, inherit the parent's; else n-1 bytes follow)
//            lineDefined  zigzag   lastLineDefined zigzag
//            numParams u8  isVararg u8  maxStackSize u8
//            code         varint n, n x u32
//            constants    varint n, n x (tag u8: 0 nil, 1 false, 2 true, 3 int64, 4 double,
//                                        5 string = varint length + bytes)
//            upvalues     varint n, n x (inStack u8, index u8, kind u8)
//            prototypes   varint n, n x function
//            lineInfo     varint n (0 when stripped), n x zigzag
//            locals       varint n (0 when stripped), n x (string, varint startPC, varint endPC)
//            upvalueNames varint n (0 when stripped), n x string
//
// ``LuaUndump`` checks every field and every instruction, so a corrupted chunk is an error,
// never a crash.

/// Serializes a prototype tree into Moonlet's binary chunk format.
public enum LuaDump {
    static let signature: [UInt8] = [0x1B, 0x4C, 0x75, 0x61]
    static let version: UInt8 = 0x54
    /// PUC writes 0 (the official format); 'M' marks Moonlet's.
    static let format: UInt8 = 0x4D
    static let data: [UInt8] = [0x19, 0x93, 0x0D, 0x0A, 0x1A, 0x0A]
    static let checkInteger: Int64 = 0x5678
    static let checkNumber: Double = 370.5

    /// The binary chunk of `p`; `strip` omits debug information (source, lines, names).
    public static func dump(_ p: LuaPrototype, strip: Bool) -> [UInt8] {
        var w = Writer()
        w.bytes(signature)
        w.byte(version)
        w.byte(format)
        w.bytes(data)
        w.byte(4); w.byte(8); w.byte(8)
        w.int64(checkInteger)
        w.int64(Int64(bitPattern: checkNumber.bitPattern))
        w.byte(UInt8(truncatingIfNeeded: p.upvalues.count))
        w.function(p, parentSource: nil, strip: strip)
        return w.out
    }

    struct Writer {
        var out: [UInt8] = []

        mutating func byte(_ b: UInt8) { out.append(b) }
        mutating func bytes(_ b: [UInt8]) { out.append(contentsOf: b) }
        mutating func int64(_ v: Int64) {
            var u = UInt64(bitPattern: v)
            for _ in 0..<8 { out.append(UInt8(truncatingIfNeeded: u)); u >>= 8 }
        }
        mutating func varint(_ v: Int) {
            var u = UInt64(v)
            while u >= 0x80 { out.append(UInt8(truncatingIfNeeded: u) | 0x80); u >>= 7 }
            out.append(UInt8(u))
        }
        mutating func zigzag(_ v: Int64) {
            let u = UInt64(bitPattern: (v << 1) ^ (v >> 63))
            var x = u
            while x >= 0x80 { out.append(UInt8(truncatingIfNeeded: x) | 0x80); x >>= 7 }
            out.append(UInt8(x))
        }
        mutating func string(_ s: [UInt8]) { varint(s.count); bytes(s) }

        mutating func function(_ p: LuaPrototype, parentSource: [UInt8]?, strip: Bool) {
            if strip || p.source == parentSource { varint(0) } else { varint(p.source.count + 1); bytes(p.source) }
            zigzag(Int64(p.lineDefined))
            zigzag(Int64(p.lastLineDefined))
            byte(p.numParams)
            byte(p.isVararg ? 1 : 0)
            byte(p.maxStackSize)
            varint(p.code.count)
            for i in p.code {
                var u = i
                for _ in 0..<4 { out.append(UInt8(truncatingIfNeeded: u)); u >>= 8 }
            }
            varint(p.constants.count)
            for c in p.constants {
                switch c {
                case .nil: byte(0)
                case .boolean(let b): byte(b ? 2 : 1)
                case .integer(let i): byte(3); int64(i)
                case .float(let d): byte(4); int64(Int64(bitPattern: d.bitPattern))
                case .string(let s): byte(5); string(s)
                }
            }
            varint(p.upvalues.count)
            for u in p.upvalues { byte(u.inStack ? 1 : 0); byte(u.index); byte(u.kind.rawValue) }
            varint(p.prototypes.count)
            for child in p.prototypes { function(child, parentSource: p.source, strip: strip) }
            if strip {
                varint(0); varint(0); varint(0)
                return
            }
            varint(p.lineInfo.count)
            for l in p.lineInfo { zigzag(Int64(l)) }
            varint(p.localVariables.count)
            for v in p.localVariables {
                string(v.name)
                varint(Int(max(0, v.startPC)))
                varint(Int(max(0, v.endPC)))
            }
            varint(p.upvalues.count)
            for u in p.upvalues { string(u.name) }
        }
    }
}
