// The instruction set: encoding, opcodes and one line of semantics each.
//
// This file is the specification of Moonlet's bytecode, in the spirit of PUC-Rio's
// lopcodes.h. The compiler emits the same instruction sequences as luac 5.4 for the same
// source, so the VM can be modelled on lvm.c and `luac5.4 -l -l` serves as a golden test.
//
// All instructions are unsigned 32-bit integers. The low 7 bits hold the opcode; the
// other fields depend on the format:
//
//        3 3 2 2 2 2 2 2 2 2 2 2 1 1 1 1 1 1 1 1 1 1 0 0 0 0 0 0 0 0 0 0
//        1 0 9 8 7 6 5 4 3 2 1 0 9 8 7 6 5 4 3 2 1 0 9 8 7 6 5 4 3 2 1 0
// iABC         C(8)     |      B(8)     |k|     A(8)      |   Op(7)     |
// iABx               Bx(17)             |     A(8)      |   Op(7)     |
// iAsBx             sBx (signed)(17)    |     A(8)      |   Op(7)     |
// iAx                         Ax(25)                    |   Op(7)     |
// isJ                         sJ (signed)(25)           |   Op(7)     |
//
// Signed fields use excess-K encoding: sBx is stored as Bx + 65535, sJ as the unsigned field
// + 16777215, and the 8-bit sB/sC operands as the unsigned byte + 127.
//
// Notation below: R[x] is register x, K[x] constant x, RK(x) is K[x] when the k bit is set
// and R[x] otherwise; UpValue[x] is upvalue x; "pc++" skips the next instruction.
//
//  opcode       args      semantics
//  MOVE         A B       R[A] := R[B]
//  LOADI        A sBx     R[A] := sBx
//  LOADF        A sBx     R[A] := (float)sBx
//  LOADK        A Bx      R[A] := K[Bx]
//  LOADKX       A         R[A] := K[extra arg]  (next instruction is EXTRAARG)
//  LOADFALSE    A         R[A] := false
//  LFALSESKIP   A         R[A] := false; pc++
//  LOADTRUE     A         R[A] := true
//  LOADNIL      A B       R[A], R[A+1], ..., R[A+B] := nil
//  GETUPVAL     A B       R[A] := UpValue[B]
//  SETUPVAL     A B       UpValue[B] := R[A]
//  GETTABUP     A B C     R[A] := UpValue[B][K[C]:shortstring]
//  GETTABLE     A B C     R[A] := R[B][R[C]]
//  GETI         A B C     R[A] := R[B][C]
//  GETFIELD     A B C     R[A] := R[B][K[C]:shortstring]
//  SETTABUP     A B C k   UpValue[A][K[B]:shortstring] := RK(C)
//  SETTABLE     A B C k   R[A][R[B]] := RK(C)
//  SETI         A B C k   R[A][B] := RK(C)
//  SETFIELD     A B C k   R[A][K[B]:shortstring] := RK(C)
//  NEWTABLE     A B C k   R[A] := {} (B: log2(hash size)+1; C (+EXTRAARG*256 if k): array size)
//  SELF         A B C k   R[A+1] := R[B]; R[A] := R[B][RK(C):string]
//  ADDI         A B sC    R[A] := R[B] + sC
//  ADDK         A B C     R[A] := R[B] + K[C]:number
//  SUBK         A B C     R[A] := R[B] - K[C]:number
//  MULK         A B C     R[A] := R[B] * K[C]:number
//  MODK         A B C     R[A] := R[B] % K[C]:number
//  POWK         A B C     R[A] := R[B] ^ K[C]:number
//  DIVK         A B C     R[A] := R[B] / K[C]:number
//  IDIVK        A B C     R[A] := R[B] // K[C]:number
//  BANDK        A B C     R[A] := R[B] & K[C]:integer
//  BORK         A B C     R[A] := R[B] | K[C]:integer
//  BXORK        A B C     R[A] := R[B] ~ K[C]:integer
//  SHRI         A B sC    R[A] := R[B] >> sC
//  SHLI         A B sC    R[A] := sC << R[B]
//  ADD          A B C     R[A] := R[B] + R[C]
//  SUB          A B C     R[A] := R[B] - R[C]
//  MUL          A B C     R[A] := R[B] * R[C]
//  MOD          A B C     R[A] := R[B] % R[C]
//  POW          A B C     R[A] := R[B] ^ R[C]
//  DIV          A B C     R[A] := R[B] / R[C]
//  IDIV         A B C     R[A] := R[B] // R[C]
//  BAND         A B C     R[A] := R[B] & R[C]
//  BOR          A B C     R[A] := R[B] | R[C]
//  BXOR         A B C     R[A] := R[B] ~ R[C]
//  SHL          A B C     R[A] := R[B] << R[C]
//  SHR          A B C     R[A] := R[B] >> R[C]
//  MMBIN        A B C     call metamethod C over R[A] and R[B] (follows a failed arith op)
//  MMBINI       A sB C k  call metamethod C over R[A] and sB (k: operands were swapped)
//  MMBINK       A B C k   call metamethod C over R[A] and K[B] (k: operands were swapped)
//  UNM          A B       R[A] := -R[B]
//  BNOT         A B       R[A] := ~R[B]
//  NOT          A B       R[A] := not R[B]
//  LEN          A B       R[A] := #R[B]
//  CONCAT       A B       R[A] := R[A] .. ... .. R[A+B-1]
//  CLOSE        A         close all upvalues and to-be-closed variables >= R[A]
//  TBC          A         mark variable A "to be closed"
//  JMP          sJ        pc += sJ
//  EQ           A B k     if ((R[A] == R[B]) ~= k) then pc++
//  LT           A B k     if ((R[A] <  R[B]) ~= k) then pc++
//  LE           A B k     if ((R[A] <= R[B]) ~= k) then pc++
//  EQK          A B k     if ((R[A] == K[B]) ~= k) then pc++
//  EQI          A sB k    if ((R[A] == sB) ~= k) then pc++   (C: 1 if sB came from a float)
//  LTI          A sB k    if ((R[A] <  sB) ~= k) then pc++   (C: 1 if sB came from a float)
//  LEI          A sB k    if ((R[A] <= sB) ~= k) then pc++   (C: 1 if sB came from a float)
//  GTI          A sB k    if ((R[A] >  sB) ~= k) then pc++   (C: 1 if sB came from a float)
//  GEI          A sB k    if ((R[A] >= sB) ~= k) then pc++   (C: 1 if sB came from a float)
//  TEST         A k       if (not R[A] == k) then pc++
//  TESTSET      A B k     if (not R[B] == k) then pc++ else R[A] := R[B]
//  CALL         A B C     R[A], ..., R[A+C-2] := R[A](R[A+1], ..., R[A+B-1])  (B=0: to top; C=0: all)
//  TAILCALL     A B C k   return R[A](R[A+1], ..., R[A+B-1])  (k: close upvalues; C>0: vararg, C-1 params)
//  RETURN       A B C k   return R[A], ..., R[A+B-2]  (B=0: to top; k: close; C>0: vararg, C-1 params)
//  RETURN0                return
//  RETURN1      A         return R[A]
//  FORLOOP      A Bx      update counters; if loop continues then pc -= Bx
//  FORPREP      A Bx      check and prepare counters; if loop does not run then pc += Bx + 1
//  TFORPREP     A Bx      create to-be-closed upvalue for R[A+3]; pc += Bx
//  TFORCALL     A C       R[A+4], ..., R[A+3+C] := R[A](R[A+1], R[A+2])
//  TFORLOOP     A Bx      if R[A+4] ~= nil then { R[A+2] := R[A+4]; pc -= Bx }
//  SETLIST      A B C k   R[A][C+i] := R[A+i], 1 <= i <= B  (B=0: to top; k: C += EXTRAARG*256)
//  CLOSURE      A Bx      R[A] := closure(prototypes[Bx])
//  VARARG       A C       R[A], R[A+1], ..., R[A+C-2] = vararg  (C=0: all)
//  VARARGPREP   A         adjust vararg parameters (A: number of fixed parameters)
//  EXTRAARG     Ax        extra (larger) argument for the previous instruction
//
// Notes, as in lopcodes.h: a CALL/VARARG with C=0 (or a CALL/RETURN/SETLIST with B=0)
// sets/uses "top"; the instruction after a test (EQ..TESTSET) is always a JMP; MMBIN* always
// follows the arithmetic instruction whose fast path failed.

