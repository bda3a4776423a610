// expected-errors: every line marked `// error: <text>` gets that error; no other line gets one
// Compiler bug met in Swift 6.3.1 (kept as a test so an upgrade that fixes it is noticed):
// a stored property of a `~Escapable` struct with an initial value — including the implicit
// `= nil` of a property spelled `Confined<Node>?` — is reported as an escape from the
// `@_lifetime` initializer, at the initializer. Workaround: spell the type
// `Optional<Confined<Node>>` (no implicit `= nil`) and assign every property in `init`
// (Examples/TinyLispConfined/Core/Machine.swift does so for its registers).
import GCArena

struct Node: ConfinedCollect, ~Escapable {
    var next: Confined<Node>?
    @_lifetime(copy next)
    init(next: Confined<Node>?) { self.next = next } // error: lifetime-dependent variable 'self' escapes its scope
    func trace(_ tracer: inout Tracer) { tracer.trace(next) }
}

enum Value: ConfinedCollect, BitwiseCopyable, ~Escapable {
    case null
    case node(Confined<Node>)
    func trace(_ tracer: inout Tracer) { if case .node(let n) = self { tracer.trace(n) } }
}

struct Registers: ~Escapable {
    var current: Confined<Node>
    var value = Value.null
    @_lifetime(copy current)
    init(current: Confined<Node>) { self.current = current } // error: lifetime-dependent variable 'self' escapes its scope
}
