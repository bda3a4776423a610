import Testing
import GCArena
@testable import LuaCore

/// `#t` against lua5.4. Each expected value was printed by lua5.4 5.4.4 running the Lua line
/// quoted next to it (all lines together: `lua5.4 len.lua`, the snippet below).
///
/// ```lua
/// print("A", #{1,2,nil,4}, #{nil,nil,3}, #{1,nil,3}, #{nil}, #{1,2,3,nil}, #{1,2,3,nil,5,nil}, #{n=1, 1, 2})
/// local t = {} for i=1,10 do t[i]=i end print("B", #t)
/// t[5] = nil print("C", #t)
/// t = {} for i=1,10 do t[i]=i end t[10]=nil print("D", #t) t[9]=nil print("E", #t)
/// t = {} for i=1,8 do t[i]=i end t[8]=nil print("F", #t) t[8]=8 print("G", #t)
/// t = {} for i=1,20 do if i % 3 ~= 0 then t[i]=i end end print("H", #t)
/// t = {} for i=1,16 do t[i]=i end for i=9,16 do t[i]=nil end print("I", #t)
/// t = {} t[1]=1 t[2]=2 t[4]=4 print("J", #t)
/// t = {} t[2]=2 t[3]=3 print("K", #t)
/// t = {} for i=1,100 do t[i]=i end for i=1,100,2 do t[i]=nil end print("L", #t)
/// t = {} for i=100,1,-1 do t[i]=i end print("M", #t)
/// t = {} for i=1,5 do t[i]=i end t[7]=7 t[8]=8 print("N", #t)
/// t = {1,2,3} t[5]=5 print("O", #t) t[4]=4 print("P", #t)
/// t = {} for i=1,64 do t[i]=i end t[33]=nil print("Q", #t) t[64]=nil print("R", #t)
/// t = {10,20,30,nil,50} print("S", #t)
/// t = {} t[1]=1 t[3]=3 t[5]=5 print("T", #t)
/// ```
/// Output: A 4 3 3 0 3 5 2 / B 10 / C 10 / D 9 / E 8 / F 7 / G 8 / H 20 / I 8 / J 4 /
/// K 0 / L 100 / M 100 / N 8 / O 3 / P 5 / Q 64 / R 63 / S 5 / T 1
@Suite struct LuaTableLengthTests {
    /// A table built like a Lua constructor: NEWTABLE sized for the list, then SETLIST
    /// storing every list item (nils included) into the array part.
    static func constructor(_ mc: borrowing Mutation, _ items: [Int64?], hashFields: Int = 0) throws -> Gc<LuaTable> {
        let t = try LuaTable.allocate(mc, arrayCapacity: items.count, hashCapacity: hashFields)
        for (i, item) in items.enumerated() {
            try t.set(mc, integer: Int64(i + 1), item.map { LuaValue($0) } ?? .nil)
        }
        return t
    }

    static func set(_ mc: borrowing Mutation, _ t: Gc<LuaTable>, _ k: Int, _ v: Int?) throws {
        try t.set(mc, integer: Int64(k), v.map { LuaValue(Int64($0)) } ?? .nil)
    }

    @Test func constructors() throws {
        let arena = makeRuntimeArena()
        try arena.mutate { mc, root in
            #expect(try Self.constructor(mc, [1, 2, nil, 4]).length() == 4)
            #expect(try Self.constructor(mc, [nil, nil, 3]).length() == 3)
            #expect(try Self.constructor(mc, [1, nil, 3]).length() == 3)
            #expect(try Self.constructor(mc, [nil]).length() == 0)
            #expect(try Self.constructor(mc, [1, 2, 3, nil]).length() == 3)
            #expect(try Self.constructor(mc, [1, 2, 3, nil, 5, nil]).length() == 5)
            let withField = try LuaTable.allocate(mc, arrayCapacity: 2, hashCapacity: 1)
            try withField.set(mc, shortString: try root.strings.intern(mc, "n"), LuaValue(Int64(1)))
            try Self.set(mc, withField, 1, 1)
            try Self.set(mc, withField, 2, 2)
            #expect(withField.length() == 2)
            #expect(try Self.constructor(mc, [10, 20, 30, nil, 50]).length() == 5)  // S
            let o = try Self.constructor(mc, [1, 2, 3])
            try Self.set(mc, o, 5, 5)
            #expect(o.length() == 3)  // O
            try Self.set(mc, o, 4, 4)
            #expect(o.length() == 5)  // P
        }
    }

