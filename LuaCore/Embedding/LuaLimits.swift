/// Bounds for one call from the host: how many VM instructions it may run (fuel) and until
/// when (a deadline). Every entry point takes them (`run`, `call`, `runAsync`, `callAsync`,
/// `eval`, ``LuaFunction`` calls).
///
/// ```swift
/// try lua.run(untrusted, limits: LuaLimits(fuel: 1_000_000, timeout: .milliseconds(50)))
/// ```
///
/// Fuel counts interpreter instructions plus the work library functions charge (string
/// searches, table sorts). The interpreter charges it at backward jumps (the loop body's
/// length), calls and returns (the function's instructions up to the return) rather than per
/// instruction, so the count is at least the instructions run (for typical code, less than
/// twice that); it is checked at slice boundaries (``Lua/fuelPerSlice``), so a run stops
/// within one slice of its budget. The deadline is checked between slices too (and after
/// each awaited `async` operation, which it does not cancel). Running out of either
/// abandons the call: its frames are dropped and the state is ready for the next call.
public struct LuaLimits: Sendable, Equatable {
    /// The most instructions the call may run, or nil for no limit.
    public var fuel: Int?
    /// How long the call may take from its start, or nil.
    public var timeout: Duration?
    /// A point in time the call may not run past, or nil.
    public var deadline: ContinuousClock.Instant?

    /// No limits (the default), or the given ones.
    public init(fuel: Int? = nil, timeout: Duration? = nil, deadline: ContinuousClock.Instant? = nil) {
        self.fuel = fuel
        self.timeout = timeout
        self.deadline = deadline
    }
}

/// A call's remaining fuel and its deadline, checked between slices.
///
/// The deadline sits in a class: `ContinuousClock.Instant` is resilient, so an optional of it
/// held inline is copied and destroyed through value witnesses wherever the budget goes,
/// which cost a call without limits about 200 instructions.
struct LimitBudget {
    var fuel: Int
    let limited: Bool
    let deadline: Deadline?

    final class Deadline {
        let instant: ContinuousClock.Instant
        init(_ instant: ContinuousClock.Instant) { self.instant = instant }
        var hasPassed: Bool { ContinuousClock.now >= instant }
    }

    /// No limits (what a call without `limits` gets, without reading a ``LuaLimits``).
    static var unlimited: LimitBudget { LimitBudget(fuel: Int.max, limited: false, deadline: nil) }

    init(fuel: Int, limited: Bool, deadline: Deadline?) {
        self.fuel = fuel
        self.limited = limited
        self.deadline = deadline
    }

    init(_ limits: LuaLimits) {
        fuel = max(limits.fuel ?? Int.max, 0)
        limited = limits.fuel != nil
        if limits.timeout == nil, case .none = limits.deadline {
            deadline = nil
            return
        }
        var d = limits.deadline
        if let timeout = limits.timeout {
            let t = ContinuousClock().now.advanced(by: timeout)
            d = d.map { min($0, t) } ?? t
        }
        deadline = d.map(Deadline.init)
    }

    /// Whether the budget lets a slice start now.
    var allowsSlice: Bool {
        if limited && fuel <= 0 { return false }
        if let deadline, deadline.hasPassed { return false }
        return true
    }

    /// Ends `execution` with an error when the budget is spent.
    func check(_ execution: LuaExecution) throws(LuaScriptError) {
        if limited && fuel <= 0 {
            execution.abandon()
            throw LuaScriptError(kind: .outOfFuel, message: "out of fuel")
        }
        if let deadline, deadline.hasPassed {
            execution.abandon()
            throw LuaScriptError(kind: .interrupted, message: "deadline exceeded")
        }
    }
}
