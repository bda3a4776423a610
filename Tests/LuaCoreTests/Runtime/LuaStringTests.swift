import Testing
import GCArena
@testable import LuaCore

@Suite struct LuaStringTests {
    @Test func layoutIsPlainData() {
        #expect(_isPOD(LuaString.self))
        #expect(!LuaString.needsTrace)
        #expect(MemoryLayout<LuaString>.stride <= 32)
    }

    @Test func shortStringsAreInterned() throws {
        let arena = makeRuntimeArena()
        try arena.mutate { mc, root in
            let a = try root.strings.intern(mc, "hello")
            let b = try root.strings.intern(mc, bytesOf("hello"))
            let c = try root.strings.intern(mc, "world")
            #expect(a == b)
            #expect(a != c)
            #expect(a.isShort && a.count == 5)
            #expect(a.equals(b) && !a.equals(c))
            #expect(a.stringValue == "hello")
            #expect(Array(a.bytes) == bytesOf("hello"))
            // NUL-terminated in memory.
            #expect(a.bytes.baseAddress![5] == 0)
            let empty = try root.strings.intern(mc, "")
            #expect(empty == (try root.strings.intern(mc, [])))
            #expect(empty.count == 0 && empty.isShort)
            // Embedded zeros are ordinary bytes.
            let z1 = try root.strings.intern(mc, [0x61, 0, 0x62])
            let z2 = try root.strings.intern(mc, [0x61, 0, 0x63])
            #expect(z1 != z2 && z1.count == 3)
            #expect(root.strings.count == 5)
        }
    }

    @Test func shortLongBoundaryIsFortyBytes() throws {
        let arena = makeRuntimeArena()
        try arena.mutate { mc, root in
            let s40 = String(repeating: "x", count: 40)
            let s41 = String(repeating: "x", count: 41)
            #expect(try root.strings.intern(mc, s40).isShort)
            #expect(try root.strings.intern(mc, s40) == (try root.strings.intern(mc, s40)))
            let l1 = try root.strings.intern(mc, s41)
            let l2 = try root.strings.intern(mc, s41)
            #expect(!l1.isShort)
            #expect(l1 != l2)  // distinct objects...
            #expect(l1.equals(l2))  // ...equal by content
            #expect(l1.hashValue32 == l2.hashValue32)
            #expect(l1.compare(l2) == 0)
            let l3 = try root.strings.intern(mc, s40 + "y")
            #expect(!l1.equals(l3))
        }
    }

    @Test func compareIsBytewise() throws {
        let arena = makeRuntimeArena()
        try arena.mutate { mc, root in
            func s(_ b: [UInt8]) throws -> Gc<LuaString> { try root.strings.intern(mc, b) }
            #expect(try s(bytesOf("a")).compare(s(bytesOf("b"))) < 0)
            #expect(try s(bytesOf("b")).compare(s(bytesOf("a"))) > 0)
            #expect(try s(bytesOf("ab")).compare(s(bytesOf("abc"))) < 0)
            #expect(try s(bytesOf("")).compare(s(bytesOf("a"))) < 0)
            #expect(try s([0x61, 0]).compare(s([0x61, 1])) < 0)
            #expect(try s([0x61]).compare(s([0x61, 0])) < 0)
            #expect(try s([0xFF]).compare(s([0x7F])) > 0)  // unsigned bytes
            let long1 = try s(Array(repeating: 0x61, count: 50) + [0x62])
            let long2 = try s(Array(repeating: 0x61, count: 50) + [0x63])
            #expect(long1.compare(long2) < 0 && long2.compare(long1) > 0)
        }
    }

