import Testing
@testable import GCArena

/// The shape of a VM value: a tagged union of scalars and handles.
enum SampleValue: Collect {
    case nil_
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case pair(Gc<Pair>)
    case node(Gc<Node>)
    func trace(_ tracer: inout Tracer) {
        switch self {
        case .pair(let p): tracer.trace(p)
        case .node(let n): tracer.trace(n)
        default: break
        }
    }
}

@Suite struct LayoutTests {
    @Test func handlesAreOnePointerAndPOD() {
        #expect(MemoryLayout<Gc<Pair>>.size == 8)
        #expect(MemoryLayout<Gc<Node>>.size == 8)
        #expect(MemoryLayout<GcWeak<Pair>>.size == 8)
        #expect(MemoryLayout<Gc<Pair>?>.size == 8)
        #expect(_isPOD(Gc<Node>.self))
        #expect(_isPOD(GcWeak<Node>.self))
        #expect(_isPOD(AnyGc.self))
    }

    @Test func sampleValueEnumIsSixteenBytesAndPOD() {
        #expect(MemoryLayout<SampleValue>.size <= 16)
        #expect(MemoryLayout<SampleValue>.stride == 16)
        #expect(_isPOD(SampleValue.self))
    }

    @Test func handleIdentity() throws {
        let arena = Arena<Slots> { _ in Slots() }
        try arena.mutate { mc, _ in
            let a = try mc.allocate(Pair(1))
            let b = try mc.allocate(Pair(1))
            #expect(a == a && a != b)
            #expect(Set([a, b, a]).count == 2)
            #expect(a.erased.unsafeCast(to: Pair.self) == a)
        }
    }
}