/// A Lua 5.4 opcode, numbered exactly as in PUC-Rio's `lopcodes.h`.
public enum LuaOpcode: UInt8, CaseIterable, Sendable {
    case move, loadI, loadF, loadK, loadKX, loadFalse, lFalseSkip, loadTrue, loadNil
    case getUpval, setUpval, getTabUp, getTable, getI, getField
    case setTabUp, setTable, setI, setField, newTable, `self`
    case addI, addK, subK, mulK, modK, powK, divK, idivK, bandK, borK, bxorK, shrI, shlI
    case add, sub, mul, mod, pow, div, idiv, band, bor, bxor, shl, shr
    case mmBin, mmBinI, mmBinK
    case unm, bnot, not, len, concat, close, tbc, jmp
    case eq, lt, le, eqK, eqI, ltI, leI, gtI, geI, test, testSet
    case call, tailCall, `return`, return0, return1
    case forLoop, forPrep, tForPrep, tForCall, tForLoop
    case setList, closure, vararg, varargPrep, extraArg

    /// The instruction format that decides how the operand bits are laid out.
    public enum Format: UInt8, Sendable { case iABC, iABx, iAsBx, iAx, isJ }

    /// The operand layout of this opcode.
    @inlinable public var format: Format {
        switch self {
        case .loadI, .loadF: return .iAsBx
        case .loadK, .loadKX, .forLoop, .forPrep, .tForPrep, .tForLoop, .closure: return .iABx
        case .jmp: return .isJ
        case .extraArg: return .iAx
        default: return .iABC
        }
    }

