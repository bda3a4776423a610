// Reading Moonlet binary chunks (the format is described in Dump.swift).
//
// PUC's lundump.c trusts its input; we cannot, because the interpreter reads registers,
// constants and upvalues through unchecked pointers. So every count is bounded by the bytes
// left, nesting is bounded, and every instruction is verified (LuaUndump+Verify.swift)
// before a prototype is handed to the VM.

/// A binary chunk that could not be loaded; `message` reads like PUC's
/// "name: bad binary format (truncated chunk)".
public struct LuaUndumpError: Error, Sendable {
    public var message: String
}

/// Deserializes and verifies a binary chunk written by ``LuaDump``.
public enum LuaUndump {
    /// Whether `bytes` starts like a binary chunk (the escape character of the signature).
    public static func isBinary(_ bytes: [UInt8]) -> Bool { bytes.first == 0x1B }

    /// How PUC names a binary chunk in errors: "@x"/"=x" as "x", a string chunk as "binary string".
    static func displayName(_ chunkName: String) -> String {
        if chunkName.hasPrefix("@") || chunkName.hasPrefix("=") { return String(chunkName.dropFirst()) }
        if chunkName.hasPrefix("\u{1B}") { return "binary string" }
        return chunkName
    }

    /// Loads the main function's prototype from a binary chunk.
    public static func undump(_ bytes: [UInt8], chunkName: String) throws(LuaUndumpError) -> LuaPrototype {
        var r = Reader(bytes: bytes)
        let name = displayName(chunkName)
        do throws(Failure) {
            try r.header()
            let mainUpvalues = Int(try r.byte())
            let p = try r.function(parentSource: Array("=?".utf8), depth: 0)
            if p.upvalues.count != mainUpvalues { throw Failure.corrupted }
            if r.position != bytes.count { throw Failure.corrupted }
            return p
        } catch {
            throw LuaUndumpError(message: "\(name): bad binary format (\(error.text))")
        }
    }

    enum Failure: Error {
        case truncated, notBinary, version, format, corrupted, invalid(String)

        var text: String {
            switch self {
            case .truncated: return "truncated chunk"
            case .notBinary: return "not a binary chunk"
            case .version: return "version mismatch"
            case .format: return "format mismatch"
            case .corrupted: return "corrupted chunk"
            case .invalid(let why): return "invalid bytecode: \(why)"
            }
        }
    }

    /// Deeper nesting than this is refused (the compiler's own limit is far lower).
    static let maxDepth = 200

    struct Reader {
        let bytes: [UInt8]
        var position = 0

        var remaining: Int { bytes.count - position }

        mutating func byte() throws(Failure) -> UInt8 {
            guard position < bytes.count else { throw .truncated }
            defer { position += 1 }
            return bytes[position]
        }

        mutating func block(_ n: Int) throws(Failure) -> [UInt8] {
            guard n >= 0, n <= remaining else { throw .truncated }
            defer { position += n }
            return Array(bytes[position..<position + n])
        }

        mutating func int64() throws(Failure) -> Int64 {
            guard remaining >= 8 else { throw .truncated }
            var u: UInt64 = 0
            for i in 0..<8 { u |= UInt64(bytes[position + i]) << (8 * UInt64(i)) }
            position += 8
            return Int64(bitPattern: u)
        }

        mutating func uint32() throws(Failure) -> UInt32 {
            guard remaining >= 4 else { throw .truncated }
            var u: UInt32 = 0
            for i in 0..<4 { u |= UInt32(bytes[position + i]) << (8 * UInt32(i)) }
            position += 4
            return u
        }

        mutating func rawVarint() throws(Failure) -> UInt64 {
            var result: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                let b = try byte()
                if shift == 63 && b > 1 { throw .corrupted }
                result |= UInt64(b & 0x7F) << shift
                if b & 0x80 == 0 { return result }
                shift += 7
                if shift > 63 { throw .corrupted }
            }
        }

        /// A count or size, at most `remaining / minimumElementSize` so a corrupted count can
        /// never ask for more memory than the input could describe.
        mutating func count(elementSize: Int) throws(Failure) -> Int {
            let v = try rawVarint()
            guard v <= UInt64(remaining / max(1, elementSize)) else { throw .truncated }
            return Int(v)
        }

        mutating func zigzag32() throws(Failure) -> Int32 {
            let u = try rawVarint()
            let v = Int64(bitPattern: (u >> 1) ^ (0 &- (u & 1)))
            guard let i = Int32(exactly: v) else { throw .corrupted }
            return i
        }

        mutating func string() throws(Failure) -> [UInt8] {
            try block(try count(elementSize: 1))
        }

