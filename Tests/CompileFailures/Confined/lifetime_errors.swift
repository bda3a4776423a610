// expected-errors: every line marked `// error: <text>` gets that error; no other line gets one
// Escape routes rejected by the SIL lifetime checker (one function per route).
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

// A global.
nonisolated(unsafe) var savedNode: Optional<Confined<Node>> = nil
func storeInGlobal(_ arena: ConfinedArena<Root>) {
    arena.mutate { _, root in savedNode = root.value.head } // error: lifetime-dependent value escapes its scope
}

// A class property: the synthesized setter would let the handle outlive its scope.
final class Holder {
    var node: Optional<Confined<Node>> = nil // error: lifetime-dependent variable 'value' escapes its scope
}

// An escaping closure.
func captureInEscapingClosure(_ arena: ConfinedArena<Root>) {
    var later: (() -> Int)? = nil
    arena.mutate { _, root in
        let head = root.value.head // error: lifetime-dependent variable 'head' escapes its scope
        later = { head?.value.value ?? 0 }
    }
    _ = later
}

// A Task.
func captureInTask(_ arena: ConfinedArena<Root>) {
    arena.mutate { _, root in
        let head = root.value.head // error: lifetime-dependent variable 'head' escapes its scope
        Task { _ = head?.value.value }
    }
}

// Carried across an `await` between two `mutate` calls.
func acrossAwait(_ arena: ConfinedArena<Root>) async {
    var kept: Optional<Confined<Node>> = nil // error: lifetime-dependent variable 'kept' escapes its scope
    arena.mutate { _, root in kept = root.value.head }
    await Task.yield()
    arena.mutate { _, _ in _ = kept?.value.value }
}

// Kept in a local between two `mutate` calls (a collection runs in between).
func localBetweenMutates(_ arena: ConfinedArena<Root>) {
    var kept: Optional<Confined<Node>> = nil // error: lifetime-dependent variable 'kept' escapes its scope
    arena.mutate { _, root in kept = root.value.head }
    arena.collectAll()
    arena.mutate { _, _ in _ = kept?.value.value }
}

// An inout out-parameter.
func outParameter(_ arena: ConfinedArena<Root>, _ out: inout Optional<Confined<Node>>) { // error: lifetime-dependent variable 'out' escapes its scope
    arena.mutate { _, root in out = root.value.head }
}

// A helper that claims its result is immortal.
@_lifetime(immortal)
func launder(_ node: Confined<Node>) -> Confined<Node> { node } // error: lifetime-dependent variable 'node' escapes its scope