    @Test func hashIsStableAndSeeded() throws {
        // Pinned values: the hash is deterministic across runs (fixed seed `hashSeed`).
        let h1 = bytesOf("hello").withUnsafeBytes { LuaString.hash($0.baseAddress, count: 5) }
        let h2 = bytesOf("hello").withUnsafeBytes { LuaString.hash($0.baseAddress, count: 5) }
        #expect(h1 == h2)
        #expect(LuaString.hashSeed == 0x7F4A_7C15_9E37_79B9)
        // Every byte matters, including ones past the first 8 and in the tail.
        var seen = Set<UInt32>()
        for n in 0..<64 {
            var b = Array(repeating: UInt8(0x61), count: 64)
            b[n] = 0x62
            seen.insert(b.withUnsafeBytes { LuaString.hash($0.baseAddress, count: 64) })
        }
        #expect(seen.count == 64)
        // Length matters (zero bytes are not padding).
        let z3 = [UInt8](repeating: 0, count: 3).withUnsafeBytes { LuaString.hash($0.baseAddress, count: 3) }
        let z4 = [UInt8](repeating: 0, count: 4).withUnsafeBytes { LuaString.hash($0.baseAddress, count: 4) }
        #expect(z3 != z4)
        let arena = makeRuntimeArena()
        try arena.mutate { mc, root in
            let s = try root.strings.intern(mc, "hello")
            #expect(s.hashValue32 == h1)
            let long = try root.strings.intern(mc, String(repeating: "z", count: 100))
            let expected = Array(repeating: UInt8(ascii: "z"), count: 100).withUnsafeBytes { LuaString.hash($0.baseAddress, count: 100) }
            #expect(long.hashValue32 == expected)
            #expect(long.hashValue32 == expected)  // cached
        }
    }

    @Test func deadStringsLeaveTheInternTable() throws {
        let arena = makeRuntimeArena()
        try arena.mutate { mc, root in
            for i in 0..<1000 { _ = try root.strings.intern(mc, "garbage-\(i)") }
            for i in 0..<10 { root.values.append(LuaValue(try root.strings.intern(mc, "kept-\(i)"))) }
            #expect(root.strings.count == 1010)
        }
        arena.collectAll()
        #expect(arena.verifyHeap().isValid)
        try arena.mutate { mc, root in
            #expect(root.strings.count == 10)
            for i in 0..<10 {
                let s = try root.strings.intern(mc, "kept-\(i)")
                #expect(LuaValue.rawIdentical(LuaValue(s), root.values[i]))
            }
            // A collected string's bytes can be interned again, as a new object.
            let again = try root.strings.intern(mc, "garbage-1")
            #expect(again.stringValue == "garbage-1")
            #expect(root.strings.count == 11)
            // The table shrank back after most strings died.
            #expect(root.strings.bucketCount <= 128)
        }
        arena.collectAll()
        arena.mutate { _, root in
            #expect(root.strings.count == 10)
            root.strings.release()
        }
    }

    @Test func stringsReachedFromResurrectedObjectsStayInterned() throws {
        let arena = makeRuntimeArena()
        try arena.mutate { mc, root in
            let t = try LuaTable.allocate(mc)
            let name = try root.strings.intern(mc, "name")
            try t.set(mc, shortString: name, LuaValue(try root.strings.intern(mc, "only-in-the-dying-table")))
            root.values.append(LuaValue(name))
            root.finalizable.append(t.downgrade())
        }
        arena.collectAll()
        #expect(arena.verifyHeap().isValid)
        try arena.mutate { mc, root in
            #expect(root.resurrected.count == 1)
            let t = root.resurrected[0].table
            let stored = t.get(shortString: root.values[0].string)
            #expect(stored.tag == .string)
            // Interning the same bytes again must find the resurrected object, not a copy.
            let again = try root.strings.intern(mc, "only-in-the-dying-table")
            #expect(LuaValue.rawIdentical(stored, LuaValue(again)))
            root.strings.release()
        }
    }

    @Test func internsAMillionStringsQuickly() throws {
        let arena = makeRuntimeArena()
        var buf = [UInt8](repeating: 0, count: 24)
        for batch in 0..<10 {
            try arena.mutate { mc, root in
                var first: Gc<LuaString>? = nil
                func key(_ x: Int) -> Int {
                    buf.withUnsafeMutableBufferPointer { p in
                        p[0] = UInt8(ascii: "k")
                        return LuaNumber.format(Int64(x), into: p.baseAddress! + 1) + 1
                    }
                }
                for i in 0..<100_000 {
                    let n = key(batch * 100_000 + i)
                    let s = try buf.withUnsafeBytes { try root.strings.intern(mc, UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
                    if i == 0 { first = s }
                }
                // Still interned: the first string of the batch is found again.
                let n = key(batch * 100_000)
                let again = try buf.withUnsafeBytes { try root.strings.intern(mc, UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
                #expect(again == first)
                #expect(root.strings.count >= 100_000)
            }
            arena.collectDebt()
        }
        arena.collectAll()
        arena.mutate { _, root in
            #expect(root.strings.count == 0)
            root.strings.release()
        }
    }
}
