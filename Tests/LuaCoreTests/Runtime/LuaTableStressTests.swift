import Testing
import GCArena
@testable import LuaCore

/// Random table operations under an aggressive incremental collector, checked against a
/// Swift dictionary model after every batch, with the heap verifier between batches.
@Suite struct LuaTableStressTests {
    enum MKey: Hashable {
        case int(Int64), flt(UInt64), str(String), tbl(Int), bool(Bool)
    }
    enum MVal: Equatable {
        case int(Int64), str(String), tbl(Int64)
    }

    static let keyTables = 8

    static func key(_ k: MKey, _ mc: borrowing Mutation, _ root: inout RuntimeRoot) throws -> LuaValue {
        switch k {
        case .int(let i): return LuaValue(i)
        case .flt(let b): return LuaValue(Double(bitPattern: b))
        case .str(let s): return LuaValue(try root.strings.intern(mc, s))
        case .tbl(let i): return root.values[1 + i]
        case .bool(let b): return LuaValue(b)
        }
    }

    static func modelValue(_ v: LuaValue) -> MVal? {
        switch v.tag {
        case .nil: return nil
        case .integer: return .int(v.integer)
        case .string: return .str(v.string.stringValue)
        case .table: return .tbl(v.table.get(integer: 0).integer)
        default: return nil
        }
    }

    @Test(arguments: [UInt64(11), 22])
    func randomOperationsMatchTheModel(seed: UInt64) throws {
        var rng = TestRandom(seed: seed)
        let arena = makeRuntimeArena()
        arena.pacing = .stress
        var model: [MKey: MVal] = [:]
        var nextTableID: Int64 = 1
        try arena.mutate { mc, root in
            root.values.append(LuaValue(try LuaTable.allocate(mc)))
            for _ in 0..<Self.keyTables { root.values.append(LuaValue(try LuaTable.allocate(mc))) }
        }
        for step in 0..<150 {
            try arena.mutate { mc, root in
                let t = root.values[0].table
                for _ in 0..<25 {
                    let mk: MKey
                    switch rng.below(6) {
                    case 0, 1: mk = .int(Int64(rng.below(90)) - 5)
                    case 2: mk = .flt((Double(rng.below(20)) + 0.5).bitPattern)
                    case 3: mk = .str(rng.below(3) == 0 ? String(repeating: "long", count: 12) + "\(rng.below(6))" : "s\(rng.below(40))")
                    case 4: mk = .tbl(rng.below(Self.keyTables))
                    default: mk = .bool(rng.below(2) == 0)
                    }
                    let key = try Self.key(mk, mc, &root)
                    switch rng.below(8) {
                    case 0, 1:
                        try t.set(mc, key, .nil)
                        model[mk] = nil
                    case 2, 3:
                        let id = nextTableID
                        nextTableID += 1
                        let v = try LuaTable.allocate(mc)
                        try v.set(mc, integer: 0, LuaValue(id))
                        try t.set(mc, key, LuaValue(v))
                        model[mk] = .tbl(id)
                    case 4:
                        let s = "value\(rng.below(100))"
                        try t.set(mc, key, LuaValue(try root.strings.intern(mc, s)))
                        model[mk] = .str(s)
                    case 5:
                        // Existing-slot fast path, as SETFIELD/SETI use it.
                        if let slot = t.slotForExisting(key) {
                            let i = Int64(rng.below(1000))
                            slot.pointee = LuaValue(i)
                            model[mk] = .int(i)
                        } else {
                            #expect(model[mk] == nil)
                        }
                    default:
                        let i = Int64(rng.below(1000))
                        try t.set(mc, key, LuaValue(i))
                        model[mk] = .int(i)
                    }
                }
                // Check every model entry, and a full traversal.
                for (mk, mv) in model {
                    let v = t.get(try Self.key(mk, mc, &root))
                    #expect(Self.modelValue(v) == mv, "step \(step): \(mk)")
                }
                var seen = 0
                var k = LuaValue.nil
                while let (key, _) = try t.next(after: k) { seen += 1; k = key }
                #expect(seen == model.count, "step \(step)")
                let n = t.length()
                #expect(n == 0 || !t.get(integer: n).isNil)
                #expect(t.get(integer: n + 1).isNil)
            }
            if step % 3 == 0 { arena.collectDebt() } else { arena.collectStep(work: 1 + rng.below(4000)) }
            let report = arena.verifyHeap()
            #expect(report.isValid, "step \(step): \(report.violations)")
            if !report.isValid { break }
        }
        arena.collectAll()
        #expect(arena.verifyHeap().isValid)
        // The collector really ran, many times, interleaved with the mutations.
        #expect(arena.metrics.cyclesCompleted > 20)
        arena.mutate { _, root in root.strings.release() }
    }
}
