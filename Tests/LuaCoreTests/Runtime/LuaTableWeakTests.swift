import Testing
import GCArena
@testable import LuaCore

/// Weak tables (`__mode`) under full collections: the finalization hook of
/// `makeRuntimeArena` clears every registered weak table, as the VM will.
@Suite struct LuaTableWeakTests {
    @Test func weakValuesDropUnreachableObjects() throws {
        let arena = makeRuntimeArena()
        try arena.mutate { mc, root in
            let t = try LuaTable.allocate(mc)
            t.setWeakMode(mc, keys: false, values: true)
            root.weakTables.append(t)
            let kept = try LuaTable.allocate(mc)
            root.values.append(LuaValue(kept))
            try t.set(mc, integer: 1, LuaValue(try LuaTable.allocate(mc)))  // garbage
            try t.set(mc, integer: 2, LuaValue(kept))
            try t.set(mc, integer: 3, LuaValue(Int64(42)))
            try t.set(mc, integer: 4, LuaValue(try root.strings.intern(mc, "a string value")))
            let key = try root.strings.intern(mc, "field")
            root.values.append(LuaValue(key))
            try t.set(mc, shortString: key, LuaValue(try LuaTable.allocate(mc)))  // garbage
            try t.set(mc, LuaValue(kept), LuaValue(try LuaTable.allocate(mc)))  // garbage value, live key
        }
        arena.collectAll()
        #expect(arena.verifyHeap().isValid)
        arena.mutate { mc, root in
            let t = root.weakTables[0]
            let kept = root.values[0]
            #expect(t.get(integer: 1).isNil)
            #expect(LuaValue.rawIdentical(t.get(integer: 2), kept))
            #expect(t.get(integer: 3).integer == 42)
            // Strings are values: never removed from weak tables.
            #expect(t.get(integer: 4).tag == .string)
            #expect(t.get(integer: 4).string.stringValue == "a string value")
            #expect(t.get(shortString: root.values[1].string).isNil)
            #expect(t.get(kept).isNil)
        }
        arena.collectAll()
        #expect(arena.verifyHeap().isValid)
    }

    @Test func weakKeysAreEphemerons() throws {
        let arena = makeRuntimeArena()
        try arena.mutate { mc, root in
            let t = try LuaTable.allocate(mc)
            t.setWeakMode(mc, keys: true, values: false)
            root.weakTables.append(t)
            // A reachable key keeps its value.
            let k1 = try LuaTable.allocate(mc)
            root.values.append(LuaValue(k1))
            try t.set(mc, LuaValue(k1), LuaValue(try root.strings.intern(mc, "v1")))
            // An unreachable key whose value points back at it: both go.
            let k2 = try LuaTable.allocate(mc)
            let v2 = try LuaTable.allocate(mc)
            try v2.set(mc, integer: 1, LuaValue(k2))
            try t.set(mc, LuaValue(k2), LuaValue(v2))
            // A chain inserted backwards: k0 (reachable) -> c1 -> c2 -> ... -> c6, each link
            // discoverable only after the previous key is marked.
            var chain: [Gc<LuaTable>] = [try LuaTable.allocate(mc)]
            root.values.append(LuaValue(chain[0]))
            for _ in 1...6 { chain.append(try LuaTable.allocate(mc)) }
            for i in (0..<6).reversed() { try t.set(mc, LuaValue(chain[i]), LuaValue(chain[i + 1])) }
            // Non-collectable and string keys are strong.
            try t.set(mc, integer: 7, LuaValue(try LuaTable.allocate(mc)))
            try t.set(mc, LuaValue(try root.strings.intern(mc, "strkey")), LuaValue(try LuaTable.allocate(mc)))
        }
        arena.collectAll()
        #expect(arena.verifyHeap().isValid)
        try arena.mutate { mc, root in
            let t = root.weakTables[0]
            #expect(t.get(root.values[0]).string.stringValue == "v1")
            var count = 0
            var k = LuaValue.nil
            var cursor = root.values[1]
            while let (key, _) = try t.next(after: k) { count += 1; k = key }
            // k1, six chain links, 7, "strkey"
            #expect(count == 9)
            for _ in 0..<6 {
                let next = t.get(cursor)
                #expect(next.tag == .table)
                cursor = next
            }
            #expect(t.get(cursor).isNil)
            #expect(t.get(integer: 7).tag == .table)
            #expect(t.get(LuaValue(try root.strings.intern(mc, "strkey"))).tag == .table)
        }
        arena.collectAll()
        #expect(arena.verifyHeap().isValid)
    }

