/// A compile-time constant of a function: the values Lua source can spell literally.
///
/// Strings are byte arrays, never Swift `String`: Lua strings are arbitrary bytes.
public enum LuaConstant: Hashable, Sendable {
    case `nil`
    case boolean(Bool)
    case integer(Int64)
    case float(Double)
    case string([UInt8])
}

/// How a local variable (and an upvalue that captures it) may be used, as PUC's `vd.kind`.
public enum LuaVariableKind: UInt8, Sendable {
    /// An ordinary variable.
    case regular = 0
    /// A `<const>` variable that lives in a register (its value was not a compile-time constant).
    case constant = 1
    /// A `<close>` variable.
    case toBeClosed = 2
    /// A `<const>` whose value is known at compile time; it occupies no register.
    case compileTimeConstant = 3
}

/// Describes where a closure finds one of its upvalues when it is created.
public struct LuaUpvalueDescriptor: Hashable, Sendable {
    /// The variable's name (debug information).
    public var name: [UInt8]
    /// True when the upvalue is a register of the enclosing function, false when it is one
    /// of the enclosing function's own upvalues.
    public var inStack: Bool
    /// The register or upvalue index in the enclosing function.
    public var index: UInt8
    /// The kind of the captured variable.
    public var kind: LuaVariableKind

    /// Creates an upvalue descriptor.
    public init(name: [UInt8], inStack: Bool, index: UInt8, kind: LuaVariableKind) {
        self.name = name
        self.inStack = inStack
        self.index = index
        self.kind = kind
    }
}

/// Debug information for one local variable: its name and the instructions where it is live.
public struct LuaLocalVariableInfo: Hashable, Sendable {
    /// The variable's name.
    public var name: [UInt8]
    /// The first instruction (0-based) where the variable is active.
    public var startPC: Int32
    /// The first instruction (0-based) where the variable is dead.
    public var endPC: Int32

    /// Creates a local-variable record.
    public init(name: [UInt8], startPC: Int32, endPC: Int32) {
        self.name = name
        self.startPC = startPC
        self.endPC = endPC
    }
}

/// One compiled Lua function: code, constants, nested functions and debug information.
///
/// A plain immutable Swift object tree, independent of any VM or GC arena: the VM copies
/// what it needs into its arena when it loads a chunk. It is a final class (not a struct) so
/// that a tree of nested prototypes is shared, not copied, and its identity can name it in
/// listings; every stored property is a `let`, so it is `Sendable`.
public final class LuaPrototype: Sendable {
    /// The instructions, each a `LuaInstruction.raw` value.
    public let code: [UInt32]
    /// The constant table, indexed by K operands.
    public let constants: [LuaConstant]
    /// Functions defined inside this one, indexed by CLOSURE's Bx operand.
    public let prototypes: [LuaPrototype]
    /// How to find each upvalue when a closure of this function is created.
    public let upvalues: [LuaUpvalueDescriptor]
    /// The source line of each instruction (same count as `code`).
    public let lineInfo: [Int32]
    /// Local variables, in order of declaration (debug information).
    public let localVariables: [LuaLocalVariableInfo]
    /// The number of fixed parameters.
    public let numParams: UInt8
    /// Whether the function takes `...`.
    public let isVararg: Bool
    /// The number of registers the function needs.
    public let maxStackSize: UInt8
    /// The chunk's source name as given to the compiler (for example `@file.lua`).
    public let source: [UInt8]
    /// The line where the function's definition starts (0 for the main chunk).
    public let lineDefined: Int32
    /// The line where the function's definition ends (0 for the main chunk).
    public let lastLineDefined: Int32

    /// Creates a prototype from its parts.
    public init(
        code: [UInt32], constants: [LuaConstant], prototypes: [LuaPrototype],
        upvalues: [LuaUpvalueDescriptor], lineInfo: [Int32],
        localVariables: [LuaLocalVariableInfo], numParams: UInt8, isVararg: Bool,
        maxStackSize: UInt8, source: [UInt8], lineDefined: Int32, lastLineDefined: Int32
    ) {
        self.code = code
        self.constants = constants
        self.prototypes = prototypes
        self.upvalues = upvalues
        self.lineInfo = lineInfo
        self.localVariables = localVariables
        self.numParams = numParams
        self.isVararg = isVararg
        self.maxStackSize = maxStackSize
        self.source = source
        self.lineDefined = lineDefined
        self.lastLineDefined = lastLineDefined
    }

    /// The instructions as `LuaInstruction` values.
    public var instructions: [LuaInstruction] { code.map(LuaInstruction.init(raw:)) }
}
