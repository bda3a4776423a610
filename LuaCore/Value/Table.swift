#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import GCArena

/// Why a raw table operation failed.
public enum LuaTableError: Error, Equatable, Sendable {
    /// The key was `nil`.
    case nilKey
    /// The key was a float NaN.
    case nanKey
    /// `next` was given a key that is not in the table.
    case invalidKeyToNext
    /// Growing the table failed (memory limit or system allocator).
    case outOfMemory(GCAllocationError)

    /// The message lua5.4 raises for this error.
    public var message: String {
        switch self {
        case .nilKey: return "table index is nil"
        case .nanKey: return "table index is NaN"
        case .invalidKeyToNext: return "invalid key to 'next'"
        case .outOfMemory: return "not enough memory"
        }
    }
}

/// One slot of a table's hash part (PUC's `Node`): value, key and the offset to the next
/// node of the same collision chain (0 ends the chain). 32 bytes.
@usableFromInline @frozen
struct _LuaNode {
    @usableFromInline var value: LuaValue
    @usableFromInline var key: LuaValue
    @usableFromInline var next: Int32

    @inlinable init() {
        value = .nil
        key = .nil
        next = 0
    }
}

/// A Lua table: an array part for keys `1...n` and a hash part for everything else (PUC's `Table`).
///
/// ## Layout
///
/// - The **array part** is a vector of ``LuaValue`` for keys `1...arraySize`: in the
///   table's own block right after it when NEWTABLE asked for a small one (up to
///   `_maxInlineSlots`), otherwise, or once it outgrows those slots, malloc'd. Its size
///   is chosen by the rehash rule (Table+Rehash.swift): the largest `n` (a power of two)
///   such that more than `n/2` of the keys `1...n` are in use, or exactly what a
///   constructor asked for.
/// - The **hash part** is a vector of `2^k` nodes (in the table's block after the inline
///   array slots when NEWTABLE asked for at most `_maxInlineNodes`, else malloc'd), a
///   chained scatter table with Brent's variation: a key lives in its *main position* (its hash modulo the size) unless
///   that node is taken, in which case it goes to a free node linked into the chain; a key
///   found squatting in another key's main position is moved out. Free nodes are found by a
///   cursor (`_lastFree`) moving down from the top; when it finds none, the table is rehashed.
///   An empty hash part is a nil pointer (PUC's shared dummy node).
///
/// ## Dead keys
///
/// Assigning `nil` to a field keeps its key in its node with a nil value, so
/// `Gc.next(after:)` can continue a traversal from a field cleared during it, and a later
/// assignment of the same key reuses the node. The next rehash drops such nodes. When the
/// collector traces the table (or clears a weak table), the collectable key of a node with
/// a nil value becomes a *dead key* (PUC's `DEADKEY`, Table+Weak.swift): its tag becomes
/// nil and its bits keep the object's address. A dead key is not traced, so its object can
/// be freed; lookups never match it (tags differ) and never read it, and `next` finds it by
/// address only (PUC's `deadok`). A free node is one whose key is nil with zero bits.
///
/// ## Other state
///
/// `metatable`, a flag byte the VM uses as a cache of absent metamethods (bit set = that
/// metamethod is known to be absent; cleared by any raw set of a string key), and the
/// weak mode from `__mode` (see Table+Weak.swift, which also holds the tracing code).
///
/// Reach a table through `Gc<LuaTable>`: the API lives in extensions of `Gc`.
public struct LuaTable: Collect {
    @usableFromInline var _array: UnsafeMutablePointer<LuaValue>?
    @usableFromInline var _nodes: UnsafeMutablePointer<_LuaNode>?
    @usableFromInline var _metatable: Gc<LuaTable>?
    // Sizes are stored in 32 bits (the array part never exceeds 2^31 slots, the hash part
    // 2^30 nodes) and the hash part's size as its log2, the small fields packed in
    // `_packed`, so the table is 40 bytes: with GCArena's 16-byte header, a 56-byte block,
    // which fills a 64-byte malloc chunk (48 bytes took 80, as PUC's 56-byte Table takes 64).
    // The `Int`/`Bool` views below are what the code uses.
    @usableFromInline var _arraySize32: UInt32 = 0
    @usableFromInline var _lengthHint32: UInt32 = 0
    @usableFromInline var _lastFree32: UInt32 = 0
    @usableFromInline var _flags: UInt8 = 0
    /// log2 of the node count (0 also when there is no hash part).
    @usableFromInline var _nodeLog2: UInt8 = 0
    /// Bits 0–1: the weak mode; bit 2: the array is inline; bits 3–7: inline array slots
    /// (0–16); bits 8–10: inline node count (0, 1, 2 or 4).
    @usableFromInline var _packed: UInt16 = 0

