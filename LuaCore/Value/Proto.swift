import GCArena

/// A compiled function loaded into the arena: code, constants and nested prototypes in
/// malloc'd buffers the interpreter reads through raw pointers.
///
/// Built from the compiler's ``LuaPrototype`` by ``LuaProto/load(_:from:strings:)``; the
/// compiler's object is kept for debug information (line numbers, local names).
public struct LuaProto: Collect {
    /// Instructions (`LuaInstruction.raw`).
    public let code: UnsafeMutablePointer<UInt32>
    public let codeCount: Int
    /// Constants as values (strings interned in the arena).
    public let constants: UnsafeMutablePointer<LuaValue>
    public let constantCount: Int
    /// Nested prototypes, for CLOSURE.
    public let protos: UnsafeMutablePointer<Gc<LuaProto>>
    public let protoCount: Int
    /// Upvalue descriptors packed as `inStack << 8 | index`.
    public let upvalueDescriptors: UnsafeMutablePointer<UInt16>
    public let upvalueCount: Int
    public let numParams: Int
    public let isVararg: Bool
    public let maxStackSize: Int
    /// The chunk name as given to the compiler (e.g. `@file.lua`).
    public let source: Gc<LuaString>
    /// Debug information (line info, local and upvalue names).
    public let debug: LuaPrototype

    public static var ownsExternalMemory: Bool { true }

    public func trace(_ tracer: inout Tracer) {
        for i in 0..<constantCount { constants[i].trace(&tracer) }
        for i in 0..<protoCount { tracer.trace(protos[i]) }
        tracer.trace(source)
    }

    public mutating func releaseExternalMemory() -> Int {
        code.deallocate()
        constants.deallocate()
        protos.deallocate()
        upvalueDescriptors.deallocate()
        return LuaProto.externalSize(codeCount, constantCount, protoCount, upvalueCount)
    }

    static func externalSize(_ code: Int, _ constants: Int, _ protos: Int, _ upvalues: Int) -> Int {
        code * 4 + constants * MemoryLayout<LuaValue>.stride + protos * 8 + upvalues * 2
    }

    /// Loads a compiled prototype tree into the arena, interning its string constants.
    ///
    /// Equal long strings of the whole tree become one object, as PUC's scanner makes them
    /// (`luaX_newstring` internalizes long strings per chunk), so `%p` shows one address for
    /// every copy of a long literal in a chunk.
    public static func load(_ mc: borrowing Mutation, from p: LuaPrototype,
                            strings: inout LuaStringTable) throws(GCAllocationError) -> Gc<LuaProto> {
        var longStrings: [[UInt8]: Gc<LuaString>] = [:]
        return try load(mc, from: p, strings: &strings, longStrings: &longStrings)
    }

    static func load(_ mc: borrowing Mutation, from p: LuaPrototype, strings: inout LuaStringTable,
                     longStrings: inout [[UInt8]: Gc<LuaString>]) throws(GCAllocationError) -> Gc<LuaProto> {
        var children: [Gc<LuaProto>] = []
        children.reserveCapacity(p.prototypes.count)
        for child in p.prototypes {
            children.append(try load(mc, from: child, strings: &strings, longStrings: &longStrings))
        }
        var constantValues: [LuaValue] = []
        constantValues.reserveCapacity(p.constants.count)
        for c in p.constants {
            switch c {
            case .nil: constantValues.append(.nil)
            case .boolean(let b): constantValues.append(LuaValue(b))
            case .integer(let i): constantValues.append(LuaValue(i))
            case .float(let d): constantValues.append(LuaValue(d))
            case .string(let bytes):
                if bytes.count > LuaString.maxShortLength {
                    if let s = longStrings[bytes] {
                        constantValues.append(LuaValue(s))
                    } else {
                        let s = try strings.intern(mc, bytes)
                        longStrings[bytes] = s
                        constantValues.append(LuaValue(s))
                    }
                } else {
                    constantValues.append(LuaValue(try strings.intern(mc, bytes)))
                }
            }
        }
        let source = try strings.intern(mc, p.source)
        try mc.reportExternalMemory(externalSize(p.code.count, constantValues.count, children.count, p.upvalues.count))
        // SAFETY: each buffer is allocated with the exact count it is initialized with and
        // freed in `releaseExternalMemory`.
        let code = UnsafeMutablePointer<UInt32>.allocate(capacity: max(1, p.code.count))
        code.initialize(from: p.code, count: p.code.count)
        let constants = UnsafeMutablePointer<LuaValue>.allocate(capacity: max(1, constantValues.count))
        constants.initialize(from: constantValues, count: constantValues.count)
        let protos = UnsafeMutablePointer<Gc<LuaProto>>.allocate(capacity: max(1, children.count))
        protos.initialize(from: children, count: children.count)
        let upvalues = UnsafeMutablePointer<UInt16>.allocate(capacity: max(1, p.upvalues.count))
        for (i, u) in p.upvalues.enumerated() {
            (upvalues + i).initialize(to: (u.inStack ? 0x100 : 0) | UInt16(u.index))
        }
        return try mc.allocate(LuaProto(
            code: code, codeCount: p.code.count, constants: constants,
            constantCount: constantValues.count, protos: protos, protoCount: children.count,
            upvalueDescriptors: upvalues, upvalueCount: p.upvalues.count,
            numParams: Int(p.numParams), isVararg: p.isVararg, maxStackSize: Int(p.maxStackSize),
            source: source, debug: p))
    }
}
