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

/// A string-like object: a length followed by its bytes in the same block.
struct Bytes: Collect {
    var count: Int
    static var needsTrace: Bool { false }
    func trace(_ tracer: inout Tracer) {}
}

/// A closure-like object: a count followed by handles in its tail, traced through `tail`.
struct Upvalues: Collect {
    var count: Int
    var base: UnsafeMutablePointer<Gc<Pair>>
    func trace(_ tracer: inout Tracer) {
        for i in 0..<count { tracer.trace(base[i]) }
    }
}

@Suite struct TailAllocationTests {
    @Test func bytesLiveInTheObjectBlock() throws {
        let arena = Arena<[Gc<Bytes>]> { _ in [] }
        try arena.mutate { mc, root in
            for n in [0, 1, 15, 16, 17, 1000] {
                let s = try mc.allocate(Bytes(count: n), tailBytes: n)
                let p = s.tail.assumingMemoryBound(to: UInt8.self)
                for i in 0..<n { p[i] = UInt8(truncatingIfNeeded: i &* 7) }
                root.append(s)
            }
        }
        arena.collectAll()
        let ok = arena.mutate { _, root in
            root.allSatisfy { s in
                let p = s.tail.assumingMemoryBound(to: UInt8.self)
                return Int(bitPattern: s.tail) % 8 == 0
                    && (0..<s.value.count).allSatisfy { p[$0] == UInt8(truncatingIfNeeded: $0 &* 7) }
            }
        }
        #expect(ok)
        #expect(arena.verifyHeap().isValid)
    }

    /// Block sizes are 8 past a multiple of 16 (a glibc malloc chunk's usable size), the
    /// least such size that holds the header, the value and its tail.
    @Test func blockSizesFillMallocChunks() throws {
        let arena = Arena<[Gc<Bytes>]> { _ in [] }
        try arena.mutate { mc, root in
            for n in 0..<100 {
                let before = mc.liveBytes
                root.append(try mc.allocate(Bytes(count: n), tailBytes: n))
                let size = mc.liveBytes - before
                let needed = _headerSize + MemoryLayout<Bytes>.stride + n
                #expect(size % 16 == 8 && size >= needed && size < needed + 16, "tail \(n): block \(size)")
            }
        }
    }

    @Test func handlesInTheTailAreTracedByTheOwner() throws {
        let arena = Arena<Gc<Upvalues>?> { _ in nil }
        try arena.mutate { mc, root in
            let n = 50
            let u = try mc.allocate(Upvalues(count: 0, base: UnsafeMutablePointer(bitPattern: 16)!),
                                    tailBytes: n * MemoryLayout<Gc<Pair>>.stride)
            let base = u.tail.bindMemory(to: Gc<Pair>.self, capacity: n)
            for i in 0..<n { base.advanced(by: i).initialize(to: try mc.allocate(Pair(i))) }
            u.write(mc).value = Upvalues(count: n, base: base)
            root = u
        }
        arena.collectAll()
        #expect(arena.metrics.objectCount == 51)
        let sum = arena.mutate { _, root in (0..<50).reduce(0) { $0 + root!.value.base[$1].value.id } }
        #expect(sum == (0..<50).reduce(0, +))
    }
}
