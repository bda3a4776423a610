#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GCArena
import LuaCore

// table.sort: PUC's quicksort (Sedgewick's, median of three, randomized pivots once a
// partition proves badly unbalanced), comparison for comparison and write for write, so an
// inconsistent order function fails with "invalid order function for sorting" at the same
// point lua5.4 does and leaves the table in the same state.
//
// Two engines run the same algorithm:
// - `FastSort`: a plain table (no metatable), no order function, and only numbers or only
//   strings. Nothing can call Lua, so it sorts the values in Swift in one go.
// - `SortMachine`: everything else. A resumable state machine whose every element read,
//   write and comparison may be a Lua call (`__index`, `__newindex`, `__lt`, the order
//   function): those return `.callResuming`/`.callAgain` and the executor resumes the machine. Pending
//   partitions live on an explicit stack, so no Swift recursion happens per comparison.
//   Values it holds across calls (the pivot and the two elements being compared) live in
//   stack slots 3...5, where the collector sees them.

// SAFETY: the in-place fast path sorts the table's array part through its base pointer only while
// no Lua code can run (no metamethods, no comparator), so the array cannot be resized meanwhile.

enum TableSort {
    /// Partitions smaller than this always use the middle element as pivot (PUC's RANLIMIT).
    static let randomLimit: UInt32 = 100

    static func sort(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        try TableLibrary.checkTable(&ctx, 1, [.read, .write, .length])
        return try ctx.lengthAsInteger(ctx[1]) { ctx, n in
            guard n > 1 else { return .results(0) }
            guard n < Int64(Int32.max) else { throw ctx.argumentError(1, "array too big") }
            if !ctx.argument(2).isNil { try ctx.checkFunction(2) }
            try ctx.setTop(2)
            if try FastSort.sortIfPossible(&ctx, count: Int(n)) { return .results(0) }
            try ctx.setTop(SortMachine.topSlot)
            return try SortMachine(count: UInt32(n)).run(&ctx)
        }
    }

    /// PUC's `l_randomizePivot`: a cheap varying number from the clock and the time.
    static func randomizePivot() -> UInt32 {
        let c = UInt64(bitPattern: Int64(clock()))
        let t = UInt64(bitPattern: Int64(time(nil)))
        return UInt32(truncatingIfNeeded: c) &+ UInt32(truncatingIfNeeded: c >> 32)
            &+ UInt32(truncatingIfNeeded: t) &+ UInt32(truncatingIfNeeded: t >> 32)
    }

    /// A pivot in the middle half of `[lo, up]`, "randomized" by `rnd` (PUC's `choosePivot`).
    @inline(__always)
    static func choosePivot(_ lo: UInt32, _ up: UInt32, _ rnd: UInt32) -> UInt32 {
        let r4 = (up &- lo) / 4
        return rnd % (r4 &* 2) &+ (lo &+ r4)
    }

    @inline(__always)
    static func pivot(_ lo: UInt32, _ up: UInt32, _ rnd: UInt32) -> UInt32 {
        up &- lo < randomLimit || rnd == 0 ? (lo &+ up) / 2 : choosePivot(lo, up, rnd)
    }

    static var invalidOrder: LuaError { LuaError.runtime("invalid order function for sorting") }
}

// MARK: - Fast path

/// The sort for a plain table of numbers or of strings with the default order.
enum FastSort {
    /// Sorts `t[1...count]` if the fast path applies; false when the machine must do it.
    static func sortIfPossible(_ ctx: inout LuaCallContext, count: Int) throws -> Bool {
        let tv = ctx[1]
        guard tv.tag == .table, ctx[2].isNil else { return false }
        let t = tv.table
        guard t.metatable == nil else { return false }
        var comparisons = 0
        defer { ctx.chargeFuel(comparisons) }
        if t.arrayCount >= count, let base = t.arrayBase {
            // In place: a failure leaves the table exactly as PUC's in-place writes would.
            let values = UnsafeMutableBufferPointer(start: base, count: count)
            guard let strings = homogeneous(values) else { return false }
            try run(values, strings: strings, comparisons: &comparisons)
            return true
        }
        var copy = (1...count).map { t.get(integer: Int64($0)) }
        return try copy.withUnsafeMutableBufferPointer { values in
            guard let strings = homogeneous(values) else { return false }
            do {
                try run(values, strings: strings, comparisons: &comparisons)
            } catch {
                try writeBack(&ctx, t, values)
                throw error
            }
            try writeBack(&ctx, t, values)
            return true
        }
    }

