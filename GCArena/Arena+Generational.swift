// The public face of the generational mode (the collector is in Generational.swift).

/// How an arena collects: incremental cycles over the whole heap, or generations.
public enum GCCollectorMode: Sendable, Equatable {
    /// Tri-color incremental mark–sweep: each cycle traces and sweeps the whole heap in small
    /// steps paid by allocation debt, so pauses stay bounded by the pacing.
    case incremental
    /// Young and old generations, as Lua 5.4's generational mode: frequent minor
    /// collections trace and sweep only the objects allocated recently (plus old objects
    /// written since), and a major collection of the whole heap runs when it has grown past
    /// ``GCPacing/majorMultiplier`` percent over its size after the last major one. Each
    /// collection runs to its end in one call: pauses are short for minor collections and
    /// proportional to the heap for major ones.
    case generational
}

extension Arena {
    /// The collector's mode (``GCCollectorMode/incremental`` for a new arena).
    public var collectorMode: GCCollectorMode {
        _state.pointee.generational ? .generational : .incremental
    }

    /// Switches the collector's mode, returning the previous one.
    ///
    /// Switching is safe at any point between `mutate` calls. Entering generational mode
    /// finishes the running incremental cycle, then runs a full (major) collection after which
    /// every survivor is old; entering incremental mode finishes the running collection and
    /// makes every object young and white, to be examined by the next incremental cycle.
    /// Setting the current mode does nothing. Calling it inside `mutate` is a precondition
    /// failure, as for the other collection drivers.
    @discardableResult
    public func setCollectorMode(_ mode: GCCollectorMode) -> GCCollectorMode {
        let previous = collectorMode
        guard mode != previous else { return previous }
        let s = _state
        switch mode {
        case .generational:
            _collecting {
                while s.pointee.phase != .sleeping { _work(.infinity) }
                s.pointee.generational = true
                s.pointee.genRequest = 2
                _work(0)
                while s.pointee.phase != .sleeping { _work(.infinity) }
            }
        case .incremental:
            _collecting {
                while s.pointee.phase != .sleeping { _work(.infinity) }
                _Collector.leaveGenerational(s)
            }
        }
        return previous
    }

    /// Runs a minor collection in generational mode (finishing the running collection first);
    /// in incremental mode, ``finishCycle()``.
    ///
    /// A minor collection traces the roots, the old objects written since the previous
    /// collections and the young objects they reach, and frees the young objects nothing
    /// reaches; old garbage waits for a major collection (``collectAll()``).
    public func collectMinor() {
        if _state.pointee.generational {
            if _state.pointee.phase != .sleeping { finishCycle() }
            _state.pointee.genRequest = 1
        }
        finishCycle()
    }

    /// Takes one step of collection as PUC-Rio Lua 5.4's `collectgarbage("step", n)` does in
    /// generational mode, returning whether the collector was left in its fallback pause.
    ///
    /// With `debt` 0 it runs a collection now: a minor one, or a full one while the last
    /// major collection was bad (see ``GCMetrics/badMajorCollections``). With a positive
    /// `debt` it first brings the next collection `debt` bytes closer, then runs one only if
    /// the heap has reached it (minor or major, as the heap's size says). The answer is true
    /// only when a collection ran and it was a fallback full collection that was bad again,
    /// the case in which PUC's collector ends in its incremental mode's pause and its
    /// `collectgarbage("step")` returns true.
    ///
    /// In incremental mode it is ``collectWork(_:)`` with `debt` units of work (64 KiB for 0).
    @discardableResult
    public func collectGenerationalStep(debt: Int) -> Bool {
        let s = _state
        guard s.pointee.generational else { return collectWork(debt <= 0 ? 64 * 1024 : debt) }
        if s.pointee.phase != .sleeping { finishCycle() }
        if debt <= 0 {
            s.pointee.genRequest = s.pointee.genLastAtomic != 0 ? 0 : 1
        } else {
            let wake = Swift.max(s.pointee.wakeAt, 0)
            s.pointee.wakeAt = wake - Swift.min(debt, wake)
            if s.pointee.liveBytes < s.pointee.wakeAt { return false }
        }
        finishCycle()
        return s.pointee.genFallbackIdle
    }
}

extension Mutation {
    /// The collector's mode (see ``Arena/collectorMode``).
    public var collectorMode: GCCollectorMode {
        _state.pointee.generational ? .generational : .incremental
    }

    /// Asks the collector to re-trace `gc` in the atomic phase of every collection for as
    /// long as it lives, as it re-traces the root.
    ///
    /// Stores of handles into such an object then need no write barrier in either mode
    /// (in generational mode every minor collection re-traces it). Meant for a few objects
    /// that are written constantly and are cheap to trace, like an interpreter's global
    /// record; a long one makes every atomic phase longer. The object still dies when nothing
    /// reaches it. Calling it again for the same object does nothing.
    public func retraceEveryCollection<T>(_ gc: Gc<T>) {
        let o = _ObjectRef(payload: gc._raw)
        if o.flags & _Flag.sticky != 0 { return }
        o.flags |= _Flag.sticky
        _state.pointee.sticky.push(o.raw)
    }
}
