import GCArena

// Arithmetic and bitwise slow paths, and the MMBIN family that calls metamethods.

// SAFETY: frame and register pointers here point into the running thread's frame array and
// value stack. They stay valid until the next `pushFrame`/`growStack` on that thread, and the
// code re-derives them (from indices stored in frames) after every call that can grow either.

/// Number helpers shared by the interpreter's fast paths.
enum LuaVM {
    /// Both operands as doubles when both are numbers.
    @inline(__always)
    static func floats(_ x: LuaValue, _ y: LuaValue) -> (Double, Double)? {
        let dx: Double, dy: Double
        switch x.tag {
        case .float: dx = x.float
        case .integer: dx = Double(x.integer)
        default: return nil
        }
        switch y.tag {
        case .float: dy = y.float
        case .integer: dy = Double(y.integer)
        default: return nil
        }
        return (dx, dy)
    }

    /// Both operands as doubles when both are numbers, read from their slots.
    ///
    /// The fast paths test the tags first and then read each payload with the type the
    /// tag names, so a float goes from memory straight into a floating-point register.
    /// Reading the whole value first (as the by-value form does) loads the payload into an
    /// integer register shared by the integer and float paths and moves it across, which
    /// puts a register transfer on every float operation's dependency chain: a float loop
    /// ran 2.2× slower than PUC's at the same instruction count.
    @inline(__always)
    static func floats(_ x: UnsafeMutablePointer<LuaValue>, _ y: UnsafeMutablePointer<LuaValue>) -> (Double, Double)? {
        let dx: Double, dy: Double
        switch x.pointee.tag {
        case .float: dx = x.pointee.float
        case .integer: dx = Double(x.pointee.integer)
        default: return nil
        }
        switch y.pointee.tag {
        case .float: dy = y.pointee.float
        case .integer: dy = Double(y.pointee.integer)
        default: return nil
        }
        return (dx, dy)
    }

    /// An integer, or a float with an exact integer value (no string coercion).
    @inline(__always)
    static func toIntegerStrict(_ x: LuaValue) -> Int64? {
        switch x.tag {
        case .integer: return x.integer
        case .float: return LuaArith.toInteger(x.float)
        default: return nil
        }
    }

    /// A number, converting numeric strings (PUC's `tonumber` coercion for arithmetic).
    static func toNumber(_ x: LuaValue) -> LuaValue? {
        switch x.tag {
        case .integer, .float: return x
        case .string:
            let s = x.string
            return LuaNumber.parse(s.bytes)
        default: return nil
        }
    }

    /// Raw equality (no metamethods): numbers by value across int/float, strings by content.
    @inline(__always)
    static func rawEquals(_ x: LuaValue, _ y: LuaValue) -> Bool {
        if x.tag == y.tag {
            switch x.tag {
            case .float: return x.float == y.float
            case .string: return x.string.equals(y.string)
            default: return x.bits == y.bits
            }
        }
        return LuaArith.numberEquals(x, y)
    }

    /// FORLOOP for floats: advance and test; true to loop again.
    @inline(__always)
    static func floatForLoop(_ ra: UnsafeMutablePointer<LuaValue>) -> Bool {
        let step = ra[2].float
        let limit = ra[1].float
        let idx = ra[0].float + step
        if step > 0 ? idx <= limit : limit <= idx {
            ra[0] = LuaValue(idx)
            ra[3] = LuaValue(idx)
            return true
        }
        return false
    }

    /// Applies an arithmetic operator to two numbers (integers stay integers where Lua says so).
    static func arithmetic(_ event: LuaMetamethod, _ x: LuaValue, _ y: LuaValue) throws(LuaError) -> LuaValue? {
        switch event {
        case .band, .bor, .bxor, .shl, .shr, .bnot:
            guard let a = toIntegerStrict(x), let b = toIntegerStrict(y) else { return nil }
            switch event {
            case .band: return LuaValue(a & b)
            case .bor: return LuaValue(a | b)
            case .bxor: return LuaValue(a ^ b)
            case .shl: return LuaValue(LuaArith.shiftLeft(a, b))
            case .shr: return LuaValue(LuaArith.shiftLeft(a, 0 &- b))
            default: return LuaValue(~a)
            }
        default:
            break
        }
        if x.tag == .integer && y.tag == .integer {
            let a = x.integer, b = y.integer
            switch event {
            case .add: return LuaValue(a &+ b)
            case .sub: return LuaValue(a &- b)
            case .mul: return LuaValue(a &* b)
            case .mod:
                guard let r = LuaArith.mod(a, b) else { throw .runtime("attempt to perform 'n%0'") }
                return LuaValue(r)
            case .idiv:
                guard let r = LuaArith.floorDiv(a, b) else { throw .runtime("attempt to divide by zero") }
                return LuaValue(r)
            case .unm: return LuaValue(0 &- a)
            case .div: return LuaValue(Double(a) / Double(b))
            case .pow: return LuaValue(LuaArith.pow(Double(a), Double(b)))
            default: return nil
            }
        }
        guard let (a, b) = floats(x, y) else { return nil }
        switch event {
        case .add: return LuaValue(a + b)
        case .sub: return LuaValue(a - b)
        case .mul: return LuaValue(a * b)
        case .div: return LuaValue(a / b)
        case .mod: return LuaValue(LuaArith.mod(a, b))
        case .idiv: return LuaValue(LuaArith.floorDiv(a, b))
        case .pow: return LuaValue(LuaArith.pow(a, b))
        case .unm: return LuaValue(-a)
        default: return nil
        }
    }

