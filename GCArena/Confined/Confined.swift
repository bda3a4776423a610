// SAFETY: a `Confined<T>` holds the payload pointer of a live object of type `T`: it can only
// be made by allocation or by reading a field of a live object inside a mutation, and the
// lifetime checker keeps it from outliving that mutation, during which nothing is freed.

/// A handle to an object in a ``ConfinedArena`` that the compiler will not let out of
/// ``ConfinedArena/mutate(_:)``.
///
/// Like ``Gc`` it is one machine pointer (`BitwiseCopyable`, 8 bytes, and `nil` costs no
/// extra space as an `Optional`), and reading is a plain load. Unlike `Gc` it is
/// `~Escapable`: every handle depends on the mutation it was obtained in, so returning it from
/// `mutate`, storing it in a global, a class, a standard container or an escaping closure,
/// or keeping it in a local across two `mutate` calls are compile errors. Objects that hold
/// handles are `~Escapable` too, and hand out their handles with the lifetime of the handle
/// they were read through.
///
/// ```swift
/// let arena = ConfinedArena<Root> { _ in Root() }
/// try arena.mutate { mc, root in
///     for i in 0..<1000 {
///         let node = try mc.allocate(Node(value: i, next: root.value.head))
///         root.write(mc).value.head = node
///     }
/// }
/// ```
///
/// What the compiler cannot see — a handle of one arena used with another — is caught at run
/// time: see <doc:SafetyContract>.
@frozen
public struct Confined<T: ConfinedCollect & ~Escapable>: ~Escapable, BitwiseCopyable {
    @usableFromInline let _raw: UnsafeMutableRawPointer

    @inlinable @inline(__always) @_lifetime(immortal)
    init(_raw: UnsafeMutableRawPointer) { self._raw = _raw }

    /// The object's value, read in place; handles inside it live as long as this handle.
    @inlinable
    public var value: T {
        @inline(__always) @_lifetime(copy self)
        get {
            _debugCheckHandle(_raw)
            return _confinedLoad(T.self, at: _raw, dependingOn: self)
        }
    }

    /// Write access to the object, after the write barrier has run.
    @inlinable @inline(__always) @_lifetime(copy self)
    public func write(_ mc: borrowing Mutation) -> ConfinedWrite<T> {
        _debugCheckHandle(_raw)
        let o = _ObjectRef(payload: _raw)
        if _slowPath(o.color == _Color.black) { mc._backwardBarrierSlow(o) }
        return _overrideLifetime(ConfinedWrite<T>(_raw: _raw), copying: self)
    }

    /// Whether two handles name the same object.
    @inlinable @inline(__always)
    public static func === (lhs: Confined<T>, rhs: Confined<T>) -> Bool { lhs._raw == rhs._raw }

    /// Whether two handles name different objects.
    @inlinable @inline(__always)
    public static func !== (lhs: Confined<T>, rhs: Confined<T>) -> Bool { lhs._raw != rhs._raw }

    /// The object's address: an identity that can be kept (it cannot be turned back into a
    /// handle), for example as a key in a Swift dictionary built during one mutation.
    @inlinable
    public var identity: ObjectIdentity { ObjectIdentity(_raw: _raw) }
}

/// The address of a confined object, usable as a dictionary key; it cannot be dereferenced.
@frozen
public struct ObjectIdentity: Hashable, BitwiseCopyable {
    @usableFromInline let _raw: UnsafeMutableRawPointer
    @inlinable init(_raw: UnsafeMutableRawPointer) { self._raw = _raw }
}

/// Mutable access to a confined object whose write barrier has already run.
///
/// Obtained from ``Confined/write(_:)``; it lives no longer than the handle it came from.
/// Assigning to ``value`` replaces the whole value (`h.write(mc).value.field = x` reads the
/// value, changes the field and stores it back).
@frozen
public struct ConfinedWrite<T: ConfinedCollect & ~Escapable>: ~Escapable {
    @usableFromInline let _raw: UnsafeMutableRawPointer

    @inlinable @inline(__always) @_lifetime(immortal)
    init(_raw: UnsafeMutableRawPointer) { self._raw = _raw }

    /// The object's value, readable and writable.
    @inlinable
    public var value: T {
        @inline(__always) @_lifetime(copy self)
        get { _confinedLoad(T.self, at: _raw, dependingOn: self) }
        // The barrier ran when this view was made, and no collection can run before the
        // view (tied to the mutation through its handle) is gone.
        @inline(__always)
        nonmutating set { _confinedAssign(newValue, at: _raw) }
        // Spelled out: the one the compiler would generate from get/set fails lifetime
        // checking under `-sanitize=thread` (Swift 6.3), so the ThreadSanitizer build of the
        // package did not compile. Same semantics: read the value, change it, store it back.
        @inline(__always) @_lifetime(copy self)
        nonmutating _modify {
            var value = _confinedLoad(T.self, at: _raw, dependingOn: self)
            yield &value
            _confinedAssign(value, at: _raw)
        }
    }
}

/// Confined handles belong to one arena and one thread.
@available(*, unavailable, message: "Confined handles belong to one arena and one thread")
extension Confined: Sendable {}
