// Direction 5 of issue 11, measured on a toy: one `switch` loop against handlers that end in a
// tail call to the next handler (direct threading, as WasmKit's register machine), over 16-byte
// tagged values like LuaValue. Eight opcodes run an 11-instruction loop (array read, two adds,
// array write, two immediate adds, two compare-and-skips, a jump); the other 120 opcodes exist
// so that the switch has a full-size jump table and no range check, as the interpreter's does.
//
//   swiftc -O dispatch.swift -o /tmp/dispatch && /tmp/dispatch switch 200000000
//   /tmp/dispatch threaded 200000000      (prints the same checksum)
//
// Results and what they mean: papers/luacore-vm.md, "Direction 5 measured".

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

// SAFETY: the code, register and table pointers below come from buffers this file allocates
// (16 registers, 1,024 table slots, the code array for the duration of the run); the program
// it runs only names registers 0-7, table slots `0..<1000` (R5 wraps at R7 = 1000) and
// jumps inside its own code, so every access stays in bounds. A toy, not a pattern.
struct Value { var bits: Int64; var tag: UInt8 }
typealias Code = UnsafePointer<UInt32>
typealias Registers = UnsafeMutablePointer<Value>

@inline(__always) func argA(_ i: UInt32) -> Int { Int((i >> 7) & 0xFF) }
@inline(__always) func argB(_ i: UInt32) -> Int { Int((i >> 16) & 0xFF) }
@inline(__always) func argC(_ i: UInt32) -> Int { Int(i >> 24) }
@inline(__always) func argSBx(_ i: UInt32) -> Int { Int(i >> 15) - 65535 }

/// loadI: R[A] = sBx; add: R[A] = R[B] + R[C]; skipLess: skip the next instruction if
/// R[A] < R[B]; jmp: pc += sBx; halt: return R[A]; getI/setI: R[A] = T[R[B]] / T[R[B]] = R[A];
/// addI: R[A] = R[B] + C. The rest are never executed.
enum Op: UInt8 {
    case loadI, add, skipLess, jmp, halt, getI, setI, addI
    case u8, u9, u10, u11, u12, u13, u14, u15, u16, u17, u18, u19, u20, u21, u22, u23, u24, u25, u26, u27, u28, u29, u30, u31, u32, u33, u34, u35, u36, u37, u38, u39, u40, u41, u42, u43, u44, u45, u46, u47, u48, u49, u50, u51, u52, u53, u54, u55, u56, u57, u58, u59, u60, u61, u62, u63, u64, u65, u66, u67, u68, u69, u70, u71, u72, u73, u74, u75, u76, u77, u78, u79, u80, u81, u82, u83, u84, u85, u86, u87, u88, u89, u90, u91, u92, u93, u94, u95, u96, u97, u98, u99, u100, u101, u102, u103, u104, u105, u106, u107, u108, u109, u110, u111, u112, u113, u114, u115, u116, u117, u118, u119, u120, u121, u122, u123, u124, u125, u126, u127
}

let integer: UInt8 = 3

@inline(never) func slowPath(_ x: Int) -> Int { print("slow path", x); return x }

@inline(never)
func runSwitch(_ code: Code, _ r: Registers, _ table: Registers) -> Int64 {
    var pc = code
    while true {
        let i = pc.pointee
        pc += 1
        let a = argA(i)
        switch unsafeBitCast(UInt8(truncatingIfNeeded: i & 0x7F), to: Op.self) {
        case .loadI: r[a] = Value(bits: Int64(argSBx(i)), tag: integer)
        case .add:
            let x = r + argB(i), y = r + argC(i)
            if x.pointee.tag == integer && y.pointee.tag == integer {
                r[a] = Value(bits: x.pointee.bits &+ y.pointee.bits, tag: integer)
            } else { _ = slowPath(1) }
        case .addI:
            let x = r + argB(i)
            if x.pointee.tag == integer { r[a] = Value(bits: x.pointee.bits &+ Int64(argC(i)), tag: integer) }
            else { _ = slowPath(2) }
        case .skipLess:
            let x = r + a, y = r + argB(i)
            if x.pointee.tag == integer && y.pointee.tag == integer { if x.pointee.bits < y.pointee.bits { pc += 1 } }
            else { _ = slowPath(3) }
        case .jmp: pc += argSBx(i)
        case .halt: return r[a].bits
        case .getI:
            let x = r + argB(i)
            if x.pointee.tag == integer { r[a] = table[Int(x.pointee.bits)] } else { _ = slowPath(4) }
        case .setI:
            let x = r + argB(i)
            if x.pointee.tag == integer { table[Int(x.pointee.bits)] = r[a] } else { _ = slowPath(5) }
        default: r[a] = Value(bits: Int64(slowPath(Int(i))), tag: integer)
        }
    }
}

