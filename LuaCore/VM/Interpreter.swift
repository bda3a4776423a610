import GCArena

// The interpreter loop (PUC's luaV_execute), dispatch only: each opcode's fast path is
// here; everything that can call a metamethod, raise an error or allocate much is an
// `@inline(never)` slow path in an Interpreter+*.swift file.
//
// Hot state lives in locals: `pc` (a pointer to the next instruction, as PUC's `savedpc`),
// `base` (the register pointer) and `fuel`; constants and upvalues are read through the
// frame, which spares registers for the loop. Hazard points are named as in lvm.c:
// - savePC: store `pc` into the frame, as an index, before anything that can raise or call
//   out (`savedPC`);
// - reload: after anything that can move the stack (calls, stack growth), recompute
//   `base` from the frame.
// No ARC, existentials or class property accesses happen on the fast paths (checked by
// Scripts/check-no-arc.sh on the release binary).

@inline(__always) func argA(_ i: UInt32) -> Int { Int((i >> 7) & 0xFF) }
@inline(__always) func argB(_ i: UInt32) -> Int { Int((i >> 16) & 0xFF) }
@inline(__always) func argC(_ i: UInt32) -> Int { Int(i >> 24) }
@inline(__always) func argK(_ i: UInt32) -> Bool { i & (1 << 15) != 0 }
@inline(__always) func argBx(_ i: UInt32) -> Int { Int(i >> 15) }
@inline(__always) func argSBx(_ i: UInt32) -> Int { Int(i >> 15) - 65535 }
@inline(__always) func argSJ(_ i: UInt32) -> Int { Int(i >> 7) - 16_777_215 }
@inline(__always) func argSB(_ i: UInt32) -> Int { argB(i) - 127 }
@inline(__always) func argSC(_ i: UInt32) -> Int { argC(i) - 127 }
@inline(__always) func argAx(_ i: UInt32) -> Int { Int(i >> 7) }

/// The opcode of instruction `i`.
@inline(__always) func opcode(_ i: UInt32) -> LuaOpcode {
    // SAFETY: the loader checks every opcode is below LuaOpcode.allCases.count, and
    // LuaOpcode's raw values are 0..<count in declaration order.
    unsafeBitCast(UInt8(truncatingIfNeeded: i & 0x7F), to: LuaOpcode.self)
}

/// The frame's `pc` index for the instruction pointer `pc` into its code.
///
/// A truncating conversion: a prototype's code is an array whose every instruction the
/// compiler emitted or the loader read, so its length is far below `Int32.max`.
@inline(__always)
func savedPC(_ pc: UnsafeMutablePointer<UInt32>, _ frame: UnsafeMutablePointer<CallFrame>) -> Int32 {
    Int32(truncatingIfNeeded: codeIndex(pc, frame))
}

/// The index of `pc` in its frame's code: a shift of the byte distance (`pc` never lies
/// below the code, so the signed division `-` would do, and its rounding fix, are not needed).
@inline(__always)
func codeIndex(_ pc: UnsafeMutablePointer<UInt32>, _ frame: UnsafeMutablePointer<CallFrame>) -> Int {
    Int(bitPattern: (UInt(bitPattern: pc) &- UInt(bitPattern: frame.pointee.code.unsafelyUnwrapped)) &>> 2)
}

/// Where a taken conditional jump lands: past the JMP that follows the test, at its target.
/// In the fast loop a backward jump (the condition of `repeat ... until`) lands on that JMP
/// instead, which then charges the loop's fuel; the stepping loop follows it at once, as PUC
/// does, so a count hook sees the test and the jump as one instruction.
@inline(__always)
func conditionalJump(_ pc: UnsafeMutablePointer<UInt32>, stepping: Bool) -> UnsafeMutablePointer<UInt32> {
    let sj = argSJ(pc.pointee)
    return stepping || sj >= 0 ? pc + (sj &+ 1) : pc
}

extension VM {
    /// The interpreter loop for ordinary runs: fuel is charged at back edges, calls and
    /// returns (see ``interpret(fuel:stepping:hooksChecked:)``).
    @inline(never)
    mutating func interpretFast(fuel: inout Int, hooksChecked: Bool) throws(LuaError) -> ExecResult? {
        try interpret(fuel: &fuel, stepping: false, hooksChecked: hooksChecked)
    }

    /// The interpreter loop while a line or count hook single-steps: one unit of fuel per
    /// instruction, so every instruction can end the step.
    @inline(never)
    mutating func interpretStepping(fuel: inout Int, hooksChecked: Bool) throws(LuaError) -> ExecResult? {
        try interpret(fuel: &fuel, stepping: true, hooksChecked: hooksChecked)
    }

