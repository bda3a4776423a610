#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import GCArena

// Inserting new keys, and the rehash that sizes both parts (PUC's `luaH_newkey`, `rehash`,
// `computesizes`, `numusearray`, `numusehash`, `luaH_resize`).
//
// The sizing rule: when a new key finds no free node, count every integer key `k` in
// `1...2^31` by the slice `(2^(i-1), 2^i]` it falls in, the new key included. The array part
// becomes the largest power of two `n` such that more than `n/2` of the keys `1...n` are in
// use; everything else goes to a hash part of the next power of two that holds it. Nodes
// with nil values (dead keys) are not counted, so a rehash is also how they go away.

extension LuaTable {
    /// PUC's `MAXABITS`: the array part never exceeds `2^31` slots.
    @usableFromInline static let _maxArrayBits = 31
    /// PUC's `MAXHBITS`.
    @usableFromInline static let _maxHashBits = 30

    /// Inserts an absent, normalized key with a non-nil value, rehashing when no node is free.
    @usableFromInline
    mutating func _insertNew(_ mc: borrowing Mutation, _ key: LuaValue, _ value: LuaValue) throws(GCAllocationError) {
        if _placeKey(key, value) { return }
        try _rehash(mc, extraKey: key)
        // After the rehash the key may belong to the array part (`luaH_set` again).
        if key.tag == .integer, let slot = _arraySlot(key.integer) {
            slot.pointee = value
            return
        }
        let placed = _placeKey(key, value)
        precondition(placed, "LuaTable: rehash left no free node")
    }

    /// Places a key in the hash part with Brent's variation; false when no node is free
    /// (or there is no hash part). The key must be absent from the live and removed entries
    /// (a dead key with the same address may remain: lookups never match it).
    @usableFromInline
    mutating func _placeKey(_ key: LuaValue, _ value: LuaValue) -> Bool {
        guard let nodes = _nodes else { return false }
        // SAFETY: every index is masked or a chain offset between nodes of this vector.
        var mp = nodes + _mainPosition(key)
        if !mp.pointee.value.isNil {
            // The main position is taken: find a free node (never used: nil key, zero bits;
            // a dead key is nil with its object's address and may still link a chain).
            var free: UnsafeMutablePointer<_LuaNode>? = nil
            while _lastFree > 0 {
                _lastFree -= 1
                let k = nodes[_lastFree].key
                if k.tag == .nil && k.bits == 0 { free = nodes + _lastFree; break }
            }
            guard let f = free else { return false }
            var other = nodes + _mainPosition(mp.pointee.key)
            if other != mp {
                // The squatter is not in its main position: move it to the free node.
                while other + Int(other.pointee.next) != mp { other += Int(other.pointee.next) }
                other.pointee.next = Int32(truncatingIfNeeded: f - other)
                f.pointee = mp.pointee
                if mp.pointee.next != 0 {
                    f.pointee.next &+= Int32(truncatingIfNeeded: mp - f)
                    mp.pointee.next = 0
                }
                mp.pointee.value = .nil
            } else {
                // The squatter is in its own main position: the new key takes the free node.
                if mp.pointee.next != 0 {
                    f.pointee.next = Int32(truncatingIfNeeded: (mp + Int(mp.pointee.next)) - f)
                }
                mp.pointee.next = Int32(truncatingIfNeeded: f - mp)
                mp = f
            }
        }
        mp.pointee.key = key
        mp.pointee.value = value
        return true
    }

    /// `luaO_ceillog2`: the least `k` with `2^k >= x` (x >= 1).
    @inlinable @inline(__always)
    static func _ceilLog2(_ x: Int) -> Int {
        x <= 1 ? 0 : Int.bitWidth - (x - 1).leadingZeroBitCount
    }