    /// Bit 0: weak keys; bit 1: weak values.
    @inlinable var _weakMode: UInt8 {
        @inline(__always) get { UInt8(truncatingIfNeeded: _packed & 3) }
        @inline(__always) set { _packed = (_packed & ~3) | (UInt16(newValue) & 3) }
    }
    /// Array slots in the table's own block, after the table (0 when it has none).
    @inlinable var _inlineSlots: UInt8 {
        @inline(__always) get { UInt8(truncatingIfNeeded: (_packed >> 3) & 31) }
        @inline(__always) set { _packed = (_packed & ~(31 << 3)) | ((UInt16(newValue) & 31) << 3) }
    }
    /// Whether `_array` points at those inline slots (then it is never nil, even at size 0,
    /// and is never freed or reallocated: growing past them moves the array to malloc'd memory).
    @inlinable var _arrayIsInline: Bool {
        @inline(__always) get { _packed & 4 != 0 }
        @inline(__always) set { _packed = newValue ? _packed | 4 : _packed & ~4 }
    }
    /// Nodes in the table's own block, after its inline array slots, while `_nodes` points
    /// at them (0 otherwise: a hash part that outgrows them moves to malloc'd memory for good).
    @inlinable var _inlineNodeCount: UInt8 {
        @inline(__always) get { UInt8(truncatingIfNeeded: (_packed >> 8) & 7) }
        @inline(__always) set { _packed = (_packed & ~(7 << 8)) | ((UInt16(newValue) & 7) << 8) }
    }

    /// The real size of the array part.
    @inlinable var _arraySize: Int {
        @inline(__always) get { Int(_arraySize32) }
        @inline(__always) set { _arraySize32 = UInt32(truncatingIfNeeded: newValue) }
    }
    /// PUC's `alimit`: a hint for `#` (a border candidate), `<= _arraySize`; it differs from
    /// the size only when the size is a power of two (see Table+Length.swift).
    @inlinable var _lengthHint: Int {
        @inline(__always) get { Int(_lengthHint32) }
        @inline(__always) set { _lengthHint32 = UInt32(truncatingIfNeeded: newValue) }
    }
    /// Node count minus one; 0 when there is no hash part.
    @inlinable var _nodeMask: Int {
        @inline(__always) get { (1 &<< Int(_nodeLog2)) &- 1 }
        // Always a power of two minus one: its log2 is its count of ones.
        @inline(__always) set { _nodeLog2 = UInt8(truncatingIfNeeded: newValue.nonzeroBitCount) }
    }
    /// Nodes at indices `>= _lastFree` have been handed out or skipped by the free cursor.
    @inlinable var _lastFree: Int {
        @inline(__always) get { Int(_lastFree32) }
        @inline(__always) set { _lastFree32 = UInt32(truncatingIfNeeded: newValue) }
    }

    /// The most array slots a table keeps in its own block (NEWTABLE's size hint up to this).
    @usableFromInline static let _maxInlineSlots = 16
    /// The most hash nodes a table keeps in its own block (NEWTABLE's hint rounded up to a
    /// power of two, up to this): `{x = 1, y = 2}` is one allocation.
    @usableFromInline static let _maxInlineNodes = 4

    @usableFromInline static let _weakKeysBit: UInt8 = 1
    @usableFromInline static let _weakValuesBit: UInt8 = 2

    /// An empty table with no array or hash part.
    @inlinable public init() {}

    /// The number of nodes in the hash part (0 when there is none).
    @inlinable var _nodeCount: Int { _nodes == nil ? 0 : _nodeMask &+ 1 }

    /// Bytes this table owns outside the arena, as reported to it.
    @inlinable var _externalBytes: Int {
        (_arrayIsInline ? 0 : _arraySize &* MemoryLayout<LuaValue>.stride)
            &+ (_inlineNodeCount != 0 ? 0 : _nodeCount &* MemoryLayout<_LuaNode>.stride)
    }

