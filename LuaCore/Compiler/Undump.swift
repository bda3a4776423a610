// Reading binary chunks in PUC-Rio Lua 5.4's format (described in Dump.swift), written by
// `string.dump` here or in lua5.4, or by luac5.4.
//
// PUC's lundump.c trusts its input; we cannot, because the interpreter reads registers,
// constants and upvalues through unchecked pointers. So every count is bounded by the bytes
// left, nesting is bounded, line information must be consistent, and every instruction is
// verified (BytecodeVerifier.swift) before a prototype is handed to the VM. Errors read as
// lundump.c's: "name: bad binary format (truncated chunk)" and so on. As PUC, bytes after
// the main function are ignored.

/// A binary chunk that could not be loaded; `message` reads like PUC's
/// "name: bad binary format (truncated chunk)".
public struct LuaUndumpError: Error, Sendable {
    public var message: String
}

/// Deserializes and verifies a binary chunk in PUC-Rio Lua 5.4's format.
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
            let closureUpvalues = Int(try r.byte())
            let p = try r.function(parentSource: Array("=?".utf8), depth: 0)
            // PUC sizes the closure by this byte; a closure with fewer upvalues than its
            // prototype names would be read out of bounds, more are harmless and unused.
            if closureUpvalues < p.upvalues.count { throw Failure.corrupted }
            return p
        } catch {
            throw LuaUndumpError(message: "\(name): bad binary format (\(error.text))")
        }
    }

    enum Failure: Error {
        case truncated, notBinary, version, format, corrupted, overflow, badString
        case sizeMismatch(String), integerFormat, floatFormat, invalid(String)

        var text: String {
            switch self {
            case .truncated: return "truncated chunk"
            case .notBinary: return "not a binary chunk"
            case .version: return "version mismatch"
            case .format: return "format mismatch"
            case .corrupted: return "corrupted chunk"
            case .overflow: return "integer overflow"
            case .badString: return "bad format for constant string"
            case .sizeMismatch(let type): return "\(type) size mismatch"
            case .integerFormat: return "integer format mismatch"
            case .floatFormat: return "float format mismatch"
            case .invalid(let why): return "invalid bytecode: \(why)"
            }
        }
    }

    /// Deeper nesting than this is refused (the compiler's own limit is far lower).
    static let maxDepth = 200
    /// The fewest bytes a function can take: a NULL source, two line numbers, three bytes
    /// and eight empty counts.
    static let minimumFunctionSize = 14

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

        /// lundump.c's loadUnsigned: 7-bit groups, most significant first, until a byte with
        /// 0x80 set; "integer overflow" once the value would pass `limit`.
        mutating func unsigned(limit: UInt64) throws(Failure) -> UInt64 {
            var x: UInt64 = 0
            let bound = limit >> 7
            while true {
                let b = try byte()
                if x >= bound { throw .overflow }
                x = (x << 7) | UInt64(b & 0x7F)
                if b & 0x80 != 0 { return x }
            }
        }

        /// loadInt: a size that fits a C `int`.
        mutating func int() throws(Failure) -> Int {
            Int(try unsigned(limit: UInt64(Int32.max)))
        }

        /// A count of elements that take at least `elementSize` bytes each: more than the
        /// bytes left could hold means the chunk is truncated (PUC would run out of input).
        mutating func count(elementSize: Int) throws(Failure) -> Int {
            let n = try int()
            guard n <= remaining / max(1, elementSize) else { throw .truncated }
            return n
        }

        /// loadStringN: nil for PUC's NULL string.
        mutating func nullableString() throws(Failure) -> [UInt8]? {
            let size = try unsigned(limit: UInt64.max)
            if size == 0 { return nil }
            guard size - 1 <= UInt64(remaining) else { throw .truncated }
            return try block(Int(size - 1))
        }

        /// lundump.c's checkliteral: reads the whole literal, then compares.
        mutating func literal(_ expected: ArraySlice<UInt8>, else failure: Failure) throws(Failure) {
            guard try block(expected.count) == Array(expected) else { throw failure }
        }

        mutating func header() throws(Failure) {
            // lua_load dispatches on the first byte (`isBinary`); checkHeader reads the rest.
            guard try byte() == LuaDump.signature[0] else { throw .notBinary }
            try literal(LuaDump.signature.dropFirst(), else: .notBinary)
            guard try byte() == LuaDump.version else { throw .version }
            guard try byte() == LuaDump.format else { throw .format }
            try literal(LuaDump.data[...], else: .corrupted)
            guard try byte() == 4 else { throw .sizeMismatch("Instruction") }
            guard try byte() == 8 else { throw .sizeMismatch("lua_Integer") }
            guard try byte() == 8 else { throw .sizeMismatch("lua_Number") }
            guard try int64() == LuaDump.checkInteger else { throw .integerFormat }
            guard Double(bitPattern: UInt64(bitPattern: try int64())) == LuaDump.checkNumber else {
                throw .floatFormat
            }
        }

        mutating func function(parentSource: [UInt8], depth: Int) throws(Failure) -> LuaPrototype {
            guard depth < LuaUndump.maxDepth else { throw .corrupted }
            let source = try nullableString() ?? parentSource
            let lineDefined = Int32(try int())
            let lastLineDefined = Int32(try int())
            let numParams = try byte()
            let varargByte = try byte()
            guard varargByte <= 1 else { throw .corrupted }
            let maxStackSize = try byte()
            let codeCount = try count(elementSize: 4)
            var code: [UInt32] = []
            code.reserveCapacity(codeCount)
            for _ in 0..<codeCount { code.append(try uint32()) }
            let constants = try constants()
            let upvalueCount = try count(elementSize: 3)
            var upvalues: [LuaUpvalueDescriptor] = []
            upvalues.reserveCapacity(upvalueCount)
            for _ in 0..<upvalueCount {
                let inStack = try byte()
                let index = try byte()
                guard let kind = LuaVariableKind(rawValue: try byte()) else { throw .corrupted }
                upvalues.append(LuaUpvalueDescriptor(name: [], inStack: inStack != 0, index: index, kind: kind))
            }
            let protoCount = try count(elementSize: LuaUndump.minimumFunctionSize)
            var prototypes: [LuaPrototype] = []
            prototypes.reserveCapacity(protoCount)
            for _ in 0..<protoCount { prototypes.append(try function(parentSource: source, depth: depth + 1)) }
            let lineInfo = try lines(codeCount: codeCount, lineDefined: lineDefined)
            let localCount = try count(elementSize: 3)
            var locals: [LuaLocalVariableInfo] = []
            locals.reserveCapacity(localCount)
            for _ in 0..<localCount {
                let name = try nullableString() ?? []
                let start = Int32(try int()), end = Int32(try int())
                locals.append(LuaLocalVariableInfo(name: name, startPC: start, endPC: end))
            }
            // As PUC 5.4.6's loadDebug: any non-zero count means "one name per upvalue" (a
            // larger count in a corrupted dump must not overflow the upvalues). A stripped
            // chunk's upvalues keep empty names ("(no name)" for the debug library).
            if try int() != 0 {
                for i in 0..<upvalueCount { upvalues[i].name = try nullableString() ?? [] }
            }
            let p = LuaPrototype(
                code: code, constants: constants, prototypes: prototypes, upvalues: upvalues,
                lineInfo: lineInfo, localVariables: locals, numParams: numParams,
                isVararg: varargByte == 1, maxStackSize: maxStackSize, source: source,
                lineDefined: lineDefined, lastLineDefined: lastLineDefined)
            if let problem = LuaBytecodeVerifier.check(p) { throw .invalid(problem) }
            return p
        }

        mutating func constants() throws(Failure) -> [LuaConstant] {
            let n = try count(elementSize: 1)
            var constants: [LuaConstant] = []
            constants.reserveCapacity(n)
            for _ in 0..<n {
                switch try byte() {
                case LuaDump.Tag.nilValue: constants.append(.nil)
                case LuaDump.Tag.falseValue: constants.append(.boolean(false))
                case LuaDump.Tag.trueValue: constants.append(.boolean(true))
                case LuaDump.Tag.integer: constants.append(.integer(try int64()))
                case LuaDump.Tag.float: constants.append(.float(Double(bitPattern: UInt64(bitPattern: try int64()))))
                case LuaDump.Tag.shortString, LuaDump.Tag.longString:
                    guard let s = try nullableString() else { throw .badString }
                    constants.append(.string(s))
                default: throw .corrupted
                }
            }
            return constants
        }

        /// Reads `lineinfo` and `abslineinfo` and turns them into one absolute line per
        /// instruction, as ldebug.c's luaG_getfuncline would find them. PUC never writes
        /// anything but no lines or one delta per instruction with strictly increasing
        /// absolute entries, each on an ABSLINEINFO delta; anything else is corrupted.
        mutating func lines(codeCount: Int, lineDefined: Int32) throws(Failure) -> [Int32] {
            let deltaCount = try count(elementSize: 1)
            let deltas = try block(deltaCount)
            let absoluteCount = try count(elementSize: 2)
            var absolute: [(pc: Int, line: Int32)] = []
            absolute.reserveCapacity(absoluteCount)
            for _ in 0..<absoluteCount {
                let pc = try int()
                absolute.append((pc, Int32(try int())))
            }
            guard deltaCount != 0 else { return [] }
            guard deltaCount == codeCount else { throw .corrupted }
            var lines: [Int32] = []
            lines.reserveCapacity(codeCount)
            var line = lineDefined
            var next = 0
            for (pc, delta) in deltas.enumerated() {
                if next < absolute.count && absolute[next].pc == pc {
                    guard Int8(bitPattern: delta) == LuaDump.absoluteMarker else { throw .corrupted }
                    line = absolute[next].line
                    next += 1
                } else {
                    let (sum, overflow) = line.addingReportingOverflow(Int32(Int8(bitPattern: delta)))
                    guard !overflow else { throw .corrupted }
                    line = sum
                }
                lines.append(line)
            }
            guard next == absolute.count else { throw .corrupted }
            return lines
        }
    }
}
