import GCArena

// The length operator's border search (PUC 5.4's `luaH_getn`, `binsearch`, `hash_search`).
//
// A border is any `n >= 0` with `t[n] ~= nil` (or `n == 0`) and `t[n+1] == nil`. A table
// with holes has several; which one `#` returns depends on the array part's size and on a
// hint, `_lengthHint` (PUC's `alimit`), that `#` moves to the border it found so the next
// call starts there. The hint follows PUC's rules exactly (it may move only when the array
// size is a power of two, and never to a power of two below it), and integer reads and
// writes through ``Gc/get(integer:)``, ``Gc/set(_:integer:_:)`` and
// ``Gc/slotForExisting(integer:)`` raise it as `luaH_getint` does, so `#` returns the same
// border as lua5.4 on tables built the same way. (Interpreter fast paths that use
// ``Gc/arrayBase`` directly skip that update; the result is still a border.)

extension Gc where T == LuaTable {
    /// A border of the table (`#t` without `__len`).
    public func length() -> Int64 {
        Int64(bitPattern: unsafeMutablePointer.pointee._border())
    }
}

extension LuaTable {
    @inlinable @inline(__always)
    static func _isPowerOfTwo(_ x: Int) -> Bool { x & (x &- 1) == 0 }

    /// `luaH_getn`.
    @usableFromInline
    mutating func _border() -> UInt64 {
        var limit = _lengthHint
        let size = _arraySize
        // SAFETY: every index below is checked against `limit <= size` or `size`.
        if limit > 0, let a = _array, a[limit - 1].isNil {
            // (1) There is a border before `limit`.
            if limit >= 2 && !a[limit - 2].isNil {
                if Self._isPowerOfTwo(size) && !Self._isPowerOfTwo(limit - 1) { _lengthHint = limit - 1 }
                return UInt64(limit - 1)
            }
            let border = Self._binarySearch(a, 0, limit)
            if Self._isPowerOfTwo(size) && border > size / 2 { _lengthHint = border }
            return UInt64(border)
        }
        if limit != size, let a = _array {
            // (2) `limit` is present and the array goes on after it.
            if a[limit].isNil { return UInt64(limit) }
            limit = size
            if a[limit - 1].isNil {
                let border = Self._binarySearch(a, _lengthHint, limit)
                _lengthHint = border
                return UInt64(border)
            }
        }
        // (3) The array is empty or its last slot is present: look in the hash part.
        if _nodes == nil { return UInt64(limit) }
        if (_findInteger(Int64(limit) + 1)?.pointee.value ?? .nil).isNil { return UInt64(limit) }
        return _hashSearch(UInt64(limit))
    }

    /// `binsearch`: a border in `(i, j]` given `a[i]` present (or `i == 0`) and `a[j]` absent.
    static func _binarySearch(_ a: UnsafeMutablePointer<LuaValue>, _ i0: Int, _ j0: Int) -> Int {
        var i = i0, j = j0
        while j - i > 1 {
            let m = (i + j) / 2
            if a[m - 1].isNil { j = m } else { i = m }
        }
        return i
    }

    func _isAbsentInteger(_ k: UInt64) -> Bool {
        let key = Int64(bitPattern: k)
        if k &- 1 < UInt64(_arraySize) { return _array.unsafelyUnwrapped[Int(k - 1)].isNil }
        return (_findInteger(key)?.pointee.value ?? .nil).isNil
    }

    /// `hash_search`: `j` is zero or present and `j + 1` is present; doubles to find an
    /// absent key, then binary-searches between.
    func _hashSearch(_ start: UInt64) -> UInt64 {
        var j = start == 0 ? 1 : start
        var i: UInt64
        let maxInteger = UInt64(Int64.max)
        repeat {
            i = j
            if j <= maxInteger / 2 {
                j *= 2
            } else {
                j = maxInteger
                if _isAbsentInteger(j) { break }
                return j
            }
        } while !_isAbsentInteger(j)
        while j - i > 1 {
            let m = (i + j) / 2
            if _isAbsentInteger(m) { j = m } else { i = m }
        }
        return i
    }
}