    @inlinable public static var ownsExternalMemory: Bool { true }

    public mutating func releaseExternalMemory() -> Int {
        let bytes = _externalBytes
        // SAFETY: both buffers were malloc'd by this table and are owned by it alone (inline
        // slots are part of the object's block and go with it).
        if let a = _array, !_arrayIsInline { free(a) }
        if let n = _nodes, _inlineNodeCount == 0 { free(n) }
        _array = nil
        _arrayIsInline = false
        _inlineNodeCount = 0
        _nodes = nil
        _arraySize = 0
        _lengthHint = 0
        _nodeMask = 0
        return bytes
    }

    // MARK: Hashing and lookup (shared by every access path)

    /// A cheap 64-bit mixer (Fibonacci multiply, high half folded down) for non-string keys.
    @inlinable @inline(__always)
    static func _mix(_ x: UInt64) -> Int {
        let m = x &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: m ^ (m &>> 29))
    }

    /// The node index of an integer key: `i mod (size - 1 | 1)` as PUC's `hashint`, which
    /// keeps runs of consecutive integers in consecutive nodes (no collisions, good
    /// locality) while strided keys (multiples of powers of two) still spread.
    @inlinable @inline(__always)
    static func _integerSlot(_ bits: UInt64, _ mask: Int) -> Int {
        let m = mask | 1
        // A 32-bit division is much cheaper than a 64-bit one; PUC takes the same shortcut.
        if bits <= UInt64(UInt32.max) {
            return Int(UInt32(truncatingIfNeeded: bits) % UInt32(truncatingIfNeeded: m))
        }
        return Int(truncatingIfNeeded: bits % UInt64(truncatingIfNeeded: m))
    }

    /// The node index a normalized, non-nil key hashes to.
    @inlinable
    func _mainPosition(_ key: LuaValue) -> Int {
        switch key.tag {
        case .string: return Int(truncatingIfNeeded: key.string.hashValue32) & _nodeMask
        case .false: return 0
        case .true: return 1 & _nodeMask
        case .integer: return LuaTable._integerSlot(key.bits, _nodeMask)
        default: return LuaTable._mix(key.bits) & _nodeMask
        }
    }

    /// Raw key equality for keys already normalized (no int-valued floats, no NaN).
    @inlinable @inline(__always)
    static func _keyEquals(_ nodeKey: LuaValue, _ key: LuaValue) -> Bool {
        if nodeKey.tag != key.tag { return false }
        if nodeKey.bits == key.bits { return true }
        // Distinct long strings may still be equal by content.
        return key.tag == .string && !key.string.isShort && nodeKey.string.equals(key.string)
    }

    /// The node holding `key` (live, or removed but not yet a dead key), or nil. `key` is
    /// normalized and non-nil.
    @inlinable
    func _findNode(_ key: LuaValue) -> UnsafeMutablePointer<_LuaNode>? {
        guard let nodes = _nodes else { return nil }
        // SAFETY: indices come from the mask and chain offsets, which stay inside the node
        // vector (they are only ever set to distances between its nodes).
        var n = nodes + _mainPosition(key)
        while true {
            if LuaTable._keyEquals(n.pointee.key, key) { return n }
            let nx = Int(n.pointee.next)
            if nx == 0 { return nil }
            n += nx
        }
    }

    /// The node holding integer key `i` (live or dead), or nil.
    @inlinable @inline(__always)
    func _findInteger(_ i: Int64) -> UnsafeMutablePointer<_LuaNode>? {
        guard let nodes = _nodes else { return nil }
        let bits = UInt64(bitPattern: i)
        // SAFETY: as in `_findNode`.
        var n = nodes + LuaTable._integerSlot(bits, _nodeMask)
        while true {
            if n.pointee.key.bits == bits && n.pointee.key.tag == .integer { return n }
            let nx = Int(n.pointee.next)
            if nx == 0 { return nil }
            n += nx
        }
    }

    /// The node holding short string `s` (live or dead), or nil: pointer comparison only.
    @inlinable @inline(__always)
    func _findShortString(_ s: Gc<LuaString>) -> UnsafeMutablePointer<_LuaNode>? {
        guard let nodes = _nodes else { return nil }
        let bits = UInt64(UInt(bitPattern: s.unsafeRawPayload))
        // SAFETY: as in `_findNode`.
        var n = nodes + (Int(truncatingIfNeeded: s.value._hash) & _nodeMask)
        while true {
            if n.pointee.key.bits == bits && n.pointee.key.tag == .string { return n }
            let nx = Int(n.pointee.next)
            if nx == 0 { return nil }
            n += nx
        }
    }

    /// The node holding `key` for `next` (PUC's `getgeneric` with `deadok`): a live or removed
    /// entry as `_findNode` finds it, or a dead key with `key`'s address. `key` is non-nil.
    @usableFromInline
    func _findNodeForNext(_ key: LuaValue) -> UnsafeMutablePointer<_LuaNode>? {
        guard let nodes = _nodes else { return nil }
        let collectable = key.tag >= .string
        // SAFETY: as in `_findNode`; a dead key's bits are compared, never dereferenced.
        var n = nodes + _mainPosition(key)
        while true {
            let k = n.pointee.key
            if LuaTable._keyEquals(k, key) { return n }
            if collectable && k.tag == .nil && k.bits == key.bits { return n }
            let nx = Int(n.pointee.next)
            if nx == 0 { return nil }
            n += nx
        }
    }

    /// The array slot for integer key `key` if it is in the array part, raising the length
    /// hint as PUC's `luaH_getint` does when the key lies past it.
    @inlinable @inline(__always)
    mutating func _arraySlot(_ key: Int64) -> UnsafeMutablePointer<LuaValue>? {
        let u = UInt64(bitPattern: key) &- 1
        // SAFETY: `u < _lengthHint <= _arraySize` (or `u < _arraySize`) bounds the index.
        if _fastPath(u < UInt64(bitPattern: Int64(_lengthHint))) { return _array.unsafelyUnwrapped + Int(u) }
        if u < UInt64(bitPattern: Int64(_arraySize)) {
            _lengthHint = Int(key)
            return _array.unsafelyUnwrapped + Int(u)
        }
        return nil
    }
}

