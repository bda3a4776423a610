import Testing
import GCArena
@testable import LuaCore

@Suite struct LuaTableTests {
    @Test func nodeLayoutIsCompact() {
        #expect(MemoryLayout<_LuaNode>.stride == 32)
        #expect(MemoryLayout<LuaValue>.stride == 16)
        #expect(_isPOD(LuaTable.self))
    }

    @Test func smallArrayPartsLiveInTheTableBlock() throws {
        #expect(MemoryLayout<LuaTable>.stride == 40)
        let arena = makeRuntimeArena()
        try arena.mutate { mc, root in
            let empty = mc.liveBytes
            _ = try LuaTable.allocate(mc)
            let plainBlock = mc.liveBytes - empty  // header (16, or 32 in debug builds) + 40
            let before = mc.liveBytes
            // A size hint of 1 gets two inline slots: growing to 2 (SETLIST of `{x, f()}`)
            // stays inline and reports no external memory.
            let t = try LuaTable.allocate(mc, arrayCapacity: 1)
            let block = mc.liveBytes - before
            #expect(block == plainBlock + 32)
            let values = [LuaValue(Int64(7)), LuaValue(Int64(8))]
            try values.withUnsafeBufferPointer { try t.setList(mc, from: $0.baseAddress!, count: 2, offset: 0) }
            #expect(t.arrayCount == 2 && mc.liveBytes - before == block)
            #expect(t.get(integer: 1).integer == 7 && t.get(integer: 2).integer == 8 && t.length() == 2)
            // Past the inline slots the array moves to malloc'd memory, contents kept.
            for i in 3...40 { try t.set(mc, integer: Int64(i), LuaValue(Int64(i))) }
            #expect(t.arrayCount == 64 && t.length() == 40)
            #expect(mc.liveBytes - before == block + 64 * 16)
            for i in 3...40 { #expect(t.get(integer: Int64(i)).integer == Int64(i)) }
            #expect(t.get(integer: 1).integer == 7)
            // An inline array shrinking to nothing keeps its slots (never freed separately).
            let u = try LuaTable.allocate(mc, arrayCapacity: 3)
            try u.set(mc, integer: 1, .true)
            try u.set(mc, integer: 1, .nil)
            for i in 0..<8 { try u.set(mc, LuaValue(try root.strings.intern(mc, "k\(i)")), .true) }
            #expect(u.arrayCount == 0 && u.hashCapacity == 8)
            for i: Int64 in 1...4 { try u.set(mc, integer: i, LuaValue(i)) }
            #expect(u.get(integer: 4).integer == 4 && u.length() == 4)
            // A small hash hint puts the nodes in the block too, until they are outgrown.
            let before2 = mc.liveBytes
            let keys = try (0..<5).map { LuaValue(try root.strings.intern(mc, "f\($0)")) }
            let withStrings = mc.liveBytes
            let h = try LuaTable.allocate(mc, hashCapacity: 2)
            #expect(mc.liveBytes - withStrings == plainBlock + 2 * 32 && before2 <= withStrings)
            try h.set(mc, keys[0], .true)
            try h.set(mc, keys[1], .false)
            #expect(h.hashCapacity == 2 && mc.liveBytes - withStrings == plainBlock + 2 * 32)
            // A third key rehashes to 4 nodes: malloc'd (the block keeps its unused nodes).
            try h.set(mc, keys[2], LuaValue(Int64(3)))
            #expect(h.hashCapacity == 4 && mc.liveBytes - withStrings == plainBlock + 2 * 32 + 4 * 32)
            #expect(h.get(keys[0]).tag == .true && h.get(keys[1]).tag == .false && h.get(keys[2]).integer == 3)
            // Rehashing within the inline nodes (removed keys dropped) keeps the entries.
            let g = try LuaTable.allocate(mc, arrayCapacity: 2, hashCapacity: 4)
            try g.set(mc, keys[0], .true)
            try g.set(mc, keys[1], .true)
            try g.set(mc, keys[2], .true)
            try g.set(mc, keys[3], .true)
            try g.set(mc, keys[0], .nil)
            try g.set(mc, keys[4], LuaValue(Int64(5)))
            #expect(g.hashCapacity == 4 && g.get(keys[4]).integer == 5 && g.get(keys[0]).isNil)
            #expect(g.get(keys[1]).tag == .true && g.get(keys[3]).tag == .true)
            // Hints past the inline limit take the malloc'd path as before.
            let w = try LuaTable.allocate(mc, arrayCapacity: LuaTable._maxInlineSlots + 1)
            #expect(w.arrayCount == LuaTable._maxInlineSlots + 1)
        }
        arena.collectAll()
    }

    @Test func integerKeysFillTheArrayPart() throws {
        let arena = makeRuntimeArena()
        try arena.mutate { mc, root in
            let t = try LuaTable.allocate(mc)
            #expect(t.arrayCount == 0 && t.hashCapacity == 0)
            // Sizes reasoned from the rule (largest power of two n with more than n/2 of
            // 1...n in use): after t[1..10] = i, 9 keys > 16/2 at the last rehash -> 16.
            for i in 1...10 { try t.set(mc, integer: Int64(i), LuaValue(Int64(i * 10))) }
            #expect(t.arrayCount == 16)
            #expect(t.hashCapacity == 0)
            for i in 1...10 { #expect(t.get(integer: Int64(i)).integer == Int64(i * 10)) }
            #expect(t.get(integer: 11).isNil && t.get(integer: 0).isNil && t.get(integer: -1).isNil)
            #expect(t.arrayBase![4].integer == 50)
        }
    }

    @Test func rehashSizesFollowPUCsRule() throws {
        let arena = makeRuntimeArena()
        try arena.mutate { mc, root in
            // t[1], t[2], t[4]: 3 keys, more than 4/2 of 1...4 in use -> array 4, no hash.
            let a = try LuaTable.allocate(mc)
            for k: Int64 in [1, 2, 4] { try a.set(mc, integer: k, .true) }
            #expect(a.arrayCount == 4 && a.hashCapacity == 0)
            // A sparse key stays in the hash part: {1, 2, 100} -> array 2, hash holds 100.
            let b = try LuaTable.allocate(mc)
            for k: Int64 in [1, 2, 100] { try b.set(mc, integer: k, .true) }
            #expect(b.arrayCount == 2)
            #expect(b.hashCapacity == 1)
            // Keys only in the upper half of a slice: {3, 4} -> 2 keys, not more than 4/2 ->
            // array 0; both hashed.
            let c = try LuaTable.allocate(mc)
            for k: Int64 in [3, 4] { try c.set(mc, integer: k, .true) }
            #expect(c.arrayCount == 0 && c.hashCapacity == 2)
            // String keys: the hash part doubles 1, 2, 4.
            let d = try LuaTable.allocate(mc)
            for (i, name) in ["x", "y", "z"].enumerated() {
                try d.set(mc, LuaValue(try root.strings.intern(mc, name)), LuaValue(Int64(i)))
            }
            #expect(d.arrayCount == 0 && d.hashCapacity == 4)
            // Constructor hints: exact array size, hash rounded up to a power of two.
            let e = try LuaTable.allocate(mc, arrayCapacity: 3, hashCapacity: 3)
            #expect(e.arrayCount == 3 && e.hashCapacity == 4)
            // Negative and zero integers never go to the array part.
            let f = try LuaTable.allocate(mc)
            for k: Int64 in [0, -1, -2] { try f.set(mc, integer: k, .true) }
            #expect(f.arrayCount == 0 && f.hashCapacity == 4)
            // The array part shrinks when most of it empties: 1...8 then clear 2...8,
            // then insert enough hash keys to force rehashes.
            let g = try LuaTable.allocate(mc)
            for k in 1...8 { try g.set(mc, integer: Int64(k), .true) }
            for k in 2...8 { try g.set(mc, integer: Int64(k), .nil) }
            for k in 0..<3 { try g.set(mc, LuaValue(Double(k) + 0.5), .true) }
            #expect(g.arrayCount == 1)
            #expect(g.get(integer: 1).tag == .true)
            for k in 2...8 { #expect(g.get(integer: Int64(k)).isNil) }
        }
    }

    @Test func stringBooleanFloatAndTableKeys() throws {
        let arena = makeRuntimeArena()
        try arena.mutate { mc, root in
            let t = try LuaTable.allocate(mc)
            let other = try LuaTable.allocate(mc)
            root.values.append(LuaValue(other))
            let name = try root.strings.intern(mc, "name")
            let long1 = try root.strings.intern(mc, String(repeating: "L", count: 60))
            let long2 = try root.strings.intern(mc, String(repeating: "L", count: 60))
            try t.set(mc, LuaValue(name), LuaValue(Int64(1)))
            try t.set(mc, .true, LuaValue(Int64(2)))
            try t.set(mc, .false, LuaValue(Int64(3)))
            try t.set(mc, LuaValue(2.5), LuaValue(Int64(4)))
            try t.set(mc, LuaValue(other), LuaValue(Int64(5)))
            try t.set(mc, LuaValue(long1), LuaValue(Int64(6)))
            #expect(t.get(LuaValue(name)).integer == 1)
            #expect(t.get(shortString: name).integer == 1)
            #expect(t.get(.true).integer == 2)
            #expect(t.get(.false).integer == 3)
            #expect(t.get(LuaValue(2.5)).integer == 4)
            #expect(t.get(LuaValue(other)).integer == 5)
            // A different long-string object with the same bytes is the same key.
            #expect(t.get(LuaValue(long2)).integer == 6)
            try t.set(mc, LuaValue(long2), LuaValue(Int64(7)))
            #expect(t.get(LuaValue(long1)).integer == 7)
            #expect(t.get(.nil).isNil)
            #expect(t.get(LuaValue(Double.nan)).isNil)
        }
    }

    @Test func floatKeysWithIntegerValuesAreNormalized() throws {
        let arena = makeRuntimeArena()
        try arena.mutate { mc, root in
            let t = try LuaTable.allocate(mc)
            try t.set(mc, LuaValue(1.0), LuaValue(Int64(10)))
            try t.set(mc, LuaValue(-0.0), LuaValue(Int64(20)))
            try t.set(mc, LuaValue(1e15), LuaValue(Int64(30)))
            #expect(t.get(integer: 1).integer == 10)
            #expect(t.get(LuaValue(Int64(1))).integer == 10)
            #expect(t.get(integer: 0).integer == 20)
            #expect(t.get(LuaValue(0.0)).integer == 20)
            #expect(t.get(integer: 1_000_000_000_000_000).integer == 30)
            // 2^63 is not an integer value: stays a float key.
            try t.set(mc, LuaValue(9_223_372_036_854_775_808.0), LuaValue(Int64(40)))
            #expect(t.get(LuaValue(9_223_372_036_854_775_808.0)).integer == 40)
            var keys: [LuaValue] = []
            var k = LuaValue.nil
            while let (key, _) = try t.next(after: k) { keys.append(key); k = key }
            #expect(keys.filter { $0.tag == .float }.count == 1)
            #expect(keys.filter { $0.tag == .integer }.count == 3)
        }
    }

    @Test func nilAndNaNKeysAreErrors() throws {
        let arena = makeRuntimeArena()
        try arena.mutate { mc, root in
            let t = try LuaTable.allocate(mc)
            #expect(throws: LuaTableError.nilKey) { try t.set(mc, .nil, .true) }
            #expect(throws: LuaTableError.nanKey) { try t.set(mc, LuaValue(Double.nan), .true) }
            // Like PUC, even assigning nil with such a key is an error.
            #expect(throws: LuaTableError.nilKey) { try t.set(mc, .nil, .nil) }
            #expect(throws: LuaTableError.nanKey) { try t.set(mc, LuaValue(-Double.nan), .nil) }
            // Messages as lua5.4 prints them (`lua5.4 -e 't={} t[nil]=1'`, `t[0/0]=1`).
            #expect(LuaTableError.nilKey.message == "table index is nil")
            #expect(LuaTableError.nanKey.message == "table index is NaN")
            #expect(LuaTableError.invalidKeyToNext.message == "invalid key to 'next'")
            // Assigning nil to an absent key inserts nothing.
            try t.set(mc, LuaValue(Int64(5)), .nil)
            try t.set(mc, LuaValue(try root.strings.intern(mc, "absent")), .nil)
            #expect(t.hashCapacity == 0 && t.arrayCount == 0)
        }
    }

    @Test func slotForExistingFindsOnlyNonNilValues() throws {
        let arena = makeRuntimeArena()
        try arena.mutate { mc, root in
            let t = try LuaTable.allocate(mc)
            let k = try root.strings.intern(mc, "field")
            #expect(t.slotForExisting(shortString: k) == nil)
            try t.set(mc, shortString: k, LuaValue(Int64(1)))
            try t.set(mc, integer: 1, LuaValue(Int64(2)))
            try t.set(mc, LuaValue(3.5), LuaValue(Int64(3)))
            let s = try #require(t.slotForExisting(shortString: k))
            s.pointee = LuaValue(Int64(100))
            #expect(t.get(shortString: k).integer == 100)
            try #require(t.slotForExisting(integer: 1)).pointee = LuaValue(Int64(200))
            #expect(t.get(integer: 1).integer == 200)
            #expect(t.slotForExisting(LuaValue(3.5))?.pointee.integer == 3)
            #expect(t.slotForExisting(LuaValue(1.0))?.pointee.integer == 200)
            try t.set(mc, shortString: k, .nil)
            #expect(t.slotForExisting(shortString: k) == nil)
            #expect(t.slotForExisting(integer: 2) == nil)
            #expect(t.slotForExisting(.nil) == nil)
        }
    }

    @Test func metatableAndAbsentFlags() throws {
        let arena = makeRuntimeArena()
        try arena.mutate { mc, root in
            let t = try LuaTable.allocate(mc)
            let mt = try LuaTable.allocate(mc)
            root.values.append(LuaValue(t))
            #expect(t.metatable == nil)
            t.setMetatable(mc, mt)
            #expect(t.metatable == mt)
            #expect(mt.metamethodAbsentFlags == 0)
            mt.setMetamethodAbsentFlags(0x3F)
            #expect(mt.metamethodAbsentFlags == 0x3F)
            try mt.set(mc, integer: 1, .true)  // not a string key: cache kept
            #expect(mt.metamethodAbsentFlags == 0x3F)
            try mt.set(mc, LuaValue(try root.strings.intern(mc, "__index")), .true)
            #expect(mt.metamethodAbsentFlags == 0)
            mt.setMetamethodAbsentFlags(0x01)
            try mt.set(mc, shortString: try root.strings.intern(mc, "x"), .nil)  // even nil
            #expect(mt.metamethodAbsentFlags == 0)
            t.setMetatable(mc, nil)
            #expect(t.metatable == nil)
        }
        arena.collectAll()
        #expect(arena.verifyHeap().isValid)
    }

    /// Collects every (key, value) pair by `next`.
    static func traverse(_ t: Gc<LuaTable>) throws -> [(LuaValue, LuaValue)] {
        var out: [(LuaValue, LuaValue)] = []
        var k = LuaValue.nil
        while let (key, value) = try t.next(after: k) {
            out.append((key, value))
            k = key
        }
        return out
    }

    @Test func nextVisitsEveryKeyOnce() throws {
        let arena = makeRuntimeArena()
        try arena.mutate { mc, root in
            let t = try LuaTable.allocate(mc)
            var expected = Set<Int64>()
            for i in 1...50 { try t.set(mc, integer: Int64(i), LuaValue(Int64(i))); expected.insert(Int64(i)) }
            for i in stride(from: 1000, to: 1100, by: 7) { try t.set(mc, integer: Int64(i), LuaValue(Int64(i))); expected.insert(Int64(i)) }
            for i in 0..<30 { try t.set(mc, LuaValue(try root.strings.intern(mc, "k\(i)")), LuaValue(Int64(-1 - i))) }
            let pairs = try Self.traverse(t)
            #expect(pairs.count == expected.count + 30)
            let ints = pairs.filter { $0.0.tag == .integer }.map { $0.0.integer }
            #expect(Set(ints) == expected && ints.count == expected.count)
            let strs = pairs.filter { $0.0.tag == .string }.map { $0.0.string.stringValue }
            #expect(Set(strs).count == 30 && strs.count == 30)
            for (k, v) in pairs where k.tag == .integer { #expect(v.integer == k.integer) }
            // Empty table.
            let e = try LuaTable.allocate(mc)
            #expect(try e.next(after: .nil) == nil)
        }
    }

    @Test func nextSurvivesClearingFieldsDuringTraversal() throws {
        let arena = makeRuntimeArena()
        try arena.mutate { mc, root in
            let t = try LuaTable.allocate(mc)
            for i in 1...20 { try t.set(mc, integer: Int64(i), .true) }
            for i in 0..<40 { try t.set(mc, LuaValue(try root.strings.intern(mc, "f\(i)")), .true) }
            for i in 0..<10 { try t.set(mc, LuaValue(Double(i) + 0.25), .true) }
            var visited = 0
            var seen = Set<UInt64>()
            var k = LuaValue.nil
            while let (key, _) = try t.next(after: k) {
                visited += 1
                #expect(seen.insert(key.bits ^ UInt64(key.tag.rawValue)).inserted)
                try t.set(mc, key, .nil)  // clear the field we are standing on
                k = key
            }
            #expect(visited == 70)
            #expect(try t.next(after: .nil) == nil)
            // Assigning existing (now cleared) keys again reuses their nodes: no rehash.
            let capacity = t.hashCapacity
            try t.set(mc, LuaValue(try root.strings.intern(mc, "f3")), .false)
            #expect(t.hashCapacity == capacity)
        }
    }

    @Test func nextRejectsUnknownKeys() throws {
        let arena = makeRuntimeArena()
        try arena.mutate { mc, root in
            let t = try LuaTable.allocate(mc)
            try t.set(mc, integer: 1, LuaValue(Int64(10)))
            try t.set(mc, integer: 2, LuaValue(Int64(20)))
            // `lua5.4 -e 'print(next({10,20}, 1.0))'` -> invalid key to 'next' (no normalization).
            #expect(throws: LuaTableError.invalidKeyToNext) { try t.next(after: LuaValue(1.0)) }
            #expect(throws: LuaTableError.invalidKeyToNext) { try t.next(after: LuaValue(Int64(3))) }
            #expect(throws: LuaTableError.invalidKeyToNext) { try t.next(after: LuaValue(try root.strings.intern(mc, "x"))) }
            let after1 = try #require(try t.next(after: LuaValue(Int64(1))))
            #expect(after1.key.integer == 2 && after1.value.integer == 20)
            #expect(try t.next(after: LuaValue(Int64(2))) == nil)
        }
    }
}
