import GCArena
import GCSequence

/// A singly linked list node in the arena.
struct Node: Collect {
    var value: Int
    var next: Gc<Node>?
    func trace(_ tracer: inout Tracer) { tracer.trace(next) }
}

/// The test arenas' root: a list head and a place to keep results that hold handles.
struct Root: Collect {
    var head: Gc<Node>?
    var kept: [Gc<Node>] = []
    func trace(_ tracer: inout Tracer) {
        tracer.trace(head)
        tracer.trace(kept)
    }
}

enum TestError: Error, Equatable {
    case boom(Int)
    case wrapped(String)
}

/// An arena that collects at every opportunity, so any untraced handle is caught at once.
func stressArena() -> Arena<Root> {
    let arena = Arena<Root> { _ in Root() }
    arena.pacing = .stress
    return arena
}

/// Runs `stepper` to completion with `slice`-unit slices in a stress arena.
func runToEnd<S: Stepper>(_ stepper: S, slice: Int = 1) throws(DriverError<S.Failure>) -> S.Output
where S.Output: Sendable {
    let driver = try! Driver(stressArena(), slice: slice) { _, _ in stepper }
    return try driver.run()
}

/// The failure inside a driver error, if it is one.
func failure<F>(_ error: DriverError<F>) -> F? {
    if case .failed(let f) = error { return f }
    return nil
}

/// Builds a list of `count` nodes holding 1...count in one mutation.
func buildList(_ mc: borrowing Mutation, count: Int) throws -> Gc<Node>? {
    var head: Gc<Node>? = nil
    for i in stride(from: count, through: 1, by: -1) { head = try mc.allocate(Node(value: i, next: head)) }
    return head
}

/// A stepper that sums a list one node per unit of fuel: the hand-written state machine form.
struct SumList: Stepper {
    var cursor: Gc<Node>?
    var sum = 0

    mutating func poll(_ mc: borrowing Mutation, _ fuel: inout Fuel) -> Poll<Int, Never> {
        while let node = cursor {
            guard fuel.shouldContinue else { return .pending }
            fuel.consume()
            sum += node.value.value
            cursor = node.value.next
        }
        return .ready(sum)
    }

    func trace(_ tracer: inout Tracer) { tracer.trace(cursor) }
}
