/// Expression descriptors (lparser.h's `expdesc`): how far an expression has been turned
/// into code, so the generator can choose the cheapest instruction at the last moment.

/// The kinds, in PUC's order (range checks such as `isVar` depend on it).
enum ExpKind: UInt8 {
    /// No value (an empty expression list).
    case void
    case `nil`, `true`, `false`
    /// A constant in the K table; `info` is its index.
    case k
    /// A float literal in `bits`.
    case kflt
    /// An integer literal in `bits`.
    case kint
    /// A string literal; `info` is its interned id.
    case kstr
    /// A value in a fixed register `info`.
    case nonReloc
    /// A local variable: `info` is its register, `aux` its index among the active locals.
    case local
    /// An upvalue; `info` is its index.
    case upval
    /// A compile-time constant; `info` is its absolute index in `actvar`.
    case const
    /// `R[info][R[aux]]`.
    case indexed
    /// `UpValue[info][K[aux]]` (K is a short string).
    case indexUp
    /// `R[info][aux]` (aux is a small integer).
    case indexI
    /// `R[info][K[aux]]` (K is a short string).
    case indexStr
    /// A test/comparison; `info` is the pc of its jump.
    case jmp
    /// An instruction at pc `info` whose destination register is not yet set.
    case reloc
    /// A call at pc `info`.
    case call
    /// A VARARG at pc `info`.
    case vararg

    @inline(__always) var isVar: Bool { rawValue >= ExpKind.local.rawValue && rawValue <= ExpKind.indexStr.rawValue }
    @inline(__always) var isIndexed: Bool { rawValue >= ExpKind.indexed.rawValue && rawValue <= ExpKind.indexStr.rawValue }
    @inline(__always) var hasMultRet: Bool { self == .call || self == .vararg }
}

/// "No jump" in a jump list.
let noJump = -1
/// "No register" for TESTSET patching (PUC's `NO_REG`, MAXARG_A).
let noReg = 255

struct ExpDesc {
    var k: ExpKind
    var info: Int = 0
    var aux: Int = 0
    /// Integer value or float bit pattern of a numeric literal.
    var bits: Int64 = 0
    /// Patch list of "exit when true".
    var t: Int = noJump
    /// Patch list of "exit when false".
    var f: Int = noJump

    init(_ k: ExpKind, _ info: Int = 0) {
        self.k = k
        self.info = info
    }

    static func integer(_ i: Int64) -> ExpDesc {
        var e = ExpDesc(.kint)
        e.bits = i
        return e
    }

    static func float(_ d: Double) -> ExpDesc {
        var e = ExpDesc(.kflt)
        e.bits = Int64(bitPattern: d.bitPattern)
        return e
    }

    @inline(__always) var ival: Int64 {
        get { bits }
        set { bits = newValue }
    }

    @inline(__always) var nval: Double {
        get { Double(bitPattern: UInt64(bitPattern: bits)) }
        set { bits = Int64(bitPattern: newValue.bitPattern) }
    }

    @inline(__always) var hasJumps: Bool { t != f }
}
