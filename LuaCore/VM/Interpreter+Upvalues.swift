import GCArena

// Closures and upvalues: CLOSURE, finding or creating open upvalues, closing them.

extension VM {
    /// The open upvalue for stack index `level`, created if needed (compiled into CLOSURE, its
    /// only user).
    @inline(__always)
    func findUpvalue(_ level: Int) throws(LuaError) -> Gc<LuaUpvalue> {
        var previous: Gc<LuaUpvalue>? = nil
        var current = th.pointee.openUpvalues
        while let u = current, u.value.level > level {
            previous = u
            current = u.value.nextOpen
        }
        if let u = current, u.value.level == level { return u }
        let created: Gc<LuaUpvalue>
        do {
            created = try mc.allocateInline(LuaUpvalue(location: stack + level, closed: .nil, level: level,
                                                       nextOpen: current, thread: L),
                                            kind: g.pointee.upvalueKind)
        } catch {
            throw .outOfMemory(mc)
        }
        if let previous {
            previous.write(mc).value.nextOpen = created
        } else {
            th.pointee.openUpvalues = created
            mc.backwardBarrier(L)
        }
        return created
    }

    /// Closes every open upvalue at or above stack index `level`.
    @inline(never)
    func closeUpvalues(_ level: Int) {
        while let u = th.pointee.openUpvalues, u.value.level >= level {
            closeHead(u)
            mc.backwardBarrier(u)
        }
    }

    /// ``closeUpvalues(_:)`` in the caller's code (RETURN's common case), as long as no
    /// upvalue needs the write barrier's slow path: false, with that upvalue still open at the
    /// head of the list, when one does (``closeUpvalues(_:)`` then closes the rest). Leaving
    /// the barrier's call out keeps the caller free of callee-saved registers.
    @inline(__always)
    func closeUpvaluesWithoutBarrier(_ level: Int) -> Bool {
        while let u = th.pointee.openUpvalues, u.value.level >= level {
            if _slowPath(mc.needsBackwardBarrier(u)) { return false }
            closeHead(u)
        }
        return true
    }

    /// Closes `u`, the head of the open-upvalue list: unlinks it and moves its value into it
    /// (the caller runs the write barrier when one is needed).
    @inline(__always)
    private func closeHead(_ u: Gc<LuaUpvalue>) {
        let p = u.unsafeMutablePointer
        th.pointee.openUpvalues = p.pointee.nextOpen
        // SAFETY: `location` is a live slot of this thread's stack and `closed` a stored
        // property of an arena object. `LuaValue` is bitwise copyable: its 16 bytes
        // (padding included) move as one vector, one register fewer than field by field.
        let closed = UnsafeMutableRawPointer(p) + MemoryLayout<LuaUpvalue>.offset(of: \.closed)!
        let value = UnsafeRawPointer(p.pointee.location).loadUnaligned(as: SIMD2<UInt64>.self)
        closed.storeBytes(of: value, as: SIMD2<UInt64>.self)
        p.pointee.level = -1
        p.pointee.nextOpen = nil
        p.pointee.thread = nil
        p.pointee.location = closed.assumingMemoryBound(to: LuaValue.self)
    }

    /// The index of stack slot `slot`: an unsigned division of the byte distance, a shift
    /// (`slot` never lies below the stack, so the signed division in `-` and its rounding fix
    /// are not needed).
    @inline(__always)
    func stackIndex(_ slot: UnsafeMutablePointer<LuaValue>) -> Int {
        Int(bitPattern: (UInt(bitPattern: slot) &- UInt(bitPattern: stack)) / UInt(MemoryLayout<LuaValue>.stride))
    }

    /// SETUPVAL's barrier: the upvalue object when closed, the owning thread while open.
    @inline(__always)
    func upvalueBarrier(_ uv: Gc<LuaUpvalue>) {
        if let owner = uv.value.thread { mc.backwardBarrier(owner) } else { mc.backwardBarrier(uv) }
    }

    /// CLOSURE: a new closure of prototype `p` nested in the running function, whose upvalues
    /// are `enclosing`, with `base` the running frame's base.
    ///
    /// Both allocations (the closure with its upvalue array in its tail, and any new open
    /// upvalue) and their arena bookkeeping are compiled in here, so neither costs a call.
    @inline(never)
    func makeClosure(_ p: Gc<LuaProto>, _ enclosing: UnsafeMutablePointer<Gc<LuaUpvalue>>,
                     _ base: UnsafeMutablePointer<LuaValue>) throws(LuaError) -> LuaValue {
        let n = p.value.upvalueCount
        let frameBase = stackIndex(base)
        let c: Gc<LuaClosure>
        do {
            // The closure publishes no upvalues until all are filled in (its trace reads only
            // `upvalueCount` slots), and nothing can collect inside this mutation.
            c = try LuaClosure.allocateEmpty(mc, proto: p, kind: g.pointee.closureKind)
        } catch {
            throw .outOfMemory(mc)
        }
        let slots = c.value.upvalues
        for j in 0..<n {
            let d = p.value.upvalueDescriptors[j]
            let index = Int(d & 0xFF)
            let u = d & 0x100 != 0 ? try findUpvalue(frameBase + index) : enclosing[index]
            // SAFETY: the tail holds `n` slots; each is initialized exactly once here.
            (slots + j).initialize(to: u)
        }
        c.unsafeMutablePointer.pointee.upvalueCount = n
        return LuaValue(tag: .luaFunction, object: c.erased)
    }
}
