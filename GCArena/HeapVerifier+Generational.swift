// The heap verifier's generational checks (see Generational.swift for the invariants).

extension Arena {
    /// Checks the age segments of the object list and the colors that go with each age.
    func _verifySegments(_ objects: [_ObjectRef], _ report: inout GCHeapReport) {
        let s = _state
        let bounds = [s.pointee.genSurvival, s.pointee.genOld1, s.pointee.genOld]
        var segment = 0
        var bad = 0
        for o in objects {
            while segment < 3 && bounds[segment] == o.raw { segment += 1 }
            let age = o.age
            let white = _Color.isWhite(o.color)
            switch segment {
            case 0: if age != _Age.new || !white { bad += 1 }
            case 1: if age != _Age.survival || !white { bad += 1 }
            case 2: if !_Age.isOld(age) { bad += 1 }
            default: if !_Age.isOld(age) || age == _Age.old1 { bad += 1 }
            }
            if _Age.isOld(age) {
                let expected = age == _Age.touched1 ? _Color.gray : _Color.black
                if o.color != expected { bad += 1 }
            }
            if age > _Age.touched2 { bad += 1 }
        }
        if bad > 0 { report.violations.append("generational: \(bad) object(s) with an age or color out of place") }
        // Every non-nil boundary must have been met (they are in list order).
        let met = bounds.prefix(segment).count
        if bounds[met...].contains(where: { $0 != nil }) {
            report.violations.append("generational: a segment boundary is not on the object list")
        }
    }

    /// Checks the edges of one traced object against its age; the verifier's counters hold
    /// what tracing it found.
    func _verifyGenerationalEdges(_ o: _ObjectRef, whiteChildren: Int, _ report: inout GCHeapReport) {
        let s = _state
        if o.flags & _Flag.sticky != 0 { return }
        switch o.age {
        case _Age.old:
            if whiteChildren > 0 || s.pointee.verifyWeakWhite > 0 {
                report.violations.append("generational: old object points to a young one (kind \(o.kind))")
            }
        case _Age.old1, _Age.touched2:
            if s.pointee.verifyNewChildren > 0 || s.pointee.verifyWeakNew > 0 {
                report.violations.append("generational: old1/touched2 object points to a new one (kind \(o.kind))")
            }
        default:
            break
        }
    }
}
