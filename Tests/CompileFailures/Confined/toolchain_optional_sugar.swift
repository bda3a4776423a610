// expected-error: lifetime-dependent variable 'self' escapes its scope
// Compiler bug met in Swift 6.3.1 (kept as a test so an upgrade that fixes it is noticed):
// a stored property spelled `Confined<Node>?` gets an implicit `= nil` initial value, which
// the lifetime checker treats as an escape in a `@_lifetime` initializer. The same property
// spelled `Optional<Confined<Node>>` (as everywhere else) compiles.
import GCArena

struct Node: ConfinedCollect, ~Escapable {
    var next: Confined<Node>?
    @_lifetime(copy next)
    init(next: Confined<Node>?) { self.next = next }
    func trace(_ tracer: inout Tracer) { tracer.trace(next) }
}