    /// True for all strings, false for all numbers, nil otherwise.
    static func homogeneous(_ values: UnsafeMutableBufferPointer<LuaValue>) -> Bool? {
        guard let first = values.first else { return nil }
        if first.isNumber {
            for v in values where !v.isNumber { return nil }
            return false
        }
        if first.tag == .string {
            for v in values where v.tag != .string { return nil }
            return true
        }
        return nil
    }

    static func writeBack(_ ctx: inout LuaCallContext, _ t: Gc<LuaTable>, _ values: UnsafeMutableBufferPointer<LuaValue>) throws {
        for (i, v) in values.enumerated() { try ctx.rawSet(t, LuaValue(Int64(i + 1)), v) }
    }

    static func run(_ values: UnsafeMutableBufferPointer<LuaValue>, strings: Bool, comparisons: inout Int) throws {
        var a = OneBased(base: values.baseAddress!)
        let up = UInt32(values.count)
        if strings {
            try quicksort(&a, 1, up, 0, comparisons: &comparisons) { $0.string.compare($1.string) < 0 }
        } else {
            try quicksort(&a, 1, up, 0, comparisons: &comparisons) { LuaArith.lessThan($0, $1) }
        }
    }

    /// A 1-based view of the values being sorted.
    struct OneBased {
        let base: UnsafeMutablePointer<LuaValue>
        @inline(__always) subscript(i: UInt32) -> LuaValue {
            get { base[Int(i) - 1] }
            nonmutating set { base[Int(i) - 1] = newValue }
        }
        @inline(__always) func swapAt(_ i: UInt32, _ j: UInt32) {
            let x = self[i]
            self[i] = self[j]
            self[j] = x
        }
    }

    /// PUC's `auxsort` + `partition`: recursion on the smaller part only (depth ≤ log2 n).
    static func quicksort(_ a: inout OneBased, _ lo0: UInt32, _ up0: UInt32, _ rnd0: UInt32, comparisons: inout Int,
                          _ less: (LuaValue, LuaValue) -> Bool) throws {
        var lo = lo0, up = up0, rnd = rnd0
        while lo < up {
            comparisons += 1
            if less(a[up], a[lo]) { a.swapAt(lo, up) }
            if up - lo == 1 { return }
            let p0 = TableSort.pivot(lo, up, rnd)
            comparisons += 1
            if less(a[p0], a[lo]) {
                a.swapAt(p0, lo)
            } else {
                comparisons += 1
                if less(a[up], a[p0]) { a.swapAt(p0, up) }
            }
            if up - lo == 2 { return }
            let pivot = a[p0]
            a.swapAt(p0, up - 1)
            // Partition: a[lo .. i - 1] <= P == a[up - 1] <= a[j + 1 .. up].
            var i = lo, j = up - 1
            while true {
                i += 1
                comparisons += 1
                while less(a[i], pivot) {
                    if i == up - 1 { throw TableSort.invalidOrder }
                    i += 1
                    comparisons += 1
                }
                j -= 1
                comparisons += 1
                while less(pivot, a[j]) {
                    if j < i { throw TableSort.invalidOrder }
                    j -= 1
                    comparisons += 1
                }
                if j < i { break }
                a.swapAt(i, j)
            }
            a.swapAt(up - 1, i)
            let p = i
            let n: UInt32
            if p - lo < up - p {
                try quicksort(&a, lo, p - 1, rnd, comparisons: &comparisons, less)
                n = p - lo
                lo = p + 1
            } else {
                try quicksort(&a, p + 1, up, rnd, comparisons: &comparisons, less)
                n = up - p
                up = p - 1
            }
            if (up &- lo) / 128 > n { rnd = TableSort.randomizePivot() }
        }
    }
}

