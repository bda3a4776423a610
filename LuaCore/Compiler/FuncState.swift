/// Per-function compiler state (lparser.h's `FuncState`) and the small records it keeps.

/// A constant while compiling: strings are still interned ids.
enum KValue: Equatable {
    case `nil`
    case bool(Bool)
    case int(Int64)
    case float(Double)
    case string(Int32)

    /// Same variant, so an integer 1 never stands in for a float 1.0 (`ttypetag` check).
    func sameTag(_ other: KValue) -> Bool {
        switch (self, other) {
        case (.nil, .nil), (.int, .int), (.float, .float), (.string, .string): return true
        case (.bool(let a), .bool(let b)): return a == b
        default: return false
        }
    }
}

/// The key of the constant cache, shared by all functions of a chunk like PUC's scanner
/// table (so, like PUC, a nested function can make the cache forget an outer constant, and
/// the outer function then adds a duplicate — reproduced on purpose for identical output).
enum KCacheKey: Hashable {
    case int(Int64)
    case float(UInt64)
    case string(Int32)
    case bool(Bool)
    case nilKey

    /// A float key as a Lua table would store it: integral floats become integer keys.
    static func number(_ d: Double) -> KCacheKey {
        if let i = exactInteger(d) { return .int(i) }
        return .float(d.bitPattern)
    }
}

/// Converts a float with an exact integer value to that integer (`luaV_flttointeger`, F2Ieq).
@inline(__always)
func exactInteger(_ d: Double) -> Int64? {
    guard d.rounded(.down) == d, d >= -9.223372036854775808e18, d < 9.223372036854775808e18 else {
        return nil
    }
    return Int64(d)
}

/// A local variable of the active functions (`Vardesc`).
struct VarDesc {
    var name: Int32
    var kind: LuaVariableKind = .regular
    /// Register holding the variable.
    var ridx: Int = 0
    /// Index of its debug record in the function's `localVariables`.
    var pidx: Int = 0
    /// The value of a compile-time constant.
    var k: KValue = .nil
}

/// A pending goto or an active label (`Labeldesc`).
struct LabelDesc {
    var name: Int32
    var pc: Int
    var line: Int
    /// Number of active variables at that position.
    var nactvar: Int
    /// Whether a goto must close upvalues when it jumps.
    var close: Bool
}

/// A lexical block (`BlockCnt`).
struct BlockCnt {
    var firstLabel: Int
    var firstGoto: Int
    /// Active locals outside the block.
    var nactvar: Int
    /// Some variable in the block is captured as an upvalue.
    var upval: Bool = false
    var isLoop: Bool
    /// Inside the scope of a to-be-closed variable.
    var insideTBC: Bool
}

/// An upvalue while compiling; the name is an interned id.
struct UpvalDesc {
    var name: Int32
    var inStack: Bool
    var index: Int
    var kind: LuaVariableKind
}

/// A local's debug record while compiling.
struct LocVarDesc {
    var name: Int32
    var startPC: Int
    var endPC: Int
}

/// The state of one function being compiled.
struct FuncState {
    var code: [UInt32] = []
    var lineInfo: [Int32] = []
    var constants: [KValue] = []
    var prototypes: [LuaPrototype] = []
    var upvalues: [UpvalDesc] = []
    var locVars: [LocVarDesc] = []
    var blocks: [BlockCnt] = []
    var lineDefined: Int
    var lastLineDefined: Int = 0
    var numParams: Int = 0
    var isVararg: Bool = false
    /// Registers 0 and 1 are always valid (`maxstacksize = 2` in open_func).
    var maxStackSize: Int = 2
    /// The last instruction that is a jump target; peephole changes must not cross it.
    var lastTarget: Int = 0
    var freeReg: Int = 0
    /// Number of active locals (compile-time constants included).
    var nactvar: Int = 0
    /// Index of the function's first local in the parser's `actvar`.
    var firstLocal: Int
    /// Index of the function's first label in the parser's `labels`.
    var firstLabel: Int
    /// The function must close upvalues or to-be-closed variables when returning.
    var needClose: Bool = false

    init(lineDefined: Int, firstLocal: Int, firstLabel: Int) {
        self.lineDefined = lineDefined
        self.firstLocal = firstLocal
        self.firstLabel = firstLabel
    }

    @inline(__always) var pc: Int { code.count }

    /// Marks the innermost block that holds the variable at `level` as having an upvalue.
    mutating func markUpval(level: Int) {
        var i = blocks.count - 1
        while blocks[i].nactvar > level { i -= 1 }
        blocks[i].upval = true
        needClose = true
    }
}
