import GCArena

/// A trivially-copyable node with two outgoing edges (the common "POD object" case).
struct Pair: Collect {
    var id: Int
    var left: Gc<Pair>?
    var right: Gc<Pair>?
    init(_ id: Int, _ left: Gc<Pair>? = nil, _ right: Gc<Pair>? = nil) {
        self.id = id; self.left = left; self.right = right
    }
    func trace(_ tracer: inout Tracer) {
        tracer.trace(left)
        tracer.trace(right)
    }
}

/// A node with an ARC-managed array of children and an optional weak edge.
struct Node: Collect {
    var id: Int
    var children: [Gc<Node>] = []
    var weak: GcWeak<Node>? = nil
    func trace(_ tracer: inout Tracer) {
        tracer.trace(children)
        tracer.trace(weak)
    }
}

/// A root with named slots for tests.
struct Slots: Collect {
    var pairs: [Gc<Pair>?] = []
    var nodes: [Gc<Node>] = []
    var weakPairs: [GcWeak<Pair>] = []
    func trace(_ tracer: inout Tracer) {
        tracer.trace(pairs)
        tracer.trace(nodes)
        tracer.trace(weakPairs)
    }
}

extension Arena where Root == Slots {
    /// The length of the chain of `left` edges starting at `pairs[slot]`.
    func leftChainLength(slot: Int) -> Int {
        mutate { _, root in
            var n = 0
            var p = root.pairs[slot]
            while let q = p { n += 1; p = q.value.left }
            return n
        }
    }
}

/// Counts deinitializations of values that own a Swift class instance.
final class DeinitCounter: @unchecked Sendable {
    var count = 0
}

final class Token {
    let counter: DeinitCounter
    init(_ counter: DeinitCounter) { self.counter = counter }
    deinit { counter.count += 1 }
}

struct Owner: Collect {
    var token: Token
    static var needsTrace: Bool { false }
    func trace(_ tracer: inout Tracer) {}
}
