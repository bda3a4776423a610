// expected-success
// The legitimate patterns: everything here must keep compiling.
import GCArena

struct Node: ConfinedCollect, ~Escapable {
    var value: Int
    var next: Optional<Confined<Node>>
    @_lifetime(copy next)
    init(value: Int, next: Optional<Confined<Node>>) { self.value = value; self.next = next }
    func trace(_ tracer: inout Tracer) { tracer.trace(next) }
}

struct Root: ConfinedCollect, ~Escapable {
    var head: Optional<Confined<Node>>
    @_lifetime(immortal) init() { head = nil }
    func trace(_ tracer: inout Tracer) { tracer.trace(head) }
}

// A tagged value holding a handle: enums with `~Escapable` payloads work.
enum Value: ConfinedCollect, ~Escapable {
    case int(Int)
    case pair(Confined<Pair>)
    func trace(_ tracer: inout Tracer) { if case .pair(let p) = self { tracer.trace(p) } }
}

struct Pair: ConfinedCollect, ~Escapable {
    var car: Value
    var cdr: Value
    @_lifetime(copy car, copy cdr)
    init(car: Value, cdr: Value) { self.car = car; self.cdr = cdr }
    func trace(_ tracer: inout Tracer) { tracer.trace(confined: car); tracer.trace(confined: cdr) }
}

/// Builds a 1,000-node list in one mutation, collects, walks it from the root in another.
func buildThenWalk(_ arena: ConfinedArena<Root>) throws -> Int {
    try arena.mutate { mc, root in
        for i in 0..<1000 {
            let node = try mc.allocate(Node(value: i, next: root.value.head))
            root.write(mc).value.head = node
        }
    }
    arena.collectAll()
    return arena.mutate { _, root in
        var sum = 0
        var cur = root.value.head
        while let n = cur { sum += n.value.value; cur = n.value.next }
        return sum
    }
}

/// Stores a handle into another object's field, and reads through optional chaining.
func storeIntoField(_ arena: ConfinedArena<Root>) throws -> Int? {
    try arena.mutate { mc, root in
        let a = try mc.allocate(Node(value: 1, next: nil))
        let b = try mc.allocate(Node(value: 2, next: nil))
        a.write(mc).value.next = b
        b.write(mc).value.value += 40
        root.write(mc).value.head = a
        return root.value.head?.value.next?.value.value
    }
}

/// A helper returning a new handle: its result lives as long as the mutation.
@_lifetime(copy mc)
func cons(_ mc: borrowing Mutation, _ v: Int, _ next: Optional<Confined<Node>>) throws -> Confined<Node> {
    try mc.allocate(Node(value: v, next: next))
}

/// A helper returning a handle read through another: it lives as long as its source.
@_lifetime(copy node)
func second(_ node: Confined<Node>) -> Optional<Confined<Node>> { node.value.next?.value.next }

/// A protocol over confined types, with a requirement that hands out handles.
protocol Chain: ConfinedCollect, ~Escapable {
    var link: Optional<Confined<Self>> { @_lifetime(copy self) get }
}

extension Node: Chain {
    var link: Optional<Confined<Node>> { @_lifetime(copy self) get { next } }
}

/// A generic helper over any chain of confined objects.
func count<T: Chain & ~Escapable>(from first: Confined<T>) -> Int {
    var n = 1
    var cur = first.value.link
    while let c = cur { n += 1; cur = c.value.link }
    return n
}

func useHelpers(_ arena: ConfinedArena<Root>) throws -> Int {
    try arena.mutate { mc, root in
        let list = try cons(mc, 1, try cons(mc, 2, try cons(mc, 3, nil)))
        root.write(mc).value.head = list
        let third = second(list)?.value.value ?? 0
        return third + count(from: list)
    }
}

