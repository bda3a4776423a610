// expected-errors: every line marked `// error: <text>` gets that error; no other line gets one
// Escape routes rejected by the type checker: a handle, or a value holding one, as the
// result of `mutate` (R is implicitly Escapable), in a standard container, in an escapable
// struct, or given an escapable protocol conformance.
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

// Returning a freshly allocated handle from `mutate`.
func returnHandle(_ arena: ConfinedArena<Root>) throws {
    let h = try arena.mutate { mc, _ -> Confined<Node> in try mc.allocate(Node(value: 1, next: nil)) } // error: instance method 'mutate' requires that 'Confined<Node>' conform to 'Escapable'
    _ = h
}

// Returning a handle read from the root (the probe's `root.head`).
func returnField(_ arena: ConfinedArena<Root>) {
    let h: Optional<Confined<Node>> = arena.mutate { _, root in root.value.head } // error: requires that 'Confined<Node>' conform to 'Escapable'
    _ = h
}

// Returning the root's value (which holds handles).
func returnRootValue(_ arena: ConfinedArena<Root>) {
    let r = arena.mutate { _, root -> Root in root.value } // error: instance method 'mutate' requires that 'Root' conform to 'Escapable'
    _ = r
}

// Returning a write view.
func returnWriteView(_ arena: ConfinedArena<Root>) {
    let w = arena.mutate { mc, root -> ConfinedWrite<Root> in root.write(mc) } // error: instance method 'mutate' requires that 'ConfinedWrite<Root>' conform to 'Escapable'
    _ = w
}

// An Array.
func storeInArray(_ arena: ConfinedArena<Root>) {
    arena.mutate { _, root in
        let nodes = [root.value.head] // error: generic struct 'Array' requires that 'Confined<Node>' conform to 'Escapable'
        _ = nodes
    }
}

// A Dictionary.
func storeInDictionary(_ arena: ConfinedArena<Root>) {
    arena.mutate { _, root in
        let nodes = [1: root.value.head] // error: generic struct 'Dictionary' requires that 'Confined<Node>' conform to 'Escapable'
        _ = nodes
    }
}

// An escapable struct cannot hold a handle: holders must be ~Escapable themselves.
struct EscapableHolder {
    var node: Confined<Node> // error: stored property 'node' of 'Escapable'-conforming struct 'EscapableHolder' has non-Escapable type 'Confined<Node>'
}

// Equatable (and Hashable) require Escapable: identity is `===` or `identity`.
extension Confined: @retroactive Equatable { // error: type 'Confined<T>' does not conform to protocol 'Escapable'
    public static func == (a: Confined<T>, b: Confined<T>) -> Bool { a === b }
}

// Much of Optional's API (`map`, `flatMap`, `??` with an autoclosure) needs Escapable:
// unwrap with `if let` / `while let` instead.
func optionalMap(_ arena: ConfinedArena<Root>) -> Int {
    arena.mutate { _, root in root.value.head.map { $0.value.value } ?? 0 } // error: requires that 'Confined<Node>' conform to 'Escapable'
}