    @Test func loopsWithHoles() throws {
        let arena = makeRuntimeArena()
        try arena.mutate { mc, root in
            var t = try LuaTable.allocate(mc)
            for i in 1...10 { try Self.set(mc, t, i, i) }
            #expect(t.length() == 10)  // B
            try Self.set(mc, t, 5, nil)
            #expect(t.length() == 10)  // C

            t = try LuaTable.allocate(mc)
            for i in 1...10 { try Self.set(mc, t, i, i) }
            try Self.set(mc, t, 10, nil)
            #expect(t.length() == 9)  // D
            try Self.set(mc, t, 9, nil)
            #expect(t.length() == 8)  // E

            t = try LuaTable.allocate(mc)
            for i in 1...8 { try Self.set(mc, t, i, i) }
            try Self.set(mc, t, 8, nil)
            #expect(t.length() == 7)  // F
            try Self.set(mc, t, 8, 8)
            #expect(t.length() == 8)  // G

            t = try LuaTable.allocate(mc)
            for i in 1...20 where i % 3 != 0 { try Self.set(mc, t, i, i) }
            #expect(t.length() == 20)  // H

            t = try LuaTable.allocate(mc)
            for i in 1...16 { try Self.set(mc, t, i, i) }
            for i in 9...16 { try Self.set(mc, t, i, nil) }
            #expect(t.length() == 8)  // I

            t = try LuaTable.allocate(mc)
            for i in [1, 2, 4] { try Self.set(mc, t, i, i) }
            #expect(t.length() == 4)  // J

            t = try LuaTable.allocate(mc)
            for i in [2, 3] { try Self.set(mc, t, i, i) }
            #expect(t.length() == 0)  // K

            t = try LuaTable.allocate(mc)
            for i in 1...100 { try Self.set(mc, t, i, i) }
            for i in stride(from: 1, through: 100, by: 2) { try Self.set(mc, t, i, nil) }
            #expect(t.length() == 100)  // L

            t = try LuaTable.allocate(mc)
            for i in stride(from: 100, through: 1, by: -1) { try Self.set(mc, t, i, i) }
            #expect(t.length() == 100)  // M

            t = try LuaTable.allocate(mc)
            for i in 1...5 { try Self.set(mc, t, i, i) }
            try Self.set(mc, t, 7, 7)
            try Self.set(mc, t, 8, 8)
            #expect(t.length() == 8)  // N

            t = try LuaTable.allocate(mc)
            for i in 1...64 { try Self.set(mc, t, i, i) }
            try Self.set(mc, t, 33, nil)
            #expect(t.length() == 64)  // Q
            try Self.set(mc, t, 64, nil)
            #expect(t.length() == 63)  // R

            t = try LuaTable.allocate(mc)
            for i in [1, 3, 5] { try Self.set(mc, t, i, i) }
            #expect(t.length() == 1)  // T
        }
    }

    @Test func borderInTheHashPart() throws {
        let arena = makeRuntimeArena()
        try arena.mutate { mc, root in
            // Keys only in the hash part (array size 0): 1...3 inserted via a float-keyed
            // table so they land in the hash; the unbound search still finds 3.
            let t = try LuaTable.allocate(mc, arrayCapacity: 0, hashCapacity: 8)
            for i in 1...3 { try Self.set(mc, t, i, i) }
            #expect(t.arrayCount == 0)
            #expect(t.length() == 3)
            let empty = try LuaTable.allocate(mc)
            #expect(empty.length() == 0)
            // Every result is a border.
            var rng = TestRandom(seed: 7)
            for _ in 0..<50 {
                let r = try LuaTable.allocate(mc)
                for _ in 0..<40 { try Self.set(mc, r, 1 + rng.below(48), rng.below(4) == 0 ? nil : 1) }
                let n = r.length()
                #expect(n == 0 || !r.get(integer: n).isNil)
                #expect(r.get(integer: n + 1).isNil)
            }
        }
    }
}
