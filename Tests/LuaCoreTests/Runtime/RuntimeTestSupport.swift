import GCArena
@testable import LuaCore

/// The root the runtime tests use: an intern table, strong value slots, and a registry of
/// weak tables and finalizable objects the finalization hook looks after (what the VM will do).
struct RuntimeRoot: Collect {
    var strings = LuaStringTable()
    var values: [LuaValue] = []
    var weakTables: [Gc<LuaTable>] = []
    /// Objects to resurrect once when they die (a stand-in for `__gc`).
    var finalizable: [GcWeak<LuaTable>] = []
    var resurrected: [LuaValue] = []

    func trace(_ tracer: inout Tracer) {
        tracer.trace(values)
        tracer.trace(weakTables)
        tracer.trace(finalizable)
        tracer.trace(resurrected)
    }
}

/// An arena whose finalization hook does the VM's window work: resurrect finalizable
/// objects, unlink dead strings, clear weak tables.
func makeRuntimeArena() -> Arena<RuntimeRoot> {
    let arena = Arena<RuntimeRoot> { _ in RuntimeRoot() }
    arena.finalizationHook = { fc, root in
        var keep: [GcWeak<LuaTable>] = []
        for w in root.finalizable {
            if fc.isDead(w), let t = fc.resurrect(w) { root.resurrected.append(LuaValue(t)) } else { keep.append(w) }
        }
        root.finalizable = keep
        root.strings.removeDead(fc)
        for t in root.weakTables {
            t.clearDeadEntries(fc, keys: t.hasWeakKeys, values: t.hasWeakValues)
        }
    }
    return arena
}

/// A small deterministic PRNG (xorshift64*), so failures reproduce from the seed.
struct TestRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed }
    mutating func next() -> UInt64 {
        state ^= state >> 12; state ^= state << 25; state ^= state >> 27
        return state &* 2_685_821_657_736_338_717
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

extension LuaValue {
    /// A readable rendering for test failure messages.
    var debugText: String {
        switch tag {
        case .nil: return "nil"
        case .true: return "true"
        case .false: return "false"
        case .integer: return "\(integer)"
        case .float: return String(decoding: LuaNumber.format(float), as: UTF8.self)
        case .string: return "\"\(string.stringValue)\""
        default: return "\(tag.typeName):\(bits)"
        }
    }
}

func bytesOf(_ s: String) -> [UInt8] { Array(s.utf8) }
