// expected-errors: every line marked `// error: <text>` gets that error; no other line gets one
// What non-escapable types cannot express yet (Swift 6.3.1), and an annotation they demand:
// - a closure cannot return a handle derived from its parameter, because function types carry
//   no lifetime dependencies; generic helpers take a protocol with a `@_lifetime(copy self)`
//   requirement instead (success.swift);
// - for the same reason `ConfinedArena.init(_:)` cannot return a root that holds handles
//   made from its mutation (use `init(building:)`, success.swift `buildRoot`);
// - a function cannot return a tuple holding a handle (a small `~Escapable` struct can);
//   switching over a tuple of handles works (success.swift `bothEmpty`);
// - a mutating method that stores a parameter's handle into a `~Escapable` self must say so
//   with `@_lifetime(self: copy self, copy x)` (success.swift has the annotated version).
import GCArena

struct Node: ConfinedCollect, ~Escapable {
    var value: Int
    var next: Optional<Confined<Node>>
    @_lifetime(copy next)
    init(value: Int, next: Optional<Confined<Node>>) { self.value = value; self.next = next }
    func trace(_ tracer: inout Tracer) { tracer.trace(next) }
}

func count<T: ConfinedCollect & ~Escapable>(from first: Confined<T>,
                                              next: (Confined<T>) -> Optional<Confined<T>>) -> Int {
    var n = 1
    var cur = next(first)
    while let c = cur { n += 1; cur = next(c) }
    return n
}

func useClosure(_ list: Confined<Node>) -> Int {
    count(from: list) { $0.value.next } // error: lifetime-dependent value escapes its scope
}

struct Cursor: ~Escapable {
    var current: Optional<Confined<Node>>
    @_lifetime(copy current)
    init(_ current: Optional<Confined<Node>>) { self.current = current }
    mutating func moveTo(_ node: Confined<Node>) { current = node } // error: lifetime-dependent variable 'self' escapes its scope
}

struct ListRoot: ConfinedCollect, ~Escapable {
    var sentinel: Confined<Node>
    @_lifetime(copy sentinel)
    init(sentinel: Confined<Node>) { self.sentinel = sentinel }
    func trace(_ tracer: inout Tracer) { tracer.trace(sentinel) }
}

func returnRootWithHandles() throws -> ConfinedArena<ListRoot> {
    try ConfinedArena<ListRoot> { mc in ListRoot(sentinel: try mc.allocate(Node(value: 0, next: nil))) } // error: lifetime-dependent value escapes its scope
}

@_lifetime(copy node)
func pairUp(_ node: Confined<Node>) -> (Int, Confined<Node>) { (1, node) } // error: lifetime-dependent value escapes its scope
