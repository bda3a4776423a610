import GCArena

// Making tables: the empty table NEWTABLE and the libraries allocate, presized.

extension LuaTable {
    /// Allocates an empty table, presized like PUC's `luaH_resize` after `luaH_new`: an array
    /// part of exactly `arrayCapacity` slots and a hash part of `hashCapacity` rounded up to
    /// a power of two (NEWTABLE's size hints).
    ///
    /// An array part of up to `_maxInlineSlots` slots lives in the table's own block (one
    /// allocation instead of two), with room rounded up to an even count, so a constructor
    /// like `{x, f()}` (size hint 1, two values) grows into it without allocating.
    public static func allocate(_ mc: borrowing Mutation, arrayCapacity: Int = 0, hashCapacity: Int = 0)
        throws(GCAllocationError) -> Gc<LuaTable>
    {
        try make(mc, arrayCapacity: arrayCapacity, hashCapacity: hashCapacity, kind: .unresolved)
    }

    /// ``allocate(_:arrayCapacity:hashCapacity:)`` with the table kind looked up beforehand and
    /// the allocation compiled in (NEWTABLE).
    static func allocate(_ mc: borrowing Mutation, arrayCapacity: Int, hashCapacity: Int,
                         kind: GCKind<LuaTable>) throws(GCAllocationError) -> Gc<LuaTable> {
        try make(mc, arrayCapacity: arrayCapacity, hashCapacity: hashCapacity, kind: kind)
    }

    /// Both `allocate`s (the first with an unresolved kind, which looks the type up).
    @inline(__always)
    static func make(_ mc: borrowing Mutation, arrayCapacity: Int, hashCapacity: Int,
                     kind: GCKind<LuaTable>) throws(GCAllocationError) -> Gc<LuaTable> {
        let slots = arrayCapacity > 0 && arrayCapacity <= _maxInlineSlots ? (arrayCapacity + 1) & ~1 : 0
        let inlineNodes = hashCapacity > 0 && hashCapacity <= _maxInlineNodes ? 1 << _ceilLog2(hashCapacity) : 0
        if slots > 0 || inlineNodes > 0 {
            let arrayBytes = slots * MemoryLayout<LuaValue>.stride
            let tailBytes = arrayBytes + inlineNodes * MemoryLayout<_LuaNode>.stride
            let t = try mc.allocateInline(LuaTable(), tailBytes: tailBytes, kind: kind)
            let p = t.unsafeMutablePointer
            // SAFETY: the tail holds `slots` values then `inlineNodes` nodes (requested above)
            // and lives as long as the table; nothing else points into it. A fresh table
            // needs no barrier.
            if slots > 0 {
                let a = t.tail.bindMemory(to: LuaValue.self, capacity: slots)
                a.initialize(repeating: .nil, count: slots)
                p.pointee._array = a
                p.pointee._arrayIsInline = true
                p.pointee._inlineSlots = UInt8(truncatingIfNeeded: slots)
                p.pointee._arraySize = arrayCapacity
                p.pointee._lengthHint = arrayCapacity
            }
            if inlineNodes > 0 {
                let n = (t.tail + arrayBytes).bindMemory(to: _LuaNode.self, capacity: inlineNodes)
                n.initialize(repeating: _LuaNode(), count: inlineNodes)
                p.pointee._nodes = n
                p.pointee._nodeMask = inlineNodes - 1
                p.pointee._lastFree = inlineNodes
                p.pointee._inlineNodeCount = UInt8(truncatingIfNeeded: inlineNodes)
            }
            if (arrayCapacity > 0 && slots == 0) || (hashCapacity > 0 && inlineNodes == 0) {
                try p.pointee._resize(mc, arraySize: Swift.max(0, arrayCapacity), hashSize: hashCapacity)
            }
            return t
        }
        let t = try mc.allocateInline(LuaTable(), kind: kind)
        if arrayCapacity > 0 || hashCapacity > 0 {
            // SAFETY: a fresh table holds no handles; sizing it needs no barrier.
            try t.unsafeMutablePointer.pointee._resize(mc, arraySize: Swift.max(0, arrayCapacity), hashSize: hashCapacity)
        }
        return t
    }
}