    @Test func weakKeysAndValues() throws {
        let arena = makeRuntimeArena()
        try arena.mutate { mc, root in
            let t = try LuaTable.allocate(mc)
            t.setWeakMode(mc, keys: true, values: true)
            root.weakTables.append(t)
            let live = try LuaTable.allocate(mc)
            root.values.append(LuaValue(live))
            try t.set(mc, LuaValue(live), LuaValue(live))  // both reachable: stays
            try t.set(mc, LuaValue(live), LuaValue(live))
            try t.set(mc, LuaValue(try LuaTable.allocate(mc)), LuaValue(live))  // dead key
            try t.set(mc, LuaValue(Int64(1)), LuaValue(try LuaTable.allocate(mc)))  // dead value
            try t.set(mc, LuaValue(Int64(2)), LuaValue(Int64(2)))
            #expect(t.hasWeakKeys && t.hasWeakValues)
        }
        arena.collectAll()
        #expect(arena.verifyHeap().isValid)
        try arena.mutate { _, root in
            let t = root.weakTables[0]
            var keys: [LuaValue] = []
            var k = LuaValue.nil
            while let (key, _) = try t.next(after: k) { keys.append(key); k = key }
            #expect(keys.count == 2)
            #expect(t.get(root.values[0]).tag == .table)
            #expect(t.get(integer: 2).integer == 2)
        }
    }

    @Test func deadKeysOfStrongTablesStaySafe() throws {
        let arena = makeRuntimeArena()
        try arena.mutate { mc, root in
            let t = try LuaTable.allocate(mc)
            root.values.append(LuaValue(t))
            for _ in 0..<8 {
                let k = try LuaTable.allocate(mc)
                try t.set(mc, LuaValue(k), .true)
                try t.set(mc, LuaValue(k), .nil)  // dead key; the key object becomes garbage
            }
        }
        arena.collectAll()
        arena.collectAll()
        #expect(arena.verifyHeap().isValid)
        try arena.mutate { mc, root in
            let t = root.values[0].table
            #expect(try t.next(after: .nil) == nil)
            for i in 0..<20 { try t.set(mc, LuaValue(try LuaTable.allocate(mc)), LuaValue(Int64(i))) }
            var count = 0
            var k = LuaValue.nil
            while let (key, _) = try t.next(after: k) { count += 1; k = key }
            #expect(count == 20)
        }
        arena.collectAll()
        #expect(arena.verifyHeap().isValid)
    }

    /// PUC's dead keys: a removed entry's key is not traced after the next collection (a long
    /// string key is freed), lookups by an equal string do not match it, and `next` still
    /// continues from the removed key by identity.
    @Test func removedKeysBecomeDeadKeys() throws {
        let arena = makeRuntimeArena()
        let bigKey = [UInt8](repeating: 0x61, count: 1 << 16)
        let heapBefore = arena.metrics.heapBytes
        try arena.mutate { mc, root in
            let t = try LuaTable.allocate(mc)
            root.values.append(LuaValue(t))
            for i in 0..<6 {
                let k = try LuaTable.allocate(mc)
                root.values.append(LuaValue(k))
                try t.set(mc, LuaValue(k), LuaValue(Int64(i)))
            }
            let s = try root.strings.intern(mc, bigKey)  // long: not interned, a fresh object
            try t.set(mc, LuaValue(s), .true)
            try t.set(mc, LuaValue(s), .nil)
            try t.set(mc, root.values[3], .nil)  // removed, its key still held by the root
        }
        #expect(arena.metrics.heapBytes > heapBefore + bigKey.count)
        arena.collectAll()
        arena.collectAll()
        #expect(arena.verifyHeap().isValid)
        #expect(arena.metrics.heapBytes < heapBefore + bigKey.count)  // the string key was freed
        try arena.mutate { mc, root in
            let t = root.values[0].table
            let equal = try root.strings.intern(mc, bigKey)
            #expect(t.get(LuaValue(equal)).isNil)
            // `next` continues from the removed key and visits the other five entries once.
            var seen = Set<Int64>()
            var k = root.values[3]
            while let (key, value) = try t.next(after: k) { seen.insert(value.integer); k = key }
            k = .nil
            while let (key, value) = try t.next(after: k) {
                if LuaValue.rawIdentical(key, root.values[3]) { break }
                seen.insert(value.integer)
                k = key
            }
            #expect(seen == [0, 1, 3, 4, 5])
            // The removed key can be inserted again.
            try t.set(mc, root.values[3], LuaValue(Int64(9)))
            #expect(t.get(root.values[3]).integer == 9)
            try t.set(mc, LuaValue(equal), .false)
            #expect(t.get(LuaValue(equal)).tag == .false)
        }
        arena.collectAll()
        #expect(arena.verifyHeap().isValid)
    }
}