/// Normalizes a key for raw access: int-valued floats become integers; nil and NaN are errors.
@inlinable @inline(__always)
func _normalizeKey(_ key: LuaValue) throws(LuaTableError) -> LuaValue {
    switch key.tag {
    case .nil: throw .nilKey
    case .float:
        let d = key.float
        if let i = LuaArith.toInteger(d) { return LuaValue(i) }
        if d.isNaN { throw .nanKey }
        return key
    default: return key
    }
}

// MARK: - The API the VM calls

extension Gc where T == LuaTable {
    /// Allocates an empty table with NEWTABLE's size hints (see ``LuaTable/allocate(_:arrayCapacity:hashCapacity:)``).
    public static func allocate(_ mc: borrowing Mutation, arrayCapacity: Int, hashCapacity: Int)
        throws(GCAllocationError) -> Gc<LuaTable>
    {
        try LuaTable.allocate(mc, arrayCapacity: arrayCapacity, hashCapacity: hashCapacity)
    }

    /// `t[key]` without metamethods; `.nil` when absent (`luaH_get`).
    @inlinable
    public func get(_ key: LuaValue) -> LuaValue {
        switch key.tag {
        case .integer: return get(integer: key.integer)
        case .string:
            let s = key.string
            if s.isShort { return get(shortString: s) }
            return unsafeMutablePointer.pointee._findNode(key)?.pointee.value ?? .nil
        case .nil: return .nil
        case .float:
            if let i = LuaArith.toInteger(key.float) { return get(integer: i) }
            if key.float.isNaN { return .nil }
            return unsafeMutablePointer.pointee._findNode(key)?.pointee.value ?? .nil
        default:
            return unsafeMutablePointer.pointee._findNode(key)?.pointee.value ?? .nil
        }
    }

    /// `t[i]` without metamethods (`luaH_getint`).
    @inlinable @inline(__always)
    public func get(integer key: Int64) -> LuaValue {
        // SAFETY: the table is alive; the length hint is not a handle (no barrier).
        let t = unsafeMutablePointer
        if let slot = t.pointee._arraySlot(key) { return slot.pointee }
        return t.pointee._findInteger(key)?.pointee.value ?? .nil
    }

