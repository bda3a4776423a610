// The drivers that run the collector between `mutate` calls.

extension Arena {
    /// Does the collection work the allocation debt calls for, then returns.
    ///
    /// Call it between `mutate` calls (for example after every step of a long computation):
    /// its cost is proportional to what was allocated since the last call. It does nothing
    /// while ``isAutomaticCollectionPaused``.
    public func collectDebt() {
        if _state.pointee.automaticCollectionPaused || _Collector.debt(_state) <= 0 { return }
        _collecting {
            while true {
                let debt = _Collector.debt(_state)
                if debt <= 0 { break }
                _work(Swift.max(debt, 4096))
            }
        }
    }

    /// Does about `work` units of collection (bytes traced, or swept bytes times the sweep
    /// cost), starting a cycle if none is running.
    ///
    /// In generational mode a collection is not divided into steps: this runs one whole
    /// collection (minor, or major if the heap has grown enough).
    public func collectStep(work: Int) {
        if _state.pointee.generational { finishCycle(); return }
        _collecting {
            if _state.pointee.phase == .sleeping { _work(0) }
            _work(Double(Swift.max(1, work)))
            if _state.pointee.phase == .marked { _work(0) }
        }
    }

    /// Does about `work` units of collection across phases, starting a cycle if none is
    /// running and stopping early when the cycle ends (PUC-Rio's incremental step). Returns
    /// whether it ended a cycle.
    ///
    /// In generational mode this runs one whole collection (minor, or major if the heap has
    /// grown enough) and returns true.
    @discardableResult
    public func collectWork(_ work: Int) -> Bool {
        if _state.pointee.generational { finishCycle(); return true }
        var finished = false
        _collecting {
            let s = _state
            if s.pointee.phase == .sleeping { _work(0) }
            var remaining = Double(Swift.max(1, work))
            while remaining > 0 {
                let before = Double(s.pointee.stats.markedBytes) + s.pointee.pacing.sweepCost * Double(s.pointee.stats.sweptBytes)
                _work(remaining)
                if s.pointee.phase == .sleeping { finished = true; break }
                let after = Double(s.pointee.stats.markedBytes) + s.pointee.pacing.sweepCost * Double(s.pointee.stats.sweptBytes)
                remaining -= Swift.max(after - before, 1)
            }
            // Never hand the mutator a marked arena: weak entries are cleared in the window.
            if s.pointee.phase == .marked { _work(0) }
        }
        return finished
    }

    /// Runs marking to completion and stops at the finalization window (starting a cycle if
    /// none is running). Use ``finalize(_:)`` next, or any other driver to continue.
    public func finishMarking() {
        _collecting {
            if _state.pointee.phase == .sleeping { _work(0) }
            while _state.pointee.phase == .propagating { _work(.infinity) }
        }
    }

    /// Finishes the running cycle, or runs one whole cycle if the collector was asleep.
    ///
    /// In generational mode the cycle is a minor collection, or a major one if the heap has
    /// grown past the major threshold (see ``GCPacing``).
    public func finishCycle() {
        _collecting {
            if _state.pointee.phase == .sleeping { _work(0) }
            while _state.pointee.phase != .sleeping { _work(.infinity) }
        }
    }

    /// Collects all garbage: finishes any running cycle, then runs a complete fresh one, so
    /// that everything unreachable when this was called is gone (or finalized).
    ///
    /// In generational mode the fresh collection is a major one (the whole heap).
    public func collectAll() {
        if _state.pointee.phase != .sleeping { finishCycle() }
        if _state.pointee.generational { _state.pointee.genRequest = 2 }
        finishCycle()
    }

    /// Opens the finalization window now: valid only in the ``GCPhase/marked`` phase.
    ///
    /// Replaces the ``finalizationHook`` for this window.
    public func finalize(_ body: (borrowing GCFinalization, inout Root) -> Void) {
        precondition(_state.pointee.phase == .marked, "GCArena: finalize needs a marked arena (call finishMarking)")
        _collecting { _window(body) }
    }

    // MARK: - Internals

    func _collecting(_ body: () -> Void) {
        let s = _state
        precondition(!s.pointee.inMutation && !s.pointee.inCollection,
                     "GCArena: collection requested inside mutate (mutation xor collection)")
        s.pointee.inCollection = true
        let previous = _DebugContext.enter(s.pointee.arenaID)
        let start = _Collector.now()
        body()
        let pause = _Collector.now() &- start
        if pause > s.pointee.stats.maxPauseNanoseconds { s.pointee.stats.maxPauseNanoseconds = pause }
        _DebugContext.restore(previous)
        s.pointee.inCollection = false
    }

    func _traceRoots(_ tracer: inout Tracer) {
        _root.trace(&tracer)
        _dynamicRoots.trace(&tracer)
    }

    /// Advances the current phase by about `units` of work; may move to the next phase.
    func _work(_ units: Double) {
        let s = _state
        let start = _Collector.now()
        switch s.pointee.phase {
        case .sleeping:
            if s.pointee.generational {
                _Collector.startGenCollection(s) { _traceRoots(&$0) }
            } else {
                _Collector.startCycle(s) { _traceRoots(&$0) }
            }
            s.pointee.stats.markNanoseconds &+= _Collector.now() &- start
        case .propagating:
            // A generational collection is not incremental: it marks everything at once.
            let target = s.pointee.generational ? Int.max : _saturatingTarget(s.pointee.stats.markedBytes, units)
            if _Collector.propagate(s, until: target) {
                let mid = _Collector.now()
                s.pointee.stats.markNanoseconds &+= mid &- start
                _Collector.atomic(s) { _traceRoots(&$0) }
                s.pointee.stats.atomicNanoseconds &+= _Collector.now() &- mid
            } else {
                s.pointee.stats.markNanoseconds &+= _Collector.now() &- start
            }
        case .marked:
            if let hook = finalizationHook { _window(hook) } else { _window { _, _ in } }
        case .sweeping:
            let target = _saturatingTarget(s.pointee.stats.sweptBytes, units / s.pointee.pacing.sweepCost)
            _ = _Collector.sweep(s, until: target)
            s.pointee.stats.sweepNanoseconds &+= _Collector.now() &- start
        }
    }

    func _window(_ body: (borrowing GCFinalization, inout Root) -> Void) {
        let s = _state
        let start = _Collector.now()
        body(GCFinalization(_state: s), &_root)
        _Collector.leaveWindow(s)
        s.pointee.stats.finalizeNanoseconds &+= _Collector.now() &- start
    }

    func _saturatingTarget(_ base: Int, _ units: Double) -> Int {
        let room = Double(Int.max - base)
        return units >= room ? Int.max : base + Int(units.rounded(.up))
    }
}