// MARK: - The resumable machine

/// PUC's `auxsort` as a state machine over stack slots: 1 the table, 2 the order function
/// (or nil), 3 the pivot, 4 and 5 the elements being compared or swapped.
///
/// One machine is allocated per sort. It is its frame's continuation (a `LuaResumable`, kept
/// in the frame's slot from the first call on): every Lua call it makes (order function,
/// `__lt`, `__index`, `__newindex`) returns into ``resume(_:_:)``, so a comparison allocates
/// nothing, copies no state and counts no references. The machine holds no Lua values (those
/// stay in the stack slots, where the collector sees them).
final class SortMachine: LuaResumable {
    static let pivotSlot = 3, aSlot = 4, bSlot = 5
    static let topSlot = 5
    /// `resultTarget` values that are not stack slots.
    static let toFlag = 0, dropped = -1

    /// A pending interval: PUC's caller frame waiting for its recursive call on the smaller part.
    struct Frame {
        var lo: UInt32, up: UInt32
        /// The size of the smaller part, for the imbalance test.
        var smaller: UInt32
        var rnd: UInt32
    }

    enum State {
        case loopHead
        case readUp, compareEnds, afterCompareEnds, writeEndsUp, sizeTwoCheck
        case readLo2, comparePivotLo, afterPivotLo, writePivotLoLo
        case readUp2, compareUpPivot, afterUpPivot, writeUpPivotUp, sizeThreeCheck
        case readUpMinus1, writePivotSlot, writeUpMinus1Pivot
        case advanceI, compareI, afterCompareI
        case retreatJ, compareJ, afterCompareJ
        case writeIPivot, afterPartition, writeJI
        case popFrame
    }

    var lo: UInt32 = 1, up: UInt32
    var rnd: UInt32 = 0
    var p: UInt32 = 0
    var i: UInt32 = 0, j: UInt32 = 0
    var frames: [Frame] = []
    var state: State = .loopHead
    /// The result of the last comparison.
    var flag = false
    /// Where the pending call's first result goes: a stack slot (a read), `toFlag` (a
    /// comparison) or `dropped` (a write).
    var resultTarget = SortMachine.dropped

    init(count: UInt32) { up = count }

    /// How many arguments the call that `read`, `write` or `compare` pushed takes.
    var pendingArguments = 2
    /// Whether the machine is its frame's continuation already (after its first call).
    var registered = false

    /// The outcome that makes the executor run the pushed call and resume the machine: the
    /// first call makes the machine the frame's continuation, the others reuse it.
    @inline(__always)
    func pendingCall() -> LuaCallOutcome {
        if _fastPath(registered) { return .callAgain(arguments: pendingArguments) }
        registered = true
        return .callResuming(arguments: pendingArguments, resumable: self)
    }

    /// Stores the finished call's first result where the pending step wants it and runs on.
    override func resume(_ ctx: inout LuaCallContext, _ status: LuaCallStatus) throws -> LuaCallOutcome {
        let r = try SortMachine.firstResult(&ctx, status)
        switch resultTarget {
        case SortMachine.toFlag: flag = !r.isFalsy
        case SortMachine.dropped: break
        default: ctx[resultTarget] = r
        }
        return try run(&ctx)
    }