    /// `t[s]` for a short (interned) string, comparing pointers only (`luaH_getshortstr`).
    @inlinable @inline(__always)
    public func get(shortString s: Gc<LuaString>) -> LuaValue {
        unsafeMutablePointer.pointee._findShortString(s)?.pointee.value ?? .nil
    }

    /// The value slot of `key` if present with a non-nil value, else nil: SETTABLE's fast
    /// path is then "store, then `mc.backwardBarrier(table)` if the value is collectable".
    ///
    /// The pointer is valid until the table is next resized (any insertion of a new key).
    @inlinable
    public func slotForExisting(_ key: LuaValue) -> UnsafeMutablePointer<LuaValue>? {
        let p: UnsafeMutablePointer<LuaValue>?
        switch key.tag {
        case .integer: return slotForExisting(integer: key.integer)
        case .string:
            let s = key.string
            if s.isShort { return slotForExisting(shortString: s) }
            p = _nodeValueSlot(unsafeMutablePointer.pointee._findNode(key))
        case .nil: return nil
        case .float:
            if let i = LuaArith.toInteger(key.float) { return slotForExisting(integer: i) }
            if key.float.isNaN { return nil }
            p = _nodeValueSlot(unsafeMutablePointer.pointee._findNode(key))
        default:
            p = _nodeValueSlot(unsafeMutablePointer.pointee._findNode(key))
        }
        return p
    }

    /// The value slot of integer key `i` if present with a non-nil value (SETI's fast path).
    @inlinable @inline(__always)
    public func slotForExisting(integer key: Int64) -> UnsafeMutablePointer<LuaValue>? {
        let t = unsafeMutablePointer
        if let slot = t.pointee._arraySlot(key) { return slot.pointee.isNil ? nil : slot }
        return _nodeValueSlot(t.pointee._findInteger(key))
    }

    /// The slot SETTABLE/SETI may store integer key `i` into directly: its slot if present
    /// with a non-nil value, or its array slot, even an empty one, when the table has no
    /// metatable (no `__newindex` to consult: PUC's `luaV_fastseti` followed by
    /// `luaH_finishset` on the array slot). Nil otherwise, for the slow path.
    ///
    /// This makes `t[#t + 1] = v` into a preallocated or grown array part a plain store.
    @inline(__always)
    func slotForStore(integer key: Int64) -> UnsafeMutablePointer<LuaValue>? {
        let t = unsafeMutablePointer
        if let slot = t.pointee._arraySlot(key) {
            return slot.pointee.isNil && t.pointee._metatable != nil ? nil : slot
        }
        return _nodeValueSlot(t.pointee._findInteger(key))
    }

    /// The value slot of short string `s` if present with a non-nil value (SETFIELD's fast path).
    @inlinable @inline(__always)
    public func slotForExisting(shortString s: Gc<LuaString>) -> UnsafeMutablePointer<LuaValue>? {
        _nodeValueSlot(unsafeMutablePointer.pointee._findShortString(s))
    }

    @inlinable @inline(__always)
    func _nodeValueSlot(_ n: UnsafeMutablePointer<_LuaNode>?) -> UnsafeMutablePointer<LuaValue>? {
        guard let n, !n.pointee.value.isNil else { return nil }
        // SAFETY: `value` is the first stored property of the frozen `_LuaNode` (offset 0).
        return UnsafeMutableRawPointer(n).assumingMemoryBound(to: LuaValue.self)
    }

    /// `t[key] = value` without metamethods (`luaH_set` + barrier + TM-cache invalidation).
    ///
    /// Assigning nil to an absent key does nothing; a nil or NaN key throws (even with a
    /// nil value, as PUC does).
    @inlinable
    public func set(_ mc: borrowing Mutation, _ key: LuaValue, _ value: LuaValue) throws(LuaTableError) {
        switch key.tag {
        case .integer: return try set(mc, integer: key.integer, value)
        case .string:
            let s = key.string
            if s.isShort { return try set(mc, shortString: s, value) }
            unsafeMutablePointer.pointee._flags = 0
            try _setGeneric(mc, key, value)
        default:
            let k = try _normalizeKey(key)
            if k.tag == .integer { return try set(mc, integer: k.integer, value) }
            try _setGeneric(mc, k, value)
        }
    }