// Threaded: every handler ends by calling the next one in tail position, which LLVM turns into
// `jmp *%rax` (checked with objdump). A slow path is itself a tail call, so that the fast path
// calls nothing and saves no callee-saved registers.
typealias Handler = @convention(thin) (Code, Registers, Registers, UnsafeRawPointer) -> Int64

@inline(__always) func next(_ pc: Code, _ r: Registers, _ t: Registers, _ h: UnsafeRawPointer) -> Int64 {
    h.load(fromByteOffset: Int(pc.pointee & 0x7F) &* 8, as: Handler.self)(pc, r, t, h)
}
@inline(never) func slowThenNext(_ x: Int, _ pc: Code, _ r: Registers, _ t: Registers, _ h: UnsafeRawPointer) -> Int64 {
    _ = slowPath(x)
    return next(pc + 1, r, t, h)
}
func hLoadI(_ pc: Code, _ r: Registers, _ t: Registers, _ h: UnsafeRawPointer) -> Int64 {
    let i = pc.pointee
    r[argA(i)] = Value(bits: Int64(argSBx(i)), tag: integer)
    return next(pc + 1, r, t, h)
}
func hAdd(_ pc: Code, _ r: Registers, _ t: Registers, _ h: UnsafeRawPointer) -> Int64 {
    let i = pc.pointee
    let x = r + argB(i), y = r + argC(i)
    if x.pointee.tag == integer && y.pointee.tag == integer {
        r[argA(i)] = Value(bits: x.pointee.bits &+ y.pointee.bits, tag: integer)
        return next(pc + 1, r, t, h)
    }
    return slowThenNext(1, pc, r, t, h)
}
func hAddI(_ pc: Code, _ r: Registers, _ t: Registers, _ h: UnsafeRawPointer) -> Int64 {
    let i = pc.pointee
    let x = r + argB(i)
    if x.pointee.tag == integer {
        r[argA(i)] = Value(bits: x.pointee.bits &+ Int64(argC(i)), tag: integer)
        return next(pc + 1, r, t, h)
    }
    return slowThenNext(2, pc, r, t, h)
}
func hSkipLess(_ pc: Code, _ r: Registers, _ t: Registers, _ h: UnsafeRawPointer) -> Int64 {
    let i = pc.pointee
    let x = r + argA(i), y = r + argB(i)
    if x.pointee.tag == integer && y.pointee.tag == integer {
        return next(pc + (x.pointee.bits < y.pointee.bits ? 2 : 1), r, t, h)
    }
    return slowThenNext(3, pc, r, t, h)
}
func hJmp(_ pc: Code, _ r: Registers, _ t: Registers, _ h: UnsafeRawPointer) -> Int64 {
    next(pc + 1 + argSBx(pc.pointee), r, t, h)
}
func hHalt(_ pc: Code, _ r: Registers, _ t: Registers, _ h: UnsafeRawPointer) -> Int64 { r[argA(pc.pointee)].bits }
func hGetI(_ pc: Code, _ r: Registers, _ t: Registers, _ h: UnsafeRawPointer) -> Int64 {
    let i = pc.pointee
    let x = r + argB(i)
    if x.pointee.tag == integer {
        r[argA(i)] = t[Int(x.pointee.bits)]
        return next(pc + 1, r, t, h)
    }
    return slowThenNext(4, pc, r, t, h)
}
func hSetI(_ pc: Code, _ r: Registers, _ t: Registers, _ h: UnsafeRawPointer) -> Int64 {
    let i = pc.pointee
    let x = r + argB(i)
    if x.pointee.tag == integer {
        t[Int(x.pointee.bits)] = r[argA(i)]
        return next(pc + 1, r, t, h)
    }
    return slowThenNext(5, pc, r, t, h)
}
func hUnused(_ pc: Code, _ r: Registers, _ t: Registers, _ h: UnsafeRawPointer) -> Int64 {
    let i = pc.pointee
    r[argA(i)] = Value(bits: Int64(slowPath(Int(i))), tag: integer)
    return next(pc + 1, r, t, h)
}