    static func event(for op: LuaOpcode) -> LuaMetamethod {
        switch op {
        case .addK, .add, .addI: return .add
        case .subK, .sub: return .sub
        case .mulK, .mul: return .mul
        case .modK, .mod: return .mod
        case .powK, .pow: return .pow
        case .divK, .div: return .div
        case .idivK, .idiv: return .idiv
        case .bandK, .band: return .band
        case .borK, .bor: return .bor
        case .bxorK, .bxor: return .bxor
        case .shl, .shlI: return .shl
        default: return .shr
        }
    }
}

extension VM {
    /// Arithmetic beyond the inline fast paths (register or constant operands): nil when an
    /// operand is not a number, so the MMBIN instruction that follows takes over.
    @inline(never)
    func arith(_ i: UInt32, _ x: LuaValue, _ y: LuaValue) throws(LuaError) -> LuaValue? {
        guard x.isNumber && y.isNumber else { return nil }
        return try LuaVM.arithmetic(LuaVM.event(for: opcode(i)), x, y)
    }

    /// Bitwise operations beyond the inline fast paths: nil when an operand is not a number or
    /// has no integer representation (the MMBIN that follows raises or calls the metamethod).
    @inline(never)
    func bitwise(_ i: UInt32, _ x: LuaValue, _ y: LuaValue) -> LuaValue? {
        guard x.isNumber && y.isNumber else { return nil }
        return try? LuaVM.arithmetic(LuaVM.event(for: opcode(i)), x, y)
    }

    /// MMBIN, MMBINI, MMBINK: the arithmetic fast path failed; coerce strings or call the
    /// metamethod. Returns true when a metamethod frame was pushed.
    @inline(never)
    func metaBinary(_ i: UInt32, _ frame: UnsafeMutablePointer<CallFrame>,
                    _ base: UnsafeMutablePointer<LuaValue>, _ k: UnsafeMutablePointer<LuaValue>) throws(LuaError) -> Bool {
        let code = currentCode(frame)
        let previous = code[Int(frame.pointee.pc) - 2]
        let result = argA(previous)
        var x = base[argA(i)]
        var y: LuaValue
        let op = opcode(i)
        switch op {
        case .mmBin: y = base[argB(i)]
        case .mmBinI: y = LuaValue(Int64(argSB(i)))
        default: y = k[argB(i)]
        }
        if op != .mmBin && argK(i) { swap(&x, &y) }
        guard let event = LuaMetamethod(rawValue: argC(i)) else { throw .runtime("invalid metamethod") }
        return try arithmeticMeta(event, x, y, into: result, frame)
    }

    /// UNM and BNOT on non-numbers.
    @inline(never)
    func metaUnary(_ event: LuaMetamethod, _ x: LuaValue, into a: Int, _ frame: UnsafeMutablePointer<CallFrame>) throws(LuaError) -> Bool {
        try arithmeticMeta(event, x, x, into: a, frame)
    }

    /// The metamethod of either operand, then the error. Strings get arithmetic from the
    /// string library's metamethods, as in Lua 5.4 (the VM itself never coerces them).
    func arithmeticMeta(_ event: LuaMetamethod, _ x: LuaValue, _ y: LuaValue, into a: Int,
                        _ frame: UnsafeMutablePointer<CallFrame>) throws(LuaError) -> Bool {
        var tm = LuaMeta.metamethod(g, x, event)
        if tm.isNil { tm = LuaMeta.metamethod(g, y, event) }
        if tm.isNil { throw arithmeticError(event, x, y, frame) }
        return try callMetamethod(tm, x, y, frame, wanted: 1, event: event)
    }