    /// Whether the instruction is a test whose next instruction must be a jump.
    @inlinable public var isTest: Bool {
        switch self {
        case .eq, .lt, .le, .eqK, .eqI, .ltI, .leI, .gtI, .geI, .test, .testSet: return true
        default: return false
        }
    }

    /// The name `luac` prints for this opcode.
    public var name: String { LuaOpcode.names[Int(rawValue)] }

    static let names: [String] = [
        "MOVE", "LOADI", "LOADF", "LOADK", "LOADKX", "LOADFALSE", "LFALSESKIP", "LOADTRUE",
        "LOADNIL", "GETUPVAL", "SETUPVAL", "GETTABUP", "GETTABLE", "GETI", "GETFIELD",
        "SETTABUP", "SETTABLE", "SETI", "SETFIELD", "NEWTABLE", "SELF", "ADDI", "ADDK", "SUBK",
        "MULK", "MODK", "POWK", "DIVK", "IDIVK", "BANDK", "BORK", "BXORK", "SHRI", "SHLI",
        "ADD", "SUB", "MUL", "MOD", "POW", "DIV", "IDIV", "BAND", "BOR", "BXOR", "SHL", "SHR",
        "MMBIN", "MMBINI", "MMBINK", "UNM", "BNOT", "NOT", "LEN", "CONCAT", "CLOSE", "TBC",
        "JMP", "EQ", "LT", "LE", "EQK", "EQI", "LTI", "LEI", "GTI", "GEI", "TEST", "TESTSET",
        "CALL", "TAILCALL", "RETURN", "RETURN0", "RETURN1", "FORLOOP", "FORPREP", "TFORPREP",
        "TFORCALL", "TFORLOOP", "SETLIST", "CLOSURE", "VARARG", "VARARGPREP", "EXTRAARG",
    ]
}

/// One 32-bit Lua instruction with field accessors for every format.
///
/// Accessors do no checking: reading `b` of an iABx instruction returns whatever bits are
/// there, exactly like the C macros, so the VM's decode stays branch-free.
@frozen
public struct LuaInstruction: Hashable, Sendable {
    /// The encoded instruction.
    public var raw: UInt32

    public static let maxA = 255
    public static let maxB = 255
    public static let maxC = 255
    public static let maxBx = (1 << 17) - 1
    public static let maxAx = (1 << 25) - 1
    public static let maxSJ = (1 << 25) - 1
    /// The excess-K offset of the sBx field.
    public static let offsetSBx = maxBx >> 1
    /// The excess-K offset of the sJ field.
    public static let offsetSJ = maxSJ >> 1
    /// The excess-K offset of the sB and sC fields.
    public static let offsetSC = maxC >> 1

    /// Wraps an encoded instruction.
    @inlinable public init(raw: UInt32) { self.raw = raw }