func instruction(_ op: Op, _ a: Int, _ b: Int = 0, _ c: Int = 0) -> UInt32 {
    UInt32(op.rawValue) | UInt32(a) << 7 | UInt32(b) << 16 | UInt32(c) << 24
}
func instruction(_ op: Op, _ a: Int, sBx: Int) -> UInt32 {
    UInt32(op.rawValue) | UInt32(a) << 7 | UInt32(sBx + 65535) << 15
}

// R0 = i, R1 = n, R2 = sum, R5 = slot, R7 = 1000:
//   loop: R4 = T[R5]; R2 = R2 + R4; R6 = R2 + R0; T[R5] = R6; R0 = R0 + 1; R5 = R5 + 1
//         if R5 < R7 skip; R5 = 0; if R0 < R1 skip; halt R2; jmp loop
let arguments = CommandLine.arguments
guard arguments.count == 3, let n = Int64(arguments[2]), arguments[1] == "switch" || arguments[1] == "threaded" else {
    print("usage: dispatch switch|threaded <iterations>")
    exit(2)
}
let code: [UInt32] = [
    instruction(.loadI, 0, sBx: 0), instruction(.addI, 1, 1, 0), instruction(.loadI, 2, sBx: 0),
    instruction(.loadI, 5, sBx: 0), instruction(.loadI, 7, sBx: 1000),
    instruction(.getI, 4, 5), instruction(.add, 2, 2, 4), instruction(.add, 6, 2, 0), instruction(.setI, 6, 5),
    instruction(.addI, 0, 0, 1), instruction(.addI, 5, 5, 1),
    instruction(.skipLess, 5, 7), instruction(.loadI, 5, sBx: 0),
    instruction(.skipLess, 0, 1), instruction(.halt, 2), instruction(.jmp, 0, sBx: -11),
]
let registers = Registers.allocate(capacity: 16)
registers.initialize(repeating: Value(bits: 0, tag: integer), count: 16)
registers[1] = Value(bits: n, tag: integer)
let table = Registers.allocate(capacity: 1024)
table.initialize(repeating: Value(bits: 1, tag: integer), count: 1024)
var handlers = [Handler](repeating: hUnused, count: 128)
handlers[Int(Op.loadI.rawValue)] = hLoadI
handlers[Int(Op.add.rawValue)] = hAdd
handlers[Int(Op.skipLess.rawValue)] = hSkipLess
handlers[Int(Op.jmp.rawValue)] = hJmp
handlers[Int(Op.halt.rawValue)] = hHalt
handlers[Int(Op.getI.rawValue)] = hGetI
handlers[Int(Op.setI.rawValue)] = hSetI
handlers[Int(Op.addI.rawValue)] = hAddI
let result: Int64 = code.withUnsafeBufferPointer { c in
    handlers.withUnsafeBufferPointer { h in
        arguments[1] == "switch" ? runSwitch(c.baseAddress!, registers, table)
                                 : next(c.baseAddress!, registers, table, UnsafeRawPointer(h.baseAddress!))
    }
}
print(result)