    func arithmeticError(_ event: LuaMetamethod, _ x: LuaValue, _ y: LuaValue,
                         _ frame: UnsafeMutablePointer<CallFrame>) -> LuaError {
        switch event {
        case .band, .bor, .bxor, .shl, .shr, .bnot:
            if x.isNumber && y.isNumber {
                let bad = LuaVM.toIntegerStrict(x) == nil ? x : y
                return .runtime("number" + LuaDebug.operandInfo(g, L, frame, bad) + " has no integer representation")
            }
            let bad = x.isNumber ? y : x
            return .runtime("attempt to perform bitwise operation on a \(LuaDebug.typeName(g, bad)) value"
                            + LuaDebug.operandInfo(g, L, frame, bad))
        case .concat:
            let bad = (x.tag == .string || x.isNumber) ? y : x
            return .runtime("attempt to concatenate a \(LuaDebug.typeName(g, bad)) value"
                            + LuaDebug.operandInfo(g, L, frame, bad))
        default:
            let bad = LuaVM.toNumber(x) == nil ? x : y
            return .runtime("attempt to perform arithmetic on a \(LuaDebug.typeName(g, bad)) value"
                            + LuaDebug.operandInfo(g, L, frame, bad))
        }
    }

    /// Pushes a call of metamethod `tm` with arguments `x` and `y` above the Lua frame
    /// `frame`; its first `wanted` results complete the instruction before the frame's pc
    /// (`finishOp`). The arguments are parameters, not an array: no array is built for every
    /// `__add`, `__eq` or `__index` call.
    func callMetamethod(_ tm: LuaValue, _ x: LuaValue, _ y: LuaValue, _ frame: UnsafeMutablePointer<CallFrame>,
                        wanted: Int, at position: Int? = nil, event: LuaMetamethod? = nil) throws(LuaError) -> Bool {
        try callMetamethod(tm, x, y, .nil, count: 2, frame, wanted: wanted, at: position, event: event)
    }

    /// ``callMetamethod(_:_:_:_:wanted:at:event:)`` with a third argument (`__newindex`).
    func callMetamethod(_ tm: LuaValue, _ x: LuaValue, _ y: LuaValue, _ z: LuaValue, _ frame: UnsafeMutablePointer<CallFrame>,
                        wanted: Int, at position: Int? = nil, event: LuaMetamethod? = nil) throws(LuaError) -> Bool {
        try callMetamethod(tm, x, y, z, count: 3, frame, wanted: wanted, at: position, event: event)
    }

    private func callMetamethod(_ tm: LuaValue, _ x: LuaValue, _ y: LuaValue, _ z: LuaValue, count: Int,
                                _ frame: UnsafeMutablePointer<CallFrame>,
                                wanted: Int, at position: Int?, event: LuaMetamethod?) throws(LuaError) -> Bool {
        if let event, tm.tag != .luaFunction, tm.tag != .hostFunction, LuaMeta.metamethod(g, tm, .call).isNil {
            throw LuaError.runtime("attempt to call a \(LuaDebug.typeName(g, tm)) value (metamethod '\(String(describing: event))')")
        }
        let f = position ?? Int(frame.pointee.top)
        try ensureStack(f + count + 1 + 20)
        let s = stack
        s[f] = tm
        s[f + 1] = x
        s[f + 2] = y
        if count == 3 { s[f + 3] = z }
        if wanted > 0 { frame.pointee.flags |= CallFrame.Flag.finishOp }
        raiseHighWater(f + 1 + count)
        try pushCall(f, top: f + 1 + count, wanted: wanted, flags: CallFrame.Flag.metamethod)
        return true
    }

    /// The prototype of the Lua function running in `frame` (slow paths only).
    @inline(never)
    func currentProto(_ frame: UnsafeMutablePointer<CallFrame>) -> LuaProto {
        stack[Int(frame.pointee.function)].object.unsafeCast(to: LuaClosure.self).value.proto.value
    }

    /// The nested prototypes of the Lua function running in `frame` (CLOSURE's operand),
    /// without copying the whole prototype as ``currentProto(_:)`` does.
    @inline(never)
    func nestedProtos(_ frame: UnsafeMutablePointer<CallFrame>) -> NestedProtos {
        NestedProtos(protos: stack[Int(frame.pointee.function)].object.unsafeCast(to: LuaClosure.self)
            .value.proto.value.protos)
    }

    /// The code of the Lua function running in `frame`.
    func currentCode(_ frame: UnsafeMutablePointer<CallFrame>) -> UnsafeMutablePointer<UInt32> {
        stack[Int(frame.pointee.function)].object.unsafeCast(to: LuaClosure.self).value.proto.value.code
    }
}

/// What ``VM/nestedProtos(_:)`` returns: the prototypes, padded to five words.
///
/// The padding is for the interpreter loop's sake. Five words are returned through memory,
/// as CLOSURE's earlier ``VM/currentProto(_:)`` call returned the whole 104-byte prototype,
/// and the loop's register allocation follows the shape of that call site: every form
/// returning in registers that was tried (the prototype handle, the running closure, the
/// frame passed on) either split the dispatch block over two 64-byte lines or cost fib 0.86%
/// more instructions in CALL and RETURN (papers/luacore-vm.md, "Closures made cheaper").
struct NestedProtos {
    let protos: UnsafeMutablePointer<Gc<LuaProto>>
    let padding: (Int, Int, Int, Int) = (0, 0, 0, 0)
}