/// Values, enums and helpers together (the shape of an interpreter's cons cells).
@_lifetime(copy mc)
func consValue(_ mc: borrowing Mutation, _ car: Value, _ cdr: Value) throws -> Value {
    .pair(try mc.allocate(Pair(car: car, cdr: cdr)))
}

func sumList(_ list: Value) -> Int {
    var total = 0
    var cur = list
    while case .pair(let p) = cur {
        if case .int(let i) = p.value.car { total += i }
        cur = p.value.cdr
    }
    return total
}

func valueList(_ arena: ConfinedArena<Root>) throws -> Int {
    try arena.mutate { mc, _ in
        var list = Value.int(0)
        for i in 1...10 { list = try consValue(mc, .int(i), list) }
        return sumList(list)
    }
}

/// Identity survives `mutate` (it cannot be dereferenced), so Swift containers can key on it.
func identities(_ arena: ConfinedArena<Root>) -> Set<ObjectIdentity> {
    arena.mutate { _, root in
        var seen = Set<ObjectIdentity>()
        var cur = root.value.head
        while let n = cur, seen.insert(n.identity).inserted { cur = n.value.next }
        return seen
    }
}

/// A closure whose last expression is a handle is inferred to return `Void`: the handle is
/// discarded, not returned (the compiler warns that the result is unused).
func discardedNotReturned(_ arena: ConfinedArena<Root>) throws {
    try arena.mutate { mc, _ in try mc.allocate(Node(value: 1, next: nil)) }
}

// What scoped lifetimes cannot see (they are not generative): a handle of one arena used with
// another arena's mutation and objects compiles. `ConfinedArena.mutate` traps at run time
// instead (no two confined mutations may overlap on one thread).
func crossArena(_ a: ConfinedArena<Root>, _ b: ConfinedArena<Root>) {
    a.mutate { _, rootA in
        b.mutate { mcB, rootB in
            rootB.write(mcB).value.head = rootA.value.head
        }
    }
}

/// A `~Escapable` helper struct that is not an arena object (a cursor over a list): its
/// mutating methods that store a parameter's handle declare the dependency.
struct Cursor: ~Escapable {
    var current: Optional<Confined<Node>>
    @_lifetime(copy current)
    init(_ current: Optional<Confined<Node>>) { self.current = current }
    @_lifetime(self: copy self, copy node)
    mutating func moveTo(_ node: Confined<Node>) { current = node }
    mutating func advance() { current = current?.value.next }
}

func useCursor(_ arena: ConfinedArena<Root>) -> Int {
    arena.mutate { _, root in
        guard let head = root.value.head else { return 0 }
        var cursor = Cursor(nil)
        cursor.moveTo(head)
        var n = 0
        while cursor.current != nil { n += 1; cursor.advance() }
        return n
    }
}

/// A non-escaping closure may capture handles and write through them.
func writeInClosure(_ arena: ConfinedArena<Root>) throws {
    try arena.mutate { mc, root in
        let other = try mc.allocate(Node(value: 2, next: nil))
        guard let n = root.value.head else { return }
        [1, 2].forEach { _ in n.write(mc).value.next = other }
    }
}

/// A root that refers to objects from the start is built with `init(building:)`.
struct ListRoot: ConfinedCollect, ~Escapable {
    var sentinel: Confined<Node>
    @_lifetime(copy sentinel)
    init(sentinel: Confined<Node>) { self.sentinel = sentinel }
    func trace(_ tracer: inout Tracer) { tracer.trace(sentinel) }
}

func buildRoot() throws -> ConfinedArena<ListRoot> {
    try ConfinedArena<ListRoot> { mc, install in
        try install(ListRoot(sentinel: try mc.allocate(Node(value: 0, next: nil))))
    }
}

/// Switching over a tuple of confined values.
func bothEmpty(_ a: Optional<Confined<Node>>, _ b: Optional<Confined<Node>>) -> Bool {
    switch (a, b) {
    case (.none, .none): return true
    default: return false
    }
}