        mutating func header() throws(Failure) {
            for s in LuaDump.signature {
                guard try byte() == s else { throw position == 1 ? .notBinary : .notBinary }
            }
            guard try byte() == LuaDump.version else { throw .version }
            guard try byte() == LuaDump.format else { throw .format }
            for d in LuaDump.data { guard try byte() == d else { throw .corrupted } }
            guard try byte() == 4 else { throw .invalid("Instruction size mismatch") }
            guard try byte() == 8 else { throw .invalid("lua_Integer size mismatch") }
            guard try byte() == 8 else { throw .invalid("lua_Number size mismatch") }
            guard try int64() == LuaDump.checkInteger else { throw .invalid("integer format mismatch") }
            guard try int64() == Int64(bitPattern: LuaDump.checkNumber.bitPattern) else {
                throw .invalid("float format mismatch")
            }
        }

        mutating func function(parentSource: [UInt8], depth: Int) throws(Failure) -> LuaPrototype {
            guard depth < LuaUndump.maxDepth else { throw .corrupted }
            let sourceSize = try count(elementSize: 1)
            let source = sourceSize == 0 ? parentSource : try block(sourceSize - 1)
            let lineDefined = try zigzag32()
            let lastLineDefined = try zigzag32()
            let numParams = try byte()
            let varargByte = try byte()
            guard varargByte <= 1 else { throw .corrupted }
            let maxStackSize = try byte()
            let codeCount = try count(elementSize: 4)
            var code: [UInt32] = []
            code.reserveCapacity(codeCount)
            for _ in 0..<codeCount { code.append(try uint32()) }
            let constantCount = try count(elementSize: 1)
            var constants: [LuaConstant] = []
            constants.reserveCapacity(constantCount)
            for _ in 0..<constantCount {
                switch try byte() {
                case 0: constants.append(.nil)
                case 1: constants.append(.boolean(false))
                case 2: constants.append(.boolean(true))
                case 3: constants.append(.integer(try int64()))
                case 4: constants.append(.float(Double(bitPattern: UInt64(bitPattern: try int64()))))
                case 5: constants.append(.string(try string()))
                default: throw .corrupted
                }
            }
            let upvalueCount = try count(elementSize: 3)
            var upvalues: [LuaUpvalueDescriptor] = []
            upvalues.reserveCapacity(upvalueCount)
            for _ in 0..<upvalueCount {
                let inStack = try byte()
                let index = try byte()
                guard inStack <= 1, let kind = LuaVariableKind(rawValue: try byte()) else { throw .corrupted }
                upvalues.append(LuaUpvalueDescriptor(name: [], inStack: inStack == 1, index: index, kind: kind))
            }
            let protoCount = try count(elementSize: 16)
            var prototypes: [LuaPrototype] = []
            prototypes.reserveCapacity(protoCount)
            for _ in 0..<protoCount { prototypes.append(try function(parentSource: source, depth: depth + 1)) }
            let lineCount = try count(elementSize: 1)
            guard lineCount == 0 || lineCount == codeCount else { throw .corrupted }
            var lineInfo: [Int32] = []
            lineInfo.reserveCapacity(lineCount)
            for _ in 0..<lineCount { lineInfo.append(try zigzag32()) }
            let localCount = try count(elementSize: 3)
            var locals: [LuaLocalVariableInfo] = []
            locals.reserveCapacity(localCount)
            for _ in 0..<localCount {
                let name = try string()
                let start = try rawVarint(), end = try rawVarint()
                guard start <= UInt64(Int32.max), end <= UInt64(Int32.max) else { throw .corrupted }
                locals.append(LuaLocalVariableInfo(name: name, startPC: Int32(start), endPC: Int32(end)))
            }
            let nameCount = try count(elementSize: 1)
            // As PUC 5.4.6's loadDebug: any non-zero count means "one name per upvalue"
            // (a larger count in a corrupted dump must not overflow the upvalues). A
            // stripped chunk's upvalues keep empty names ("(no name)" for the debug library).
            if nameCount != 0 {
                for i in 0..<upvalueCount { upvalues[i].name = try string() }
            }
            let p = LuaPrototype(
                code: code, constants: constants, prototypes: prototypes, upvalues: upvalues,
                lineInfo: lineInfo, localVariables: locals, numParams: numParams,
                isVararg: varargByte == 1, maxStackSize: maxStackSize, source: source,
                lineDefined: lineDefined, lastLineDefined: lastLineDefined)
            if let problem = LuaBytecodeVerifier.check(p) { throw .invalid(problem) }
            return p
        }
    }
}