    /// Counts keys and resizes for them plus `extraKey` (PUC's `rehash`).
    @usableFromInline @inline(never)
    mutating func _rehash(_ mc: borrowing Mutation, extraKey: LuaValue) throws(GCAllocationError) {
        let sizes = withUnsafeTemporaryAllocation(of: Int.self, capacity: Self._maxArrayBits + 1) { buf in
            let nums = buf.baseAddress.unsafelyUnwrapped
            nums.initialize(repeating: 0, count: Self._maxArrayBits + 1)
            _lengthHint = _arraySize
            var na = _countArray(nums)
            var total = na
            total += _countHash(nums, &na)
            if extraKey.tag == .integer { na += Self._countInteger(extraKey.integer, nums) }
            total += 1
            let arraySize = Self._computeSizes(nums, &na)
            return (arraySize, total - na)
        }
        try _resize(mc, arraySize: sizes.0, hashSize: sizes.1)
    }

    /// `countint`: tallies `k` if it could live in the array part.
    @inlinable
    static func _countInteger(_ k: Int64, _ nums: UnsafeMutablePointer<Int>) -> Int {
        let u = UInt64(bitPattern: k) &- 1
        guard u < (1 << UInt64(_maxArrayBits)) else { return 0 }
        nums[_ceilLog2(Int(k))] += 1
        return 1
    }

    /// `numusearray`: tallies the array part's non-nil slots by slice; returns their count.
    func _countArray(_ nums: UnsafeMutablePointer<Int>) -> Int {
        var used = 0
        var i = 1
        var twoToLg = 1
        let size = _arraySize
        guard let a = _array else { return 0 }
        for lg in 0...Self._maxArrayBits {
            var lim = twoToLg
            if lim > size {
                lim = size
                if i > lim { break }
            }
            var count = 0
            // SAFETY: `i <= lim <= size`.
            while i <= lim {
                if !a[i - 1].isNil { count += 1 }
                i += 1
            }
            nums[lg] += count
            used += count
            twoToLg *= 2
        }
        return used
    }

    /// `numusehash`: counts live nodes, tallying integer keys; adds those to `na`.
    func _countHash(_ nums: UnsafeMutablePointer<Int>, _ na: inout Int) -> Int {
        guard let nodes = _nodes else { return 0 }
        var total = 0
        var ints = 0
        for j in 0..._nodeMask where !nodes[j].value.isNil {
            if nodes[j].key.tag == .integer { ints += Self._countInteger(nodes[j].key.integer, nums) }
            total += 1
        }
        na += ints
        return total
    }

    /// `computesizes`: the optimal array size; `na` leaves as the count of keys going there.
    static func _computeSizes(_ nums: UnsafeMutablePointer<Int>, _ na: inout Int) -> Int {
        var a = 0
        var inArray = 0
        var optimal = 0
        var i = 0
        var twoToI = 1
        while twoToI <= (1 << _maxArrayBits) && na > twoToI / 2 {
            a += nums[i]
            if a > twoToI / 2 {
                optimal = twoToI
                inArray = a
            }
            i += 1
            twoToI *= 2
        }
        na = inArray
        return optimal
    }

    /// The bytes `count` values of type `T` take, `Int.max` when that does not fit.
    static func _bytes<T>(_ count: Int, of _: T.Type) -> Int {
        let (bytes, overflow) = count.multipliedReportingOverflow(by: MemoryLayout<T>.stride)
        return overflow ? .max : bytes
    }

