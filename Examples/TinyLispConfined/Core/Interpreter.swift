import GCArena

/// A TinyLisp interpreter on the statically confined API: a `ConfinedArena` whose root is
/// the evaluator, driven in bounded slices.
///
/// ```swift
/// let lisp = Interpreter()
/// let result = lisp.evaluate("(define (sq x) (* x x)) (sq 12)")   // .success("144")
/// ```
///
/// Every call to ``evaluate(_:sliceTransitions:onValue:)`` reads the source into the arena,
/// then alternates `arena.mutate { run up to N transitions }` with `arena.collectDebt()`,
/// so a long-running program collects garbage while it runs.
public final class Interpreter {
    /// The arena holding every Lisp object; its root is the machine.
    public let arena: ConfinedArena<Machine>
    let runtime: Runtime

    /// Called after each slice, between `mutate` and `collectDebt` (tests verify the heap here).
    public var afterSlice: ((Interpreter) -> Void)?

    /// Statistics for the interpreter's lifetime.
    public struct Statistics: Sendable {
        /// Slices run (`mutate` calls made by the driver).
        public var slices = 0
        /// Largest `heapBytes` seen at the end of a slice, before its debt was paid.
        public var peakHeapBytes = 0
        /// The deepest continuation stack, in frames.
        public var maxContinuationDepth = 0
    }
    public private(set) var statistics = Statistics()

    /// Creates an interpreter whose `display` output goes to `output`; loads the prelude.
    public init(output: @escaping (String) -> Void = { Swift.print($0, terminator: "") }) {
        let runtime = Runtime(output: output)
        self.runtime = runtime
        for form in SpecialForm.allCases {
            let s = runtime.symbols.intern(form.spelling)
            precondition(s.id == form.rawValue)
        }
        // The root's first allocation cannot exceed a memory limit: none is set yet.
        arena = try! ConfinedArena<Machine>(building: { mc, install in try install(try Machine(mc)) })
        arena.mutate { mc, root in
            let m = root.value
            for b in Builtin.allCases {
                try! m.define(runtime.symbols.intern(b.name), .builtin(b), in: m.globalEnv, mc)
            }
        }
        if case .failure(let e) = evaluate(prelude) { preconditionFailure("TinyLisp prelude failed: \(e)") }
    }

    /// Evaluates every form in `source` in order, stopping at the first error.
    ///
    /// Returns the printed (`write`-style) value of the last form. `onValue` receives the
    /// printed value of each top-level form (empty for `define` and other unspecified values).
    /// Evaluation runs in slices of at most `sliceTransitions` machine transitions (or
    /// until the slice has allocated `sliceBytes`), paying the collector's debt after each.
    @discardableResult
    public func evaluate(_ source: String, sliceTransitions: Int = 10_000, sliceBytes: Int = 256 * 1024,
                         onValue: ((String) -> Void)? = nil) -> Result<String, LispError> {
        let rt = runtime
        var last = ""
        let report: (Value, Runtime) -> Void = { v, rt in
            last = Printer(symbols: rt.symbols, write: true).string(v)
            onValue?(last)
        }
        do {
            try arena.mutate { mc, root in
                let m = root.value
                m.forms.truncate(to: 0)
                var reader = Reader(source)
                try reader.readAll(mc, &rt.symbols, into: m.forms, scratch: m.scratch)
                root.write(mc).value.nextForm = 0
            }
            while true {
                let done = try arena.mutate { mc, root in
                    // The registers live in a local for the slice and go back in one write
                    // (with its barrier) at the end, also when the slice throws.
                    var m = root.value
                    defer { root.write(mc).value = m }
                    return try m.run(mc, budget: sliceTransitions, byteBudget: sliceBytes, rt, onValue: report)
                }
                statistics.slices += 1
                statistics.peakHeapBytes = max(statistics.peakHeapBytes, arena.metrics.heapBytes)
                statistics.maxContinuationDepth = rt.maxContinuationDepth
                afterSlice?(self)
                arena.collectDebt()
                if done { break }
            }
            arena.mutate { mc, root in root.write(mc).value.reset() }
            return .success(last)
        } catch {
            arena.mutate { mc, root in root.write(mc).value.reset() }
            statistics.maxContinuationDepth = rt.maxContinuationDepth
            switch error {
            case let e as LispError: return .failure(e)
            case let e as GCAllocationError:
                arena.collectAll()
                return .failure(LispError(.memory, "\(e)"))
            default: return .failure(LispError(.user, "\(error)"))
            }
        }
    }
}