    /// Encodes an iABC instruction.
    @inlinable public init(_ op: LuaOpcode, a: Int, b: Int, c: Int, k: Bool = false) {
        raw = UInt32(op.rawValue) | UInt32(truncatingIfNeeded: a) << 7
            | (k ? 1 << 15 : 0) | UInt32(truncatingIfNeeded: b & 0xFF) << 16
            | UInt32(truncatingIfNeeded: c & 0xFF) << 24
    }

    /// Encodes an iABx instruction.
    @inlinable public init(_ op: LuaOpcode, a: Int, bx: Int) {
        raw = UInt32(op.rawValue) | UInt32(truncatingIfNeeded: a & 0xFF) << 7
            | UInt32(truncatingIfNeeded: bx & 0x1FFFF) << 15
    }

    /// Encodes an iAsBx instruction.
    @inlinable public init(_ op: LuaOpcode, a: Int, sbx: Int) {
        self.init(op, a: a, bx: sbx + LuaInstruction.offsetSBx)
    }

    /// Encodes an iAx instruction.
    @inlinable public init(_ op: LuaOpcode, ax: Int) {
        raw = UInt32(op.rawValue) | UInt32(truncatingIfNeeded: ax & 0x1FF_FFFF) << 7
    }

    /// Encodes an isJ instruction.
    @inlinable public init(_ op: LuaOpcode, sj: Int) {
        raw = UInt32(op.rawValue) | UInt32(truncatingIfNeeded: (sj + LuaInstruction.offsetSJ) & 0x1FF_FFFF) << 7
    }

    /// The opcode byte (low 7 bits); may be out of range for a malformed instruction.
    @inlinable public var opcodeByte: UInt8 { UInt8(truncatingIfNeeded: raw & 0x7F) }
    /// The opcode, or nil when the low 7 bits are not a valid opcode.
    @inlinable public var opcode: LuaOpcode? { LuaOpcode(rawValue: opcodeByte) }
    @inlinable public var a: Int { Int((raw >> 7) & 0xFF) }
    @inlinable public var k: Bool { (raw >> 15) & 1 != 0 }
    @inlinable public var b: Int { Int((raw >> 16) & 0xFF) }
    @inlinable public var c: Int { Int(raw >> 24) }
    @inlinable public var sb: Int { b - LuaInstruction.offsetSC }
    @inlinable public var sc: Int { c - LuaInstruction.offsetSC }
    @inlinable public var bx: Int { Int(raw >> 15) }
    @inlinable public var sbx: Int { bx - LuaInstruction.offsetSBx }
    @inlinable public var ax: Int { Int(raw >> 7) }
    @inlinable public var sj: Int { Int(raw >> 7) - LuaInstruction.offsetSJ }

    @inlinable mutating func setOpcode(_ op: LuaOpcode) { raw = (raw & ~0x7F) | UInt32(op.rawValue) }
    @inlinable mutating func setA(_ v: Int) { raw = (raw & ~(0xFF << 7)) | UInt32(v & 0xFF) << 7 }
    @inlinable mutating func setB(_ v: Int) { raw = (raw & ~(0xFF << 16)) | UInt32(v & 0xFF) << 16 }
    @inlinable mutating func setC(_ v: Int) { raw = (raw & ~(0xFF << 24)) | UInt32(v & 0xFF) << 24 }
    @inlinable mutating func setK(_ v: Bool) { raw = (raw & ~(1 << 15)) | (v ? 1 << 15 : 0) }
    @inlinable mutating func setBx(_ v: Int) { raw = (raw & 0x7FFF) | UInt32(v & 0x1FFFF) << 15 }
    @inlinable mutating func setSJ(_ v: Int) {
        raw = (raw & 0x7F) | UInt32((v + LuaInstruction.offsetSJ) & 0x1FF_FFFF) << 7
    }
}

/// Metamethod events in PUC's `TMS` order; MMBIN* instructions carry one in their C field.
enum LuaMetaEvent: Int {
    case index, newindex, gc, mode, len, eq, add, sub, mul, mod, pow, div, idiv
    case band, bor, bxor, shl, shr, unm, bnot, lt, le, concat, call, close

    static let names = [
        "__index", "__newindex", "__gc", "__mode", "__len", "__eq", "__add", "__sub", "__mul",
        "__mod", "__pow", "__div", "__idiv", "__band", "__bor", "__bxor", "__shl", "__shr",
        "__unm", "__bnot", "__lt", "__le", "__concat", "__call", "__close",
    ]
}
