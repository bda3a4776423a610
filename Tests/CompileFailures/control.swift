// expected-success
import GCArena

struct Node: Collect {
    var value: Int
    var next: Gc<Node>?
    func trace(_ tracer: inout Tracer) { tracer.trace(next) }
}

func use(_ arena: Arena<Gc<Node>?>) throws -> Int {
    try arena.mutate { mc, root in
        let node = try mc.allocate(Node(value: 1, next: root))
        node.write(mc).value.value = 2
        root = node
        return node.value.value
    }
}
