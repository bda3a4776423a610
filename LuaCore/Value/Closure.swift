import GCArena

/// A Lua function value: a prototype and its upvalues, which live in the object's tail.
public struct LuaClosure: Collect {
    public let proto: Gc<LuaProto>
    public internal(set) var upvalueCount: Int
    /// The upvalue array (in this object's tail).
    public let upvalues: UnsafeMutablePointer<Gc<LuaUpvalue>>

    public func trace(_ tracer: inout Tracer) {
        tracer.trace(proto)
        for i in 0..<upvalueCount { tracer.trace(upvalues[i]) }
    }

    /// Allocates a closure with room for its prototype's upvalues but none published yet
    /// (`upvalueCount` 0): the caller initializes the slots, then sets the count.
    /// Compiled into its caller (CLOSURE), with the closure kind looked up beforehand.
    @inline(__always)
    static func allocateEmpty(_ mc: borrowing Mutation, proto: Gc<LuaProto>,
                              kind: GCKind<LuaClosure>) throws(GCAllocationError) -> Gc<LuaClosure> {
        let n = proto.value.upvalueCount
        let placeholder = UnsafeMutablePointer<Gc<LuaUpvalue>>(bitPattern: 16).unsafelyUnwrapped
        let c = try mc.allocateInline(LuaClosure(proto: proto, upvalueCount: 0, upvalues: placeholder),
                                      tailBytes: n * MemoryLayout<Gc<LuaUpvalue>>.stride, kind: kind)
        // SAFETY: the tail holds exactly `n` handle slots (uninitialized until the caller fills them).
        let base = c.tail.bindMemory(to: Gc<LuaUpvalue>.self, capacity: max(n, 1))
        c.unsafeMutablePointer.pointee = LuaClosure(proto: proto, upvalueCount: 0, upvalues: base)
        return c
    }

    /// Allocates a closure whose upvalues are filled in by `fill` before anything can
    /// observe them (no allocation may happen in between).
    public static func allocate(_ mc: borrowing Mutation, proto: Gc<LuaProto>,
                                fill: (UnsafeMutablePointer<Gc<LuaUpvalue>>) -> Void) throws(GCAllocationError) -> Gc<LuaClosure> {
        let n = proto.value.upvalueCount
        // A placeholder pointer until the tail address is known (nothing reads it meanwhile).
        let placeholder = UnsafeMutablePointer<Gc<LuaUpvalue>>(bitPattern: 16).unsafelyUnwrapped
        let c = try mc.allocate(LuaClosure(proto: proto, upvalueCount: 0, upvalues: placeholder),
                                tailBytes: n * MemoryLayout<Gc<LuaUpvalue>>.stride)
        // SAFETY: the tail holds exactly `n` handle slots; `fill` initializes all of them
        // before the count is published, and the closure is new (white), so no barrier is due.
        let base = c.tail.bindMemory(to: Gc<LuaUpvalue>.self, capacity: n)
        fill(base)
        c.unsafeMutablePointer.pointee = LuaClosure(proto: proto, upvalueCount: n, upvalues: base)
        return c
    }
}

/// A variable captured by closures: open while its frame is alive (it then points at the
/// stack slot), closed afterwards (it then holds the value itself).
public struct LuaUpvalue: Collect {
    /// Where the value is: a stack slot while open, `closed` once closed.
    public var location: UnsafeMutablePointer<LuaValue>
    /// The value after closing.
    public var closed: LuaValue
    /// The stack index of the captured slot while open; -1 once closed.
    public var level: Int
    /// Next open upvalue of the same thread (lower level), while open.
    public var nextOpen: Gc<LuaUpvalue>?
    /// The thread whose stack holds the value, while open (keeps that stack alive).
    public var thread: Gc<LuaThread>?

    @inlinable public var isOpen: Bool { level >= 0 }

    public func trace(_ tracer: inout Tracer) {
        if level >= 0 {
            tracer.trace(thread)
            tracer.trace(nextOpen)
        } else {
            closed.trace(&tracer)
        }
    }
}

extension Gc where T == LuaUpvalue {
    /// Points `location` at the object's own `closed` field (after the value was copied).
    @inlinable
    func closeInPlace() {
        let p = unsafeMutablePointer
        // SAFETY: `closed` is a stored property of an arena object whose address is stable.
        let closedAddress = UnsafeMutableRawPointer(p) + MemoryLayout<LuaUpvalue>.offset(of: \.closed)!
        p.pointee.location = closedAddress.assumingMemoryBound(to: LuaValue.self)
    }
}
