/// What the heap verifier found.
public struct GCHeapReport: Sendable {
    /// Objects on the lists (allocation list and sweep list).
    public var objectsWalked = 0
    /// Each broken invariant, described.
    public var violations: [String] = []
    /// Whether every invariant held.
    public var isValid: Bool { violations.isEmpty }
}

extension Arena {
    /// Checks the heap's invariants; meant for tests (cost is linear in the heap).
    ///
    /// - List integrity: the object lists are acyclic, their lengths and sizes match the
    ///   counters, every header has a registered kind and (in debug builds) the live magic.
    /// - Gray stacks hold only gray objects.
    /// - During propagation, no black object points to a white one (the tri-color invariant).
    /// - No live object points strongly to a dropped one.
    /// - In generational mode, between collections: the object list is ordered by age
    ///   (new, survival, old1, old segments), young objects are white and old ones black
    ///   (gray if touched), and an old object points (strongly or weakly) to a young one
    ///   only if the next minor collection re-traces it (see Generational.swift).
    public func verifyHeap() -> GCHeapReport {
        let s = _state
        precondition(!s.pointee.inMutation && !s.pointee.inCollection)
        var report = GCHeapReport()
        let phase = s.pointee.phase
        let deadWhite = s.pointee.currentWhite ^ 1
        var objects: [_ObjectRef] = []
        var bytes = 0
        for head in [s.pointee.allObjects, s.pointee.sweepHead] {
            var next = head
            while let raw = next {
                let o = _ObjectRef(raw)
                if objects.count > s.pointee.objectCount {
                    report.violations.append("object list longer than the object count (cycle?)")
                    break
                }
                objects.append(o)
                bytes += o.size
                #if GCARENA_DEBUG
                if o.header.pointee.magic != _liveMagic { report.violations.append("freed block on the object list") }
                #endif
                if Int(o.kind) >= s.pointee.kinds.count {
                    report.violations.append("unregistered kind \(o.kind)")
                } else if (o.flags & _Flag.releases != 0) != (o.kind != 0 && s.pointee.kinds.entry(o.kind).pointee.needsRelease) {
                    report.violations.append("releases flag \(o.flags & _Flag.releases != 0) against kind \(o.kind)")
                }
                if o.color > _Color.black { report.violations.append("bad color \(o.color)") }
                next = o.header.pointee.next
            }
        }
        report.objectsWalked = objects.count
        if objects.count != s.pointee.objectCount {
            report.violations.append("walked \(objects.count) objects, counter says \(s.pointee.objectCount)")
        }
        if bytes != s.pointee.heapBytes {
            report.violations.append("walked \(bytes) bytes, counter says \(s.pointee.heapBytes)")
        }
        for stack in [s.pointee.gray, s.pointee.grayAgain] {
            for i in 0..<stack.count where _ObjectRef(stack[i]).color != _Color.gray {
                report.violations.append("non-gray object on a gray stack")
            }
        }
        let checkGenerations = s.pointee.generational && phase == .sleeping
        if checkGenerations {
            _verifySegments(objects, &report)
        } else if objects.contains(where: { $0.age != _Age.new }) {
            report.violations.append("incremental mode: an object has a generational age")
        }
        // Trace every object that is neither dropped nor doomed and look at its edges.
        s.pointee.verifying = true
        defer { s.pointee.verifying = false }
        var tracer = Tracer(s)
        for o in objects where o.flags & _Flag.dropped == 0 && o.flags & _Flag.leaf == 0 && o.kind != 0 {
            let doomed = (phase == .marked && _Color.isWhite(o.color)) || (phase == .sweeping && o.color == deadWhite)
            if doomed { continue }
            let checkTriColor = phase == .propagating && o.color == _Color.black
            let before = s.pointee.verifyViolations
            s.pointee.verifyDropped = 0
            s.pointee.verifyNewChildren = 0
            s.pointee.verifyWeakWhite = 0
            s.pointee.verifyWeakNew = 0
            s.pointee.kinds.entry(o.kind).pointee.type._gcTraceObject(o.payload, &tracer)
            let whiteChildren = s.pointee.verifyViolations - before
            if checkGenerations { _verifyGenerationalEdges(o, whiteChildren: whiteChildren, &report) }
            if s.pointee.verifyDropped > 0 {
                report.violations.append("live object points to \(s.pointee.verifyDropped) dropped object(s)")
            }
            if checkTriColor && whiteChildren > s.pointee.verifyDropped {
                report.violations.append("black object points to a white object (kind \(o.kind))")
            }
        }
        return report
    }
}