    func run(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let A = SortMachine.aSlot, B = SortMachine.bSlot, P = SortMachine.pivotSlot
        while true {
            switch state {
            case .loopHead:
                guard lo < up else { state = .popFrame; continue }
                // Sort a[lo], a[up].
                if try read(&ctx, lo, into: A, next: .readUp) { return pendingCall() }
            case .readUp:
                if try read(&ctx, up, into: B, next: .compareEnds) { return pendingCall() }
            case .compareEnds:
                if try compare(&ctx, B, A, next: .afterCompareEnds) { return pendingCall() }
            case .afterCompareEnds:
                if flag {  // a[up] < a[lo]: t[lo] = a[up]; t[up] = a[lo]
                    if try write(&ctx, lo, from: B, next: .writeEndsUp) { return pendingCall() }
                } else {
                    state = .sizeTwoCheck
                }
            case .writeEndsUp:
                if try write(&ctx, up, from: A, next: .sizeTwoCheck) { return pendingCall() }
            case .sizeTwoCheck:
                if up - lo == 1 { state = .popFrame; continue }
                p = TableSort.pivot(lo, up, rnd)
                if try read(&ctx, p, into: A, next: .readLo2) { return pendingCall() }
            case .readLo2:
                if try read(&ctx, lo, into: B, next: .comparePivotLo) { return pendingCall() }
            case .comparePivotLo:
                if try compare(&ctx, A, B, next: .afterPivotLo) { return pendingCall() }
            case .afterPivotLo:
                if flag {  // a[p] < a[lo]: t[p] = a[lo]; t[lo] = a[p]
                    if try write(&ctx, p, from: B, next: .writePivotLoLo) { return pendingCall() }
                } else {
                    state = .readUp2
                }
            case .writePivotLoLo:
                if try write(&ctx, lo, from: A, next: .sizeThreeCheck) { return pendingCall() }
            case .readUp2:
                if try read(&ctx, up, into: B, next: .compareUpPivot) { return pendingCall() }
            case .compareUpPivot:
                if try compare(&ctx, B, A, next: .afterUpPivot) { return pendingCall() }
            case .afterUpPivot:
                if flag {  // a[up] < a[p]: t[p] = a[up]; t[up] = a[p]
                    if try write(&ctx, p, from: B, next: .writeUpPivotUp) { return pendingCall() }
                } else {
                    state = .sizeThreeCheck
                }
            case .writeUpPivotUp:
                if try write(&ctx, up, from: A, next: .sizeThreeCheck) { return pendingCall() }
            case .sizeThreeCheck:
                if up - lo == 2 { state = .popFrame; continue }
                // P = a[p]; swap a[p] with a[up - 1].
                if try read(&ctx, p, into: P, next: .readUpMinus1) { return pendingCall() }
            case .readUpMinus1:
                if try read(&ctx, up - 1, into: B, next: .writePivotSlot) { return pendingCall() }
            case .writePivotSlot:
                if try write(&ctx, p, from: B, next: .writeUpMinus1Pivot) { return pendingCall() }
            case .writeUpMinus1Pivot:
                i = lo
                j = up - 1
                if try write(&ctx, up - 1, from: P, next: .advanceI) { return pendingCall() }

            // Partition: repeat ++i while a[i] < P, then --j while P < a[j].
            case .advanceI:
                i += 1
                if try read(&ctx, i, into: A, next: .compareI) { return pendingCall() }
            case .compareI:
                if try compare(&ctx, A, P, next: .afterCompareI) { return pendingCall() }
            case .afterCompareI:
                if flag {
                    if i == up - 1 { throw TableSort.invalidOrder }  // a[i] < P but a[up - 1] == P
                    state = .advanceI
                } else {
                    state = .retreatJ
                }
            case .retreatJ:
                j -= 1
                if try read(&ctx, j, into: B, next: .compareJ) { return pendingCall() }
            case .compareJ:
                if try compare(&ctx, P, B, next: .afterCompareJ) { return pendingCall() }
            case .afterCompareJ:
                if flag {
                    if j < i { throw TableSort.invalidOrder }  // j < i but a[j] > P
                    state = .retreatJ
                } else if j < i {
                    // Done: t[up - 1] = a[i]; t[i] = P.
                    if try write(&ctx, up - 1, from: A, next: .writeIPivot) { return pendingCall() }
                } else {
                    // Swap a[i] and a[j], and go on partitioning.
                    if try write(&ctx, i, from: B, next: .writeJI) { return pendingCall() }
                }
            case .writeJI:
                if try write(&ctx, j, from: A, next: .advanceI) { return pendingCall() }
            case .writeIPivot:
                if try write(&ctx, i, from: P, next: .afterPartition) { return pendingCall() }
            case .afterPartition:
                // "Recurse" into the smaller part; the larger one waits on the frame stack.
                p = i
                if p - lo < up - p {
                    frames.append(Frame(lo: p + 1, up: up, smaller: p - lo, rnd: rnd))
                    up = p - 1
                } else {
                    frames.append(Frame(lo: lo, up: p - 1, smaller: up - p, rnd: rnd))
                    lo = p + 1
                }
                state = .loopHead
            case .popFrame:
                guard let frame = frames.popLast() else {
                    try ctx.setTop(0)
                    return .results(0)
                }
                lo = frame.lo
                up = frame.up
                rnd = (up &- lo) / 128 > frame.smaller ? TableSort.randomizePivot() : frame.rnd
                state = .loopHead
            }
        }
    }