    /// Resizes the array part to exactly `arraySize` slots and the hash part to the power
    /// of two holding `hashSize` keys, moving entries between the parts (`luaH_resize`).
    ///
    /// The hash size is raised if the entries that must live there need more nodes, so
    /// reinsertion never needs another rehash. On error the table is unchanged.
    @usableFromInline
    mutating func _resize(_ mc: borrowing Mutation, arraySize newASize: Int, hashSize requested: Int) throws(GCAllocationError) {
        precondition(newASize >= 0, "LuaTable: negative array size")
        // Sizes come from NEWTABLE operands (a binary chunk's may ask for 2^33 slots) and the
        // public allocate: too large is an allocation failure, as in PUC, never a trap.
        guard newASize <= 1 << Self._maxArrayBits else {
            throw .outOfMemory(requested: Self._bytes(newASize, of: LuaValue.self))
        }
        let oldASize = _arraySize
        _lengthHint = oldASize
        // Entries that will live in the new hash part: live nodes whose key is not an
        // integer in the new array range, plus the live slots of a vanishing array slice.
        var needed = 0
        if let nodes = _nodes {
            for j in 0..._nodeMask where !nodes[j].value.isNil {
                let k = nodes[j].key
                if !(k.tag == .integer && UInt64(bitPattern: k.integer) &- 1 < UInt64(newASize)) { needed += 1 }
            }
        }
        if newASize < oldASize, let a = _array {
            for i in newASize..<oldASize where !a[i].isNil { needed += 1 }
        }
        let hashSize = Swift.max(requested, needed)
        var newNodeCount = 0
        if hashSize > 0 {
            let lsize = Self._ceilLog2(hashSize)
            if lsize > Self._maxHashBits { throw .outOfMemory(requested: Self._bytes(hashSize, of: _LuaNode.self)) }
            newNodeCount = 1 << lsize
        }
        let oldBytes = _externalBytes
        // Inline slots (Table.swift) hold the array while it fits; past them it moves to malloc.
        let newInline = _arrayIsInline && newASize <= Int(_inlineSlots)
        let newArrayBytes = newInline ? 0 : newASize * MemoryLayout<LuaValue>.stride
        // Likewise the hash part: it stays in its inline nodes while they are enough.
        let oldNodesInline = _inlineNodeCount != 0
        let newNodesInline = oldNodesInline && newNodeCount > 0 && newNodeCount <= Int(_inlineNodeCount)
        let newNodeBytes = newNodesInline ? 0 : newNodeCount * MemoryLayout<_LuaNode>.stride
        let newBytes = newArrayBytes + newNodeBytes
        let delta = newBytes - oldBytes
        if delta > 0 { try mc.reportExternalMemory(delta) }

        // Allocate everything that can fail before touching the table.
        var newNodes: UnsafeMutablePointer<_LuaNode>? = nil
        if newNodeCount > 0 && !newNodesInline {
            guard let raw = malloc(newNodeCount * MemoryLayout<_LuaNode>.stride) else {
                if delta > 0 { try? mc.reportExternalMemory(-delta) }
                throw .outOfMemory(requested: newNodeCount * MemoryLayout<_LuaNode>.stride)
            }
            // SAFETY: `raw` holds `newNodeCount` nodes; each is initialized here.
            let n = raw.bindMemory(to: _LuaNode.self, capacity: newNodeCount)
            n.initialize(repeating: _LuaNode(), count: newNodeCount)
            newNodes = n
        }
        var array = _array
        if newASize > oldASize && newInline {
            // SAFETY: `newASize <= _inlineSlots`: the new slots are inside the inline storage.
            (array.unsafelyUnwrapped + oldASize).initialize(repeating: .nil, count: newASize - oldASize)
        } else if newASize > oldASize && _arrayIsInline {
            // Out of the inline slots: copy to a malloc'd block (the inline slots stay unused).
            guard let raw = malloc(newASize * MemoryLayout<LuaValue>.stride) else {
                if let n = newNodes { free(n) }
                if delta > 0 { try? mc.reportExternalMemory(-delta) }
                throw .outOfMemory(requested: newASize * MemoryLayout<LuaValue>.stride)
            }
            // SAFETY: `raw` holds `newASize` values: the first `oldASize` are copied from the
            // inline slots, the rest set to nil.
            let b = raw.bindMemory(to: LuaValue.self, capacity: newASize)
            if let old = array { b.initialize(from: old, count: oldASize) }
            (b + oldASize).initialize(repeating: .nil, count: newASize - oldASize)
            array = b
        } else if newASize > oldASize {
            // SAFETY: realloc keeps the first `oldASize` values; on failure the old block is intact.
            guard let raw = realloc(array, newASize * MemoryLayout<LuaValue>.stride) else {
                if let n = newNodes { free(n) }
                if delta > 0 { try? mc.reportExternalMemory(-delta) }
                throw .outOfMemory(requested: newASize * MemoryLayout<LuaValue>.stride)
            }
            array = raw.bindMemory(to: LuaValue.self, capacity: newASize)
            (array.unsafelyUnwrapped + oldASize).initialize(repeating: .nil, count: newASize - oldASize)
        }

        // Nothing fails from here on.
        let oldNodes = _nodes
        let oldNodeCount = _nodeCount
        if newNodesInline, let o = oldNodes {
            // The new hash part reuses the inline nodes: their entries wait in a stack copy.
            withUnsafeTemporaryAllocation(of: _LuaNode.self, capacity: oldNodeCount) { saved in
                // SAFETY: `saved` holds `oldNodeCount` nodes, the inline nodes at least
                // `newNodeCount` (checked against `_inlineNodeCount` above); nodes are trivial.
                let copy = saved.baseAddress.unsafelyUnwrapped
                copy.initialize(from: o, count: oldNodeCount)
                o.initialize(repeating: _LuaNode(), count: newNodeCount)
                _install(nodes: o, nodeCount: newNodeCount, array: array, arraySize: newASize,
                         arrayInline: newInline, reinserting: copy, count: oldNodeCount)
            }
        } else {
            if oldNodesInline { _inlineNodeCount = 0 }  // given up for good
            _install(nodes: newNodes, nodeCount: newNodeCount, array: array, arraySize: newASize,
                     arrayInline: newInline, reinserting: oldNodes, count: oldNodeCount)
            // SAFETY: a malloc'd hash part is this table's alone; its entries were reinserted.
            if let o = oldNodes, !oldNodesInline { free(o) }
        }
        if delta < 0 { try? mc.reportExternalMemory(delta) }
    }