    /// `t[i] = value` without metamethods (`luaH_setint` + barrier).
    @inlinable
    public func set(_ mc: borrowing Mutation, integer key: Int64, _ value: LuaValue) throws(LuaTableError) {
        let t = unsafeMutablePointer
        if let slot = t.pointee._arraySlot(key) {
            slot.pointee = value
        } else if let n = t.pointee._findInteger(key) {
            n.pointee.value = value
        } else {
            if value.isNil { return }
            try _insertNew(mc, LuaValue(key), value)
            return
        }
        if value.tag >= .string { mc.backwardBarrier(self) }
    }

    /// `t[s] = value` for a short (interned) string: pointer-compare lookup, then insert.
    @inlinable
    public func set(_ mc: borrowing Mutation, shortString s: Gc<LuaString>, _ value: LuaValue) throws(LuaTableError) {
        let t = unsafeMutablePointer
        t.pointee._flags = 0
        if let n = t.pointee._findShortString(s) {
            n.pointee.value = value
            if value.tag >= .string { mc.backwardBarrier(self) }
            return
        }
        if value.isNil { return }
        try _insertNew(mc, LuaValue(s), value)
    }

    @usableFromInline
    func _setGeneric(_ mc: borrowing Mutation, _ key: LuaValue, _ value: LuaValue) throws(LuaTableError) {
        let t = unsafeMutablePointer
        if let n = t.pointee._findNode(key) {
            n.pointee.value = value
            if value.tag >= .string { mc.backwardBarrier(self) }
            return
        }
        if value.isNil { return }
        try _insertNew(mc, key, value)
    }

    /// Inserts an absent key (normalized) with a non-nil value (`luaH_newkey`), rehashing
    /// if the hash part is full.
    @usableFromInline @inline(never)
    func _insertNew(_ mc: borrowing Mutation, _ key: LuaValue, _ value: LuaValue) throws(LuaTableError) {
        do {
            try unsafeMutablePointer.pointee._insertNew(mc, key, value)
        } catch {
            throw .outOfMemory(error)
        }
        // The key and value are new edges; a black table must be traced again.
        mc.backwardBarrier(self)
    }

    /// The metatable, or nil.
    @inlinable public var metatable: Gc<LuaTable>? { value._metatable }

    /// Sets (or removes) the metatable.
    @inlinable
    public func setMetatable(_ mc: borrowing Mutation, _ mt: Gc<LuaTable>?) {
        write(mc).value._metatable = mt
    }

    /// The VM's cache of metamethods known to be absent from this table (bit set = absent).
    ///
    /// Starts at 0 (nothing known); any raw set of a string key resets it to 0.
    @inlinable public var metamethodAbsentFlags: UInt8 { value._flags }

    /// Records metamethods known to be absent (not a handle, so no barrier).
    @inlinable
    public func setMetamethodAbsentFlags(_ f: UInt8) {
        // SAFETY: a plain byte, not a handle: no barrier needed.
        unsafeMutablePointer.pointee._flags = f
    }

    /// The first slot of the array part (keys `1...arrayCount`); nil when there is none
    /// (it may be non-nil with `arrayCount == 0`).
    ///
    /// For the interpreter's inline paths: after storing a collectable value through it,
    /// call `mc.backwardBarrier(table)`. Valid until the table is next resized.
    @inlinable public var arrayBase: UnsafeMutablePointer<LuaValue>? { value._array }

    /// The size of the array part.
    @inlinable public var arrayCount: Int { value._arraySize }

    /// The number of nodes in the hash part (a power of two, or 0).
    @inlinable public var hashCapacity: Int { value._nodeCount }

    /// Resizes both parts (`luaH_resize`): the array part to exactly `arrayCount` slots and
    /// the hash part to hold at least `hashCount` keys (rounded up to a power of two, and
    /// never below what the entries that must move there need). SETLIST uses it to grow
    /// the array part.
    public func resize(_ mc: borrowing Mutation, arrayCount: Int, hashCount: Int) throws(GCAllocationError) {
        try unsafeMutablePointer.pointee._resize(mc, arraySize: arrayCount, hashSize: hashCount)
        mc.backwardBarrier(self)
    }
}