    /// `slot = t[index]` (`lua_geti`). Returns true when a call is needed (pushed, for
    /// `pendingCall`; the machine resumes at `next` once it returns), false when done at once.
    @inline(__always)
    func read(_ ctx: inout LuaCallContext, _ index: UInt32, into slot: Int, next: State) throws -> Bool {
        state = next
        let t = ctx[1]
        let key = Int64(index)
        if t.tag == .table {
            let table = t.table
            let v = table.get(integer: key)
            if !v.isNil || table.metatable == nil {
                ctx[slot] = v
                return false
            }
        }
        return try readStep(&ctx, t, key, into: slot)
    }

    /// `read` through `__index`.
    func readStep(_ ctx: inout LuaCallContext, _ t: LuaValue, _ key: Int64, into slot: Int) throws -> Bool {
        switch try ctx.indexStep(t, LuaValue(key)) {
        case .value(let v):
            ctx[slot] = v
            return false
        case .call(let f, let receiver):
            try ctx.push(f, receiver, LuaValue(key))
            resultTarget = slot
            pendingArguments = 2
            return true
        }
    }

    /// `t[index] = slot` (`lua_seti`), resuming at `next`.
    @inline(__always)
    func write(_ ctx: inout LuaCallContext, _ index: UInt32, from slot: Int, next: State) throws -> Bool {
        state = next
        let t = ctx[1], v = ctx[slot]
        let key = Int64(index)
        if t.tag == .table {
            let table = t.table
            if table.metatable == nil, let cell = table.slotForExisting(integer: key) {
                cell.pointee = v
                if v.isCollectable { ctx.mc.backwardBarrier(table) }
                return false
            }
        }
        return try writeStep(&ctx, t, key, v)
    }

    /// `write` through `__newindex` or into a new key.
    func writeStep(_ ctx: inout LuaCallContext, _ t: LuaValue, _ key: Int64, _ v: LuaValue) throws -> Bool {
        switch try ctx.newIndexStep(t, LuaValue(key), v) {
        case .done:
            return false
        case .call(let f, let receiver):
            try ctx.push(f, receiver, LuaValue(key))
            try ctx.push(v)
            resultTarget = SortMachine.dropped
            pendingArguments = 3
            return true
        }
    }

    /// `flag = slot x < slot y` by the order function or the default order (with `__lt`).
    @inline(__always)
    func compare(_ ctx: inout LuaCallContext, _ x: Int, _ y: Int, next: State) throws -> Bool {
        state = next
        ctx.chargeFuel(1)
        let a = ctx[x], b = ctx[y]
        var function = ctx[2]
        if function.isNil {
            switch try ctx.lessThanStep(a, b) {
            case .value(let less):
                flag = less
                return false
            case .call(let tm):
                function = tm
            }
        }
        try ctx.push(function, a, b)
        resultTarget = SortMachine.toFlag
        pendingArguments = 2
        return true
    }

    /// The first result of a finished call, dropping all results.
    @inline(__always)
    static func firstResult(_ ctx: inout LuaCallContext, _ status: LuaCallStatus) throws -> LuaValue {
        guard case .returned(let n) = status else { return .nil }
        let v = n > 0 ? ctx[ctx.top - n + 1] : LuaValue.nil
        try ctx.setTop(ctx.top - n)
        return v
    }
}