    /// The infallible end of `_resize`: installs the new hash part and array, moves a
    /// vanishing array slice into the hash part, and reinserts the old hash part's entries
    /// from `old` (which the caller frees, if it must).
    mutating func _install(nodes newNodes: UnsafeMutablePointer<_LuaNode>?, nodeCount newNodeCount: Int,
                           array: UnsafeMutablePointer<LuaValue>?, arraySize newASize: Int, arrayInline newInline: Bool,
                           reinserting old: UnsafeMutablePointer<_LuaNode>?, count oldNodeCount: Int) {
        let oldASize = _arraySize
        // SAFETY: indices are bounded by the old and new part sizes.
        _nodes = newNodes
        _nodeMask = newNodeCount == 0 ? 0 : newNodeCount - 1
        _lastFree = newNodeCount
        _array = array
        let wasInline = _arrayIsInline
        _arrayIsInline = newInline
        if newASize < oldASize, let a = array {
            // Move the vanishing slice into the new hash part, then shrink the block.
            _arraySize = newASize
            _lengthHint = newASize
            for i in newASize..<oldASize where !a[i].isNil {
                let placed = _placeKey(LuaValue(Int64(i + 1)), a[i])
                precondition(placed, "LuaTable: resize left no free node")
            }
            if wasInline {
                // The inline slots stay the array's storage, whatever its size.
            } else if newASize == 0 {
                free(a)
                _array = nil
            } else if let shrunk = realloc(a, newASize * MemoryLayout<LuaValue>.stride) {
                // SAFETY: shrinking keeps the first `newASize` values.
                _array = shrunk.bindMemory(to: LuaValue.self, capacity: newASize)
            }
        }
        _arraySize = newASize
        _lengthHint = newASize
        // Reinsert the old hash part's live entries.
        if let old {
            for j in 0..<oldNodeCount where !old[j].value.isNil {
                let k = old[j].key
                if k.tag == .integer, let slot = _arraySlot(k.integer) {
                    slot.pointee = old[j].value
                } else {
                    let placed = _placeKey(k, old[j].value)
                    precondition(placed, "LuaTable: resize left no free node")
                }
            }
        }
    }
}