    /// The interpreter loop behind ``execute(fuel:)``, in one of two instances.
    ///
    /// Fuel measures work in instructions. The stepping instance charges one unit per
    /// instruction, as a count hook needs. The fast instance has no per-instruction check:
    /// a backward jump (JMP, FORLOOP, TFORLOOP) charges the length of the loop body it
    /// closes, a call one unit, a return the returning function's instructions up to the
    /// RETURN, and every pass through the outer loop one unit; the loop pauses at the first
    /// of these that finds the fuel spent. Between two such points the loop runs forward
    /// through one function's code, so after the fuel runs out at most one function's length
    /// of instructions runs before the pause (a length fixed by the chunk that defined the
    /// function; in practice a few hundred).
    ///
    /// Returns nil when the other instance must take over: a line or count hook started
    /// or ended single-stepping. The instance taking over is told `hooksChecked`, so its
    /// first pass runs the frame `hookCheck` decided on instead of deciding (and firing)
    /// again.
    @inline(__always)
    mutating func interpret(fuel fuelSlot: inout Int, stepping: Bool, hooksChecked: Bool) throws(LuaError) -> ExecResult? {
        // A local copy whose address never escapes, so it lives in a register.
        var fuel = fuelSlot
        defer { fuelSlot = fuel }
        var hooksChecked = hooksChecked
        // A local copy, in a register: `self` is passed by reference (the loop can move to
        // another thread at a coroutine switch, `switchThreads`), and the global state never changes.
        let g = self.g
        outer: while true {
            let th = self.th
            if _slowPath(hooksChecked) {
                hooksChecked = false
            } else if _slowPath(g.pointee.slowPathFlags != 0) {
                if g.pointee.returnToHost { return .paused }
                var hookFuel = fuel
                let step = try hookCheck(fuel: &hookFuel)
                fuel = hookFuel
                switch step {
                case .proceed: break
                case .run: continue outer
                case .paused: return .paused
                }
            }
            if _slowPath((g.pointee.slowPathFlags & LuaGlobalState.hookStepBit != 0) != stepping) { return nil }
            if _slowPath(g.pointee.pendingFuelCharge != 0) {
                // Work host functions reported with `chargeFuel`.
                let charge = g.pointee.pendingFuelCharge
                fuel = charge >= fuel ? -1 : fuel - charge
                g.pointee.pendingFuelCharge = 0
                if fuel < 0 { return .paused }
            }
            if !stepping {
                fuel &-= 1
                if _slowPath(fuel < 0) { return .paused }
            }
            var frame = th.currentFrame
            if !frame.pointee.isLua {
                var sequenceFuel = fuel
                let next = frame.pointee.flags & CallFrame.Flag.sequence != 0
                    ? try pollSequence(fuel: &sequenceFuel) : try runHostFrame()
                fuel = sequenceFuel
                switch next {
                case .run: continue outer
                case .exit(let r):
                    if let r = try switchThreads(r) { return r }
                    continue outer
                }
            }
            // Constants and upvalues are read through the frame (one load) to spare registers.
            // Lua-to-Lua calls and returns switch these in place (`enterTop`) without leaving
            // the inner loop, as PUC's `goto startfunc`/`goto ret`; anything unusual (a hook, a
            // request to return to the host, a host frame) goes round the outer loop instead.
            var base = th.pointee.stack + Int(frame.pointee.base)
            var pc = frame.pointee.code.unsafelyUnwrapped + Int(frame.pointee.pc)

            while true {
                if stepping {
                    fuel &-= 1
                    if _slowPath(fuel < 0) {
                        frame.pointee.pc = savedPC(pc, frame)
                        // A hook single-step ends here (see Debug+Hooks.swift).
                        if g.pointee.slowPathFlags & LuaGlobalState.hookStepBit != 0 { continue outer }
                        return .paused
                    }
                }
                let i = pc.pointee
                pc += 1
                let a = argA(i)
                // The slow paths decode the opcode from `i` themselves, so the loop keeps no
                // second copy of it.
                switch opcode(i) {
                case .move:
                    base[a] = base[argB(i)]
                case .loadI:
                    base[a] = LuaValue(Int64(argSBx(i)))
                case .loadF:
                    base[a] = LuaValue(Double(argSBx(i)))
                case .loadK:
                    base[a] = frame.pointee.constants.unsafelyUnwrapped[argBx(i)]
                case .loadKX:
                    base[a] = frame.pointee.constants.unsafelyUnwrapped[argAx(pc.pointee)]
                    pc += 1
                case .loadFalse:
                    base[a] = .false
                case .lFalseSkip:
                    base[a] = .false
                    pc += 1
                case .loadTrue:
                    base[a] = .true
                case .loadNil:
                    for j in 0...argB(i) { base[a + j] = .nil }
                case .getUpval:
                    base[a] = frame.pointee.upvalues.unsafelyUnwrapped[argB(i)].value.location.pointee
                case .setUpval:
                    let uv = frame.pointee.upvalues.unsafelyUnwrapped[argB(i)]
                    uv.value.location.pointee = base[a]
                    upvalueBarrier(uv)
                case .getTabUp:
                    let t = frame.pointee.upvalues.unsafelyUnwrapped[argB(i)].value.location.pointee
                    let key = frame.pointee.constants.unsafelyUnwrapped[argC(i)]
                    if t.tag == .table {
                        let v = t.table.get(shortString: key.string)
                        if !v.isNil { base[a] = v; continue }
                    }
                    frame.pointee.pc = savedPC(pc, frame)
                    if try index(t, key, into: a, frame) { continue outer }
                case .getTable:
                    let t = base[argB(i)]
                    let key = base[argC(i)]
                    if t.tag == .table {
                        let v = key.tag == .integer ? t.table.get(integer: key.integer) : t.table.get(key)
                        if !v.isNil { base[a] = v; continue }
                    }
                    frame.pointee.pc = savedPC(pc, frame)
                    if try index(t, key, into: a, frame) { continue outer }
                case .getI:
                    let t = base[argB(i)]
                    if t.tag == .table {
                        let v = t.table.get(integer: Int64(argC(i)))
                        if !v.isNil { base[a] = v; continue }
                    }
                    frame.pointee.pc = savedPC(pc, frame)
                    if try index(t, LuaValue(Int64(argC(i))), into: a, frame) { continue outer }
                case .getField:
                    let t = base[argB(i)]
                    let key = frame.pointee.constants.unsafelyUnwrapped[argC(i)]
                    if t.tag == .table {
                        let v = t.table.get(shortString: key.string)
                        if !v.isNil { base[a] = v; continue }
                    }
                    frame.pointee.pc = savedPC(pc, frame)
                    if try index(t, key, into: a, frame) { continue outer }
                case .setTabUp:
                    let t = frame.pointee.upvalues.unsafelyUnwrapped[a].value.location.pointee
                    let key = frame.pointee.constants.unsafelyUnwrapped[argB(i)]
                    let v = argK(i) ? frame.pointee.constants.unsafelyUnwrapped[argC(i)] : base[argC(i)]
                    if t.tag == .table, let slot = t.table.slotForExisting(shortString: key.string) {
                        slot.pointee = v
                        mc.backwardBarrier(t.object)
                        continue
                    }
                    frame.pointee.pc = savedPC(pc, frame)
                    if try newIndex(t, key, v, frame) { continue outer }
                case .setTable:
                    let t = base[a]
                    let key = base[argB(i)]
                    let v = argK(i) ? frame.pointee.constants.unsafelyUnwrapped[argC(i)] : base[argC(i)]
                    if t.tag == .table {
                        let slot = key.tag == .integer ? t.table.slotForStore(integer: key.integer)
                                                       : t.table.slotForExisting(key)
                        if let slot {
                            slot.pointee = v
                            mc.backwardBarrier(t.object)
                            continue
                        }
                    }
                    frame.pointee.pc = savedPC(pc, frame)
                    if try newIndex(t, key, v, frame) { continue outer }
                case .setI:
                    let t = base[a]
                    let v = argK(i) ? frame.pointee.constants.unsafelyUnwrapped[argC(i)] : base[argC(i)]
                    if t.tag == .table, let slot = t.table.slotForStore(integer: Int64(argB(i))) {
                        slot.pointee = v
                        mc.backwardBarrier(t.object)
                        continue
                    }
                    frame.pointee.pc = savedPC(pc, frame)
                    if try newIndex(t, LuaValue(Int64(argB(i))), v, frame) { continue outer }
                case .setField:
                    let t = base[a]
                    let key = frame.pointee.constants.unsafelyUnwrapped[argB(i)]
                    let v = argK(i) ? frame.pointee.constants.unsafelyUnwrapped[argC(i)] : base[argC(i)]
                    if t.tag == .table, let slot = t.table.slotForExisting(shortString: key.string) {
                        slot.pointee = v
                        mc.backwardBarrier(t.object)
                        continue
                    }
                    frame.pointee.pc = savedPC(pc, frame)
                    if try newIndex(t, key, v, frame) { continue outer }
                case .newTable:
                    frame.pointee.pc = savedPC(pc, frame)
                    var arraySize = argC(i)
                    if argK(i) { arraySize += argAx(pc.pointee) * 256 }
                    let b = argB(i)
                    pc += 1
                    base[a] = try newTable(arraySize: arraySize, hashSize: b > 0 ? 1 << (b - 1) : 0,
                                           at: Int(frame.pointee.base) + a, frame)
                case .self:
                    let t = base[argB(i)]
                    let key = argK(i) ? frame.pointee.constants.unsafelyUnwrapped[argC(i)] : base[argC(i)]
                    base[a + 1] = t
                    if t.tag == .table {
                        let v = t.table.get(key)
                        if !v.isNil { base[a] = v; continue }
                    }
                    frame.pointee.pc = savedPC(pc, frame)
                    if try index(t, key, into: a, frame) { continue outer }

                // MARK: Arithmetic with an immediate or a constant
                case .addI:
                    let x = base + argB(i)
                    let imm = argSC(i)
                    if x.pointee.tag == .integer { base[a] = LuaValue(x.pointee.integer &+ Int64(imm)); pc += 1 }
                    else if x.pointee.tag == .float { base[a] = LuaValue(x.pointee.float + Double(imm)); pc += 1 }
                case .addK:
                    let x = base + argB(i), y = frame.pointee.constants.unsafelyUnwrapped + argC(i)
                    if x.pointee.tag == .integer && y.pointee.tag == .integer { base[a] = LuaValue(x.pointee.integer &+ y.pointee.integer); pc += 1 }
                    else if let d = LuaVM.floats(x, y) { base[a] = LuaValue(d.0 + d.1); pc += 1 }
                case .subK:
                    let x = base + argB(i), y = frame.pointee.constants.unsafelyUnwrapped + argC(i)
                    if x.pointee.tag == .integer && y.pointee.tag == .integer { base[a] = LuaValue(x.pointee.integer &- y.pointee.integer); pc += 1 }
                    else if let d = LuaVM.floats(x, y) { base[a] = LuaValue(d.0 - d.1); pc += 1 }
                case .mulK:
                    let x = base + argB(i), y = frame.pointee.constants.unsafelyUnwrapped + argC(i)
                    if x.pointee.tag == .integer && y.pointee.tag == .integer { base[a] = LuaValue(x.pointee.integer &* y.pointee.integer); pc += 1 }
                    else if let d = LuaVM.floats(x, y) { base[a] = LuaValue(d.0 * d.1); pc += 1 }
                case .divK:
                    if let d = LuaVM.floats(base + argB(i), frame.pointee.constants.unsafelyUnwrapped + argC(i)) { base[a] = LuaValue(d.0 / d.1); pc += 1 }
                case .modK:
                    let x = base[argB(i)], y = frame.pointee.constants.unsafelyUnwrapped[argC(i)]
                    if x.tag == .integer && y.tag == .integer && y.integer > 0 {
                        // Positive divisor (the common case): floor modulo is the truncated
                        // remainder shifted into [0, y).
                        let r = x.integer % y.integer
                        base[a] = LuaValue(r < 0 ? r &+ y.integer : r); pc += 1
                    } else {
                        // savePC: Lua 5.4.6 saves the pc in case of a division by zero, so
                        // the error carries this line (5.4.4 gave the last saved one's).
                        frame.pointee.pc = savedPC(pc, frame)
                        if let r = try arith(i, x, y) { base[a] = r; pc += 1 }
                    }
                case .idivK:
                    let x = base[argB(i)], y = frame.pointee.constants.unsafelyUnwrapped[argC(i)]
                    if x.tag == .integer && y.tag == .integer && y.integer > 0 {
                        // Floor division by a positive divisor: truncate, then round down.
                        let q = x.integer / y.integer
                        base[a] = LuaValue((x.integer % y.integer < 0) ? q &- 1 : q); pc += 1
                    } else {
                        frame.pointee.pc = savedPC(pc, frame)  // savePC (division by zero, as 5.4.6)
                        if let r = try arith(i, x, y) { base[a] = r; pc += 1 }
                    }
                case .powK:
                    if let r = try arith(i, base[argB(i)], frame.pointee.constants.unsafelyUnwrapped[argC(i)]) { base[a] = r; pc += 1 }
                case .bandK:
                    let x = base[argB(i)], y = frame.pointee.constants.unsafelyUnwrapped[argC(i)]
                    if x.tag == .integer && y.tag == .integer { base[a] = LuaValue(x.integer & y.integer); pc += 1 }
                    else if let r = bitwise(i, x, y) { base[a] = r; pc += 1 }
                case .borK:
                    let x = base[argB(i)], y = frame.pointee.constants.unsafelyUnwrapped[argC(i)]
                    if x.tag == .integer && y.tag == .integer { base[a] = LuaValue(x.integer | y.integer); pc += 1 }
                    else if let r = bitwise(i, x, y) { base[a] = r; pc += 1 }
                case .bxorK:
                    let x = base[argB(i)], y = frame.pointee.constants.unsafelyUnwrapped[argC(i)]
                    if x.tag == .integer && y.tag == .integer { base[a] = LuaValue(x.integer ^ y.integer); pc += 1 }
                    else if let r = bitwise(i, x, y) { base[a] = r; pc += 1 }
                case .shrI:
                    let x = base[argB(i)]
                    if let xi = LuaVM.toIntegerStrict(x) {
                        base[a] = LuaValue(LuaArith.shiftLeft(xi, -Int64(argSC(i)))); pc += 1
                    }
                case .shlI:
                    let x = base[argB(i)]
                    if let xi = LuaVM.toIntegerStrict(x) {
                        base[a] = LuaValue(LuaArith.shiftLeft(Int64(argSC(i)), xi)); pc += 1
                    }

                // MARK: Arithmetic on registers
                case .add:
                    let x = base + argB(i), y = base + argC(i)
                    if x.pointee.tag == .integer && y.pointee.tag == .integer {
                        base[a] = LuaValue(x.pointee.integer &+ y.pointee.integer); pc += 1
                    } else if let d = LuaVM.floats(x, y) {
                        base[a] = LuaValue(d.0 + d.1); pc += 1
                    }
                case .sub:
                    let x = base + argB(i), y = base + argC(i)
                    if x.pointee.tag == .integer && y.pointee.tag == .integer {
                        base[a] = LuaValue(x.pointee.integer &- y.pointee.integer); pc += 1
                    } else if let d = LuaVM.floats(x, y) {
                        base[a] = LuaValue(d.0 - d.1); pc += 1
                    }
                case .mul:
                    let x = base + argB(i), y = base + argC(i)
                    if x.pointee.tag == .integer && y.pointee.tag == .integer {
                        base[a] = LuaValue(x.pointee.integer &* y.pointee.integer); pc += 1
                    } else if let d = LuaVM.floats(x, y) {
                        base[a] = LuaValue(d.0 * d.1); pc += 1
                    }
                case .div:
                    if let d = LuaVM.floats(base + argB(i), base + argC(i)) {
                        base[a] = LuaValue(d.0 / d.1); pc += 1
                    }
                case .mod:
                    let x = base[argB(i)], y = base[argC(i)]
                    if x.tag == .integer && y.tag == .integer && y.integer > 0 {
                        let r = x.integer % y.integer
                        base[a] = LuaValue(r < 0 ? r &+ y.integer : r); pc += 1
                    } else {
                        frame.pointee.pc = savedPC(pc, frame)  // savePC (division by zero, as 5.4.6)
                        if let r = try arith(i, x, y) { base[a] = r; pc += 1 }
                    }
                case .idiv:
                    let x = base[argB(i)], y = base[argC(i)]
                    if x.tag == .integer && y.tag == .integer && y.integer > 0 {
                        let q = x.integer / y.integer
                        base[a] = LuaValue((x.integer % y.integer < 0) ? q &- 1 : q); pc += 1
                    } else {
                        frame.pointee.pc = savedPC(pc, frame)  // savePC (division by zero, as 5.4.6)
                        if let r = try arith(i, x, y) { base[a] = r; pc += 1 }
                    }
                case .pow:
                    if let r = try arith(i, base[argB(i)], base[argC(i)]) { base[a] = r; pc += 1 }
                case .band:
                    let x = base[argB(i)], y = base[argC(i)]
                    if x.tag == .integer && y.tag == .integer { base[a] = LuaValue(x.integer & y.integer); pc += 1 }
                    else if let r = bitwise(i, x, y) { base[a] = r; pc += 1 }
                case .bor:
                    let x = base[argB(i)], y = base[argC(i)]
                    if x.tag == .integer && y.tag == .integer { base[a] = LuaValue(x.integer | y.integer); pc += 1 }
                    else if let r = bitwise(i, x, y) { base[a] = r; pc += 1 }
                case .bxor:
                    let x = base[argB(i)], y = base[argC(i)]
                    if x.tag == .integer && y.tag == .integer { base[a] = LuaValue(x.integer ^ y.integer); pc += 1 }
                    else if let r = bitwise(i, x, y) { base[a] = r; pc += 1 }
                case .shl, .shr:
                    let x = base[argB(i)], y = base[argC(i)]
                    if x.tag == .integer && y.tag == .integer {
                        let amount = i & 0x7F == UInt32(LuaOpcode.shl.rawValue) ? y.integer : 0 &- y.integer
                        base[a] = LuaValue(LuaArith.shiftLeft(x.integer, amount)); pc += 1
                    } else if let r = bitwise(i, x, y) { base[a] = r; pc += 1 }
                case .mmBin, .mmBinI, .mmBinK:
                    frame.pointee.pc = savedPC(pc, frame)
                    if try metaBinary(i, frame, base, frame.pointee.constants.unsafelyUnwrapped) { continue outer }
                case .unm:
                    let x = base + argB(i)
                    if x.pointee.tag == .integer { base[a] = LuaValue(0 &- x.pointee.integer) }
                    else if x.pointee.tag == .float { base[a] = LuaValue(-x.pointee.float) }
                    else {
                        frame.pointee.pc = savedPC(pc, frame)
                        if try metaUnary(.unm, x.pointee, into: a, frame) { continue outer }
                    }
                case .bnot:
                    let x = base[argB(i)]
                    if let xi = LuaVM.toIntegerStrict(x) { base[a] = LuaValue(~xi) }
                    else {
                        frame.pointee.pc = savedPC(pc, frame)
                        if try metaUnary(.bnot, x, into: a, frame) { continue outer }
                    }
                case .not:
                    base[a] = LuaValue(base[argB(i)].isFalsy)
                case .len:
                    frame.pointee.pc = savedPC(pc, frame)
                    if try length(base[argB(i)], into: a, frame) { continue outer }
                case .concat:
                    frame.pointee.pc = savedPC(pc, frame)
                    if try concat(first: Int(frame.pointee.base) + a, count: argB(i), frame) { continue outer }
                case .close:
                    frame.pointee.pc = savedPC(pc, frame)
                    if try closeLevel(Int(frame.pointee.base) + a, frame, repeatAt: pc - frame.pointee.code.unsafelyUnwrapped - 1) { continue outer }
                case .tbc:
                    frame.pointee.pc = savedPC(pc, frame)
                    try markToBeClosed(Int(frame.pointee.base) + a)
                case .jmp:
                    let sj = argSJ(i)
                    pc += sj
                    if !stepping && sj < 0 {
                        fuel &-= 0 &- sj
                        if _slowPath(fuel < 0) { frame.pointee.pc = savedPC(pc, frame); return .paused }
                    }

                // MARK: Comparisons (the next instruction is a jump)
                case .eq:
                    let x = base[a], y = base[argB(i)]
                    let cond: Bool
                    if x.tag == y.tag && x.tag < .table {
                        cond = x.tag == .string ? x.string.equals(y.string)
                             : x.tag == .float ? x.float == y.float : x.bits == y.bits
                    } else {
                        frame.pointee.pc = savedPC(pc, frame)
                        guard let r = try equalSlow(x, y, frame) else { continue outer }
                        cond = r
                    }
                    if cond != argK(i) { pc += 1 } else { pc = conditionalJump(pc, stepping: stepping) }
                case .lt:
                    let x = base[a], y = base[argB(i)]
                    let cond: Bool
                    if x.tag == .integer && y.tag == .integer { cond = x.integer < y.integer }
                    else if x.tag == .float && y.tag == .float { cond = x.float < y.float }
                    else {
                        frame.pointee.pc = savedPC(pc, frame)
                        guard let r = try lessThan(x, y, frame) else { continue outer }
                        cond = r
                    }
                    if cond != argK(i) { pc += 1 } else { pc = conditionalJump(pc, stepping: stepping) }
                case .le:
                    let x = base[a], y = base[argB(i)]
                    let cond: Bool
                    if x.tag == .integer && y.tag == .integer { cond = x.integer <= y.integer }
                    else if x.tag == .float && y.tag == .float { cond = x.float <= y.float }
                    else {
                        frame.pointee.pc = savedPC(pc, frame)
                        guard let r = try lessEqual(x, y, frame) else { continue outer }
                        cond = r
                    }
                    if cond != argK(i) { pc += 1 } else { pc = conditionalJump(pc, stepping: stepping) }
                case .eqK:
                    let cond = LuaVM.rawEquals(base[a], frame.pointee.constants.unsafelyUnwrapped[argB(i)])
                    if cond != argK(i) { pc += 1 } else { pc = conditionalJump(pc, stepping: stepping) }
                case .eqI:
                    let x = base[a]
                    let imm = argSB(i)
                    let cond = x.tag == .integer ? x.integer == Int64(imm)
                             : x.tag == .float ? x.float == Double(imm) : false
                    if cond != argK(i) { pc += 1 } else { pc = conditionalJump(pc, stepping: stepping) }
                // One case per comparison, so each compiles to a single compare.
                case .ltI:
                    let x = base[a]
                    let imm = argSB(i)
                    let cond: Bool
                    if x.tag == .integer { cond = x.integer < Int64(imm) }
                    else if x.tag == .float { cond = x.float < Double(imm) }
                    else {
                        frame.pointee.pc = savedPC(pc, frame)
                        guard let r = try compareImmediate(i, x, imm, isFloat: argC(i) != 0, frame) else { continue outer }
                        cond = r
                    }
                    if cond != argK(i) { pc += 1 } else { pc = conditionalJump(pc, stepping: stepping) }
                case .leI:
                    let x = base[a]
                    let imm = argSB(i)
                    let cond: Bool
                    if x.tag == .integer { cond = x.integer <= Int64(imm) }
                    else if x.tag == .float { cond = x.float <= Double(imm) }
                    else {
                        frame.pointee.pc = savedPC(pc, frame)
                        guard let r = try compareImmediate(i, x, imm, isFloat: argC(i) != 0, frame) else { continue outer }
                        cond = r
                    }
                    if cond != argK(i) { pc += 1 } else { pc = conditionalJump(pc, stepping: stepping) }
                case .gtI:
                    let x = base[a]
                    let imm = argSB(i)
                    let cond: Bool
                    if x.tag == .integer { cond = x.integer > Int64(imm) }
                    else if x.tag == .float { cond = x.float > Double(imm) }
                    else {
                        frame.pointee.pc = savedPC(pc, frame)
                        guard let r = try compareImmediate(i, x, imm, isFloat: argC(i) != 0, frame) else { continue outer }
                        cond = r
                    }
                    if cond != argK(i) { pc += 1 } else { pc = conditionalJump(pc, stepping: stepping) }
                case .geI:
                    let x = base[a]
                    let imm = argSB(i)
                    let cond: Bool
                    if x.tag == .integer { cond = x.integer >= Int64(imm) }
                    else if x.tag == .float { cond = x.float >= Double(imm) }
                    else {
                        frame.pointee.pc = savedPC(pc, frame)
                        guard let r = try compareImmediate(i, x, imm, isFloat: argC(i) != 0, frame) else { continue outer }
                        cond = r
                    }
                    if cond != argK(i) { pc += 1 } else { pc = conditionalJump(pc, stepping: stepping) }
                case .test:
                    if base[a].isFalsy == argK(i) { pc += 1 } else { pc = conditionalJump(pc, stepping: stepping) }
                case .testSet:
                    let v = base[argB(i)]
                    if v.isFalsy == argK(i) { pc += 1 } else { base[a] = v; pc = conditionalJump(pc, stepping: stepping) }

                // MARK: Calls and returns
                case .call:
                    frame.pointee.pc = savedPC(pc, frame)
                    let f = Int(frame.pointee.base) + a
                    let b = argB(i)
                    let top = b != 0 ? f + b : th.pointee.top
                    fuel &-= 1
                    if stack[f].tag == .luaFunction {
                        frame = try pushLuaFrame(calledByTopFrame: f, top: top, wanted: argC(i) &- 1)
                        if _slowPath(g.pointee.slowPathFlags != 0 || fuel < 0) { continue outer }
                        // Enter the callee in place.
                        base = th.pointee.stack + Int(frame.pointee.base)
                        pc = frame.pointee.code.unsafelyUnwrapped
                        continue
                    }
                    if stack[f].tag == .hostFunction && g.pointee.slowPathFlags == 0 {
                        if let next = try callHost(f, top: top, wanted: argC(i) &- 1,
                                                   hostDepth: frame.pointee.hostDepth) {
                            switch next {
                            case .run: continue outer
                            case .exit(let r):
                                if let r = try switchThreads(r) { return r }
                                continue outer
                            }
                        }
                        // Results in place: carry on in the caller unless the host function
                        // asked for the outer loop (a fuel charge, a hook, an interrupt).
                        if _slowPath(g.pointee.slowPathFlags != 0 || g.pointee.pendingFuelCharge != 0) { continue outer }
                        frame = th.currentFrame   // pushing the host frame may have moved the frames
                        base = th.pointee.stack + Int(frame.pointee.base)
                        continue
                    }
                    try pushCall(f, top: top, wanted: argC(i) - 1)
                    continue outer
                case .tailCall:
                    frame.pointee.pc = savedPC(pc, frame)
                    _ = try tailCall(i, frame)
                    continue outer
                case .return:
                    if !stepping { fuel &-= codeIndex(pc, frame) }
                    frame.pointee.pc = savedPC(pc, frame)
                    switch try returnOp(i, frame, base) {
                    case .run: continue outer
                    case .exit(let r):
                        if let r = try switchThreads(r) { return r }
                        continue outer
                    }
                case .return0:
                    // RETURN0/RETURN1 are only emitted for functions with nothing to close
                    // and no varargs (the compiler turns them into RETURN otherwise).
                    if _slowPath(frame.pointee.flags & ~CallFrame.Flag.tail != CallFrame.Flag.lua || frame.pointee.wanted != 0) {
                        frame.pointee.pc = savedPC(pc, frame)
                        switch try returnValues(frame, first: Int(frame.pointee.base) + a, count: 0) {
                        case .run: continue outer
                        case .exit(let r):
                            if let r = try switchThreads(r) { return r }
                            continue outer
                        }
                    }
                    // Fast path: a Lua-to-Lua call (or tail call) that wants no results.
                    if !stepping { fuel &-= codeIndex(pc, frame) }
                    th.pointee.frameCount &-= 1   // an entry frame lies below: never below 1
                    th.pointee.top = Int(frame.pointee.function)
                    frame = frame - 1
                    if _slowPath(frame.pointee.flags & CallFrame.Flag.lua == 0 || g.pointee.slowPathFlags != 0 || fuel < 0) { continue outer }
                    // Back in the Lua caller, in place.
                    base = th.pointee.stack + Int(frame.pointee.base)
                    pc = frame.pointee.code.unsafelyUnwrapped + Int(frame.pointee.pc)
                case .return1:
                    // None, one or all results wanted (a call statement, an expression, a
                    // caller's last argument or `return f(x)`; `wanted` is never below -1,
                    // and host callers flag their callees `hostCaller`): the result goes to
                    // the function's slot and the top above it either way (a Lua caller
                    // wanting none ignores both). `wanted` is read with a 16-bit load: a
                    // 32-bit load of `wanted` and `flags`, just written by two 16-bit stores
                    // in CALL, cannot be forwarded from them (fib's base case).
                    if _slowPath(frame.pointee.flags & ~CallFrame.Flag.tail != CallFrame.Flag.lua || frame.pointee.wanted > 1) {
                        frame.pointee.pc = savedPC(pc, frame)
                        switch try returnValues(frame, first: Int(frame.pointee.base) + a, count: 1) {
                        case .run: continue outer
                        case .exit(let r):
                            if let r = try switchThreads(r) { return r }
                            continue outer
                        }
                    }
                    // Fast path: a Lua-to-Lua call (or tail call) returning to a Lua frame.
                    let f = Int(frame.pointee.function)
                    stack[f] = base[a]
                    if !stepping { fuel &-= codeIndex(pc, frame) }
                    th.pointee.frameCount &-= 1   // an entry frame lies below: never below 1
                    th.pointee.top = f &+ 1
                    frame = frame - 1
                    if _slowPath(frame.pointee.flags & CallFrame.Flag.lua == 0 || g.pointee.slowPathFlags != 0 || fuel < 0) { continue outer }
                    base = th.pointee.stack + Int(frame.pointee.base)
                    pc = frame.pointee.code.unsafelyUnwrapped + Int(frame.pointee.pc)

                // MARK: Loops
                case .forLoop:
                    if base[a + 2].tag == .integer {
                        let count = UInt64(bitPattern: base[a + 1].integer)
                        if count > 0 {
                            let step = base[a + 2].integer
                            base[a + 1] = LuaValue(Int64(bitPattern: count - 1))
                            let idx = base[a].integer &+ step
                            base[a] = LuaValue(idx)
                            base[a + 3] = LuaValue(idx)
                            pc -= argBx(i)
                            if !stepping {
                                fuel &-= argBx(i)
                                if _slowPath(fuel < 0) { frame.pointee.pc = savedPC(pc, frame); return .paused }
                            }
                        }
                    } else if LuaVM.floatForLoop(base + a) {
                        pc -= argBx(i)
                        if !stepping {
                            fuel &-= argBx(i)
                            if _slowPath(fuel < 0) { frame.pointee.pc = savedPC(pc, frame); return .paused }
                        }
                    }
                case .forPrep:
                    frame.pointee.pc = savedPC(pc, frame)
                    if try forPrep(base + a) { pc += argBx(i) + 1 }
                case .tForPrep:
                    frame.pointee.pc = savedPC(pc, frame)
                    try markToBeClosed(Int(frame.pointee.base) + a + 3)
                    pc += argBx(i)
                case .tForCall:
                    // R[A+4], ... := R[A](R[A+1], R[A+2])
                    base[a + 4] = base[a]
                    base[a + 5] = base[a + 1]
                    base[a + 6] = base[a + 2]
                    frame.pointee.pc = savedPC(pc, frame)
                    let f = Int(frame.pointee.base) + a + 4
                    if stack[f].tag == .hostFunction && g.pointee.slowPathFlags == 0 {
                        // A host iterator (gmatch's, next): called in place, as CALL does.
                        if let next = try callHost(f, top: f + 3, wanted: argC(i),
                                                   hostDepth: frame.pointee.hostDepth) {
                            switch next {
                            case .run: continue outer
                            case .exit(let r):
                                if let r = try switchThreads(r) { return r }
                                continue outer
                            }
                        }
                        if _slowPath(g.pointee.slowPathFlags != 0 || g.pointee.pendingFuelCharge != 0) { continue outer }
                        frame = th.currentFrame
                        base = th.pointee.stack + Int(frame.pointee.base)
                        continue
                    }
                    try pushCall(f, top: f + 3, wanted: argC(i))
                    continue outer
                case .tForLoop:
                    if !base[a + 4].isNil {
                        base[a + 2] = base[a + 4]
                        pc -= argBx(i)
                        if !stepping {
                            fuel &-= argBx(i)
                            if _slowPath(fuel < 0) { frame.pointee.pc = savedPC(pc, frame); return .paused }
                        }
                    }
                case .setList:
                    frame.pointee.pc = savedPC(pc, frame)
                    var n = argB(i)
                    var last = argC(i)
                    if n == 0 {
                        n = th.pointee.top - (Int(frame.pointee.base) + a) - 1
                        // The verifier lets B = 0 only follow the open call that set top.
                        guard n >= 0 else { throw .runtime("invalid bytecode (SETLIST below top)") }
                    }
                    if argK(i) { last += argAx(pc.pointee) * 256; pc += 1 }
                    // A verified binary chunk may still aim SETLIST at a non-table.
                    guard base[a].tag == .table else { throw .runtime("invalid bytecode (SETLIST on a non-table)") }
                    try setList(base[a].table, from: base + a + 1, count: n, offset: last)
                case .closure:
                    frame.pointee.pc = savedPC(pc, frame)
                    base[a] = try makeClosure(nestedProtos(frame).protos[argBx(i)], frame.pointee.upvalues.unsafelyUnwrapped, base)
                case .vararg:
                    frame.pointee.pc = savedPC(pc, frame)
                    try varargs(frame, into: a, wanted: argC(i) - 1)
                    base = th.pointee.stack + Int(frame.pointee.base)
                case .varargPrep:
                    frame.pointee.pc = savedPC(pc, frame)
                    try varargPrep(frame, fixed: a, maxStack: currentProto(frame).maxStackSize)
                    base = th.pointee.stack + Int(frame.pointee.base)
                case .extraArg:
                    break
                }
            }
        }
    }
}
