/// How much collection work the arena owes for each byte allocated, and when a cycle starts.
///
/// ## Debt versus work
///
/// The collector never runs on its own: the host pays *allocation debt* between `mutate`
/// calls (``Arena/collectDebt()``). Debt is measured in *work units*, roughly bytes of heap
/// touched: tracing an object costs its size, sweeping an object costs ``sweepCost`` times
/// its size.
///
/// - After a cycle ends with `L` live bytes, the arena *sleeps* until the heap reaches
///   `L + max(minimumSleep, pause × L)`. Sleeping costs nothing.
/// - From then on every allocated byte adds ``stepMultiplier`` units of debt, and paying
///   debt advances the cycle: propagate, atomic re-scan, finalization window, sweep.
///
/// ## Why the collector outruns the mutator
///
/// Say a cycle starts with a heap of `H` bytes and the mutator allocates `A` more before
/// the cycle ends. The cycle's work is at most `(1 + s)(H + A)` (mark everything, sweep
/// everything, `s` = ``sweepCost``), and the debt paid meanwhile is `k·A` (`k` =
/// ``stepMultiplier``). The cycle therefore ends once `k·A ≥ (1 + s)(H + A)`, that is after
///
///     A ≤ (1 + s) · H / (k − 1 − s)
///
/// bytes. This is finite exactly when **k > 1 + s**, the invariant the initializer checks.
/// With the defaults (`pause` 1, `k` 4, `s` 0.25), `A ≤ 0.46 H`, so a program with a
/// steady live size `L` peaks below about `(1 + pause)(1.46) L ≈ 2.9 L`.
///
/// ## Generational mode
///
/// In ``GCCollectorMode/generational`` mode `stepMultiplier` and `sweepCost` are not used:
/// after a collection leaving `L` live bytes, the next one runs once the heap reaches
/// `L + max(minimumSleep, minorMultiplier% × L)`. It is a minor collection, unless the heap
/// has grown past `B + majorMultiplier% × B`, `B` being the live size after the last major
/// collection (not counting what `minimumSleep` adds to the sleep); then it is a major one. A major collection that frees less
/// than half of that growth is *bad*: the collector then sleeps for `pause` (as incremental
/// mode does) and runs full collections until one traces less than 9/8 of what the bad one
/// traced (PUC's fallback). Lua 5.4's defaults are 20 and 100.
public struct GCPacing: Sendable, Equatable {
    /// Sleep after a cycle until the heap has grown by this fraction of the live size.
    public var pause: Double
    /// Work units owed per byte allocated while a cycle runs (must exceed `1 + sweepCost`).
    public var stepMultiplier: Double
    /// Work units charged per byte swept, relative to tracing.
    public var sweepCost: Double
    /// The least number of bytes allocated between cycles.
    public var minimumSleep: Int
    /// Generational mode: percent of the live size allocated between minor collections.
    public var minorMultiplier: Int
    /// Generational mode: percent of growth over the size after the last major collection
    /// that makes the next collection a major one.
    public var majorMultiplier: Int

    /// Creates pacing factors, checking the invariant that lets a cycle finish.
    public init(pause: Double = 1.0, stepMultiplier: Double = 4.0, sweepCost: Double = 0.25,
                minimumSleep: Int = 256 * 1024, minorMultiplier: Int = 20, majorMultiplier: Int = 100) {
        precondition(pause >= 0 && sweepCost >= 0 && minimumSleep >= 0)
        precondition(minorMultiplier >= 0 && majorMultiplier >= 0)
        precondition(stepMultiplier > 1 + sweepCost,
                     "GCPacing: stepMultiplier must exceed 1 + sweepCost or a cycle may never end")
        self.pause = pause
        self.stepMultiplier = stepMultiplier
        self.sweepCost = sweepCost
        self.minimumSleep = minimumSleep
        self.minorMultiplier = minorMultiplier
        self.majorMultiplier = majorMultiplier
    }

    /// Collects at every opportunity: for tests that want the collector to run as often as possible.
    ///
    /// Debt comes only from allocation, so a step that allocated nothing owes nothing even
    /// under this pacing; call ``Arena/collectAll()`` to force a collection.
    public static let stress = GCPacing(pause: 0, stepMultiplier: 1_000_000, sweepCost: 0.25,
                                        minimumSleep: 0)
}
