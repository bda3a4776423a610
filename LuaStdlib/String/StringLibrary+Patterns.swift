import GCArena
import LuaCore

// string.find, match, gmatch and gsub over LuaPatternMatcher and its cursors.
//
// ## Bounded work
//
// Each call runs the matcher with `fuel` in slices of 16K units (`PatternBudget`). When a
// slice runs out, the binding charges the work to the VM (`chargeFuel`), returns to the
// executor through a call to a no-op function (so a host stepping with fuel, a
// `LuaLimits` fuel bound, a deadline or an interrupt takes effect between slices), and
// resumes: the matcher continues its suspended attempt and the cursors keep their progress,
// so no work repeats. One attempt (one start position) may use at most the cap — max
// (`patternWorkLimit`, 16 × (subject + pattern length)) units; past it the call raises
// "pattern too complex (too much backtracking)". Patterns that lua5.4 matches in reasonable
// time never get near the cap; the exponential ones it never finishes fail after about a
// second with the default cap in a release build (see `defaultPatternWorkLimit`).
//
// Collectable values used across a call out (the subject, pattern, replacement) stay in
// the call's stack slots 1...3 (or a gmatch closure's upvalues), so the matcher's buffer
// addresses stay valid (strings never move); the matcher, the cursors, the output buffer
// and the budget are plain Swift state captured by continuations (gsub keeps them in a
// class so the buffer is not copied per call). gmatch's iterator keeps subject and pattern
// as upvalues 1 and 2 and its cursor and matcher in an object its body captures.

/// The work allowance of one pattern call.
struct PatternBudget {
    static let slice = 1 << 14
    /// The most units one attempt may use.
    let cap: Int
    /// Units spent and not yet charged to the VM.
    var used = 0
    /// The matcher's fuel when its use was last recorded.
    var mark = 0

    init(limit: Int, subjectLength: Int, patternLength: Int) {
        cap = max(limit, 16 &* (subjectLength &+ patternLength), PatternBudget.slice)
    }

    /// Starts a slice on `matcher`.
    mutating func fill(_ matcher: inout LuaPatternMatcher) {
        matcher.fuel = PatternBudget.slice
        mark = PatternBudget.slice
    }

    /// Records what the matcher used since the last record (it may overrun the slice by
    /// its last scan).
    mutating func spent(_ matcher: inout LuaPatternMatcher) {
        used &+= mark &- matcher.fuel
        mark = matcher.fuel
    }

    /// Records an exhausted slice; fails once the suspended attempt has used up the cap.
    mutating func exhausted(_ matcher: inout LuaPatternMatcher) throws {
        spent(&matcher)
        if matcher.attemptWork >= cap { throw LuaError.runtime(StringPatterns.tooComplexMessage) }
    }
}

enum StringPatterns {
    static let tooComplexMessage = "pattern too complex (too much backtracking)"

    /// The outcome of one slice of matching.
    enum Slice<T> {
        case done(T)
        case exhausted
    }

    /// Runs `body`, turning budget exhaustion into `.exhausted` and pattern errors into Lua errors.
    static func slice<T>(_ body: () throws(LuaPatternError) -> T) throws(LuaError) -> Slice<T> {
        do {
            return .done(try body())
        } catch {
            switch error {
            case .budgetExhausted: return .exhausted
            case .message(let bytes): throw LuaError(.message(bytes, position: true))
            }
        }
    }

    /// Charges the budget's work and lets the executor run (and the host's step end) before
    /// `then` continues the match.
    static func pause(
        _ ctx: inout LuaCallContext, _ budget: inout PatternBudget,
        then: @escaping (inout LuaCallContext) throws -> LuaCallOutcome
    ) throws -> LuaCallOutcome {
        ctx.chargeFuel(budget.used)
        budget.used = 0
        try ctx.push(try ctx.function("?") { _ in .results(0) })
        return .call(arguments: 0, then: { ctx, _ in try then(&ctx) }, protected: false)
    }

    /// Pushes capture `index` of `match` (a substring or a position).
    static func pushCapture(
        _ ctx: inout LuaCallContext, _ matcher: inout LuaPatternMatcher, _ match: LuaMatch, _ index: Int
    ) throws {
        try ctx.push(try captureValue(&ctx, &matcher, match, index))
    }

    static func captureValue(
        _ ctx: inout LuaCallContext, _ matcher: inout LuaPatternMatcher, _ match: LuaMatch, _ index: Int
    ) throws -> LuaValue {
        let capture: LuaCapture
        do { capture = try matcher.readCapture(index, of: match) } catch { throw StringLibrary.luaError(error) }
        switch capture {
        case .bytes(let r): return try ctx.string(bytes: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: matcher.subject[r])))
        case .position(let p): return LuaValue(p)
        }
    }

    // MARK: - find / match

    static func find(_ ctx: inout LuaCallContext, isFind: Bool, limit: Int, leads: PatternLeadCache) throws -> LuaCallOutcome {
        let s = try ctx.checkString(1)
        let p = try ctx.checkString(2)
        let initial = try ctx.optInteger(3, 1)
        guard let start = LuaPattern.searchStart(init: initial, length: s.count) else {
            try ctx.push(.nil)
            return .results(1)
        }
        if isFind && (ctx.toBoolean(4) || !LuaPattern.hasSpecials(p.bytes)) {
            guard let r = LuaPattern.plainFind(p.bytes, in: s.bytes, from: start) else {
                try ctx.push(.nil)
                return .results(1)
            }
            ctx.chargeFuel((s.count - start) >> 4)
            try ctx.push(LuaValue(Int64(r.lowerBound + 1)))
            try ctx.push(LuaValue(Int64(r.upperBound)))
            return .results(2)
        }
        let lead = p.bytes.first == UInt8(ascii: "^") ? nil : leads.leadItem(p.bytes)
        if let lead, lead.end == p.count {
            return try findOneClass(&ctx, isFind: isFind, set: lead.set, subject: s.bytes, from: start)
        }
        try ctx.setTop(2)
        let budget = PatternBudget(limit: limit, subjectLength: s.count, patternLength: p.count)
        var matcher = LuaPatternMatcher(subject: ctx[1].string.bytes, pattern: ctx[2].string.bytes, lead: lead)
        return try search(&ctx, isFind: isFind, position: start, matcher: &matcher, budget: budget)
    }

    /// `find`/`match` of an unanchored pattern that is one single-byte class (`[^ \t\r\n]`,
    /// `%d`, `x`): the first byte of `set` at or after `start` is the whole match, with no
    /// captures (PUC's `do_match` matches the class there and reaches the pattern's end; at
    /// the bytes before it, the class fails first). No matcher is built.
    static func findOneClass(
        _ ctx: inout LuaCallContext, isFind: Bool, set: LuaByteSet,
        subject: UnsafeBufferPointer<UInt8>, from start: Int
    ) throws -> LuaCallOutcome {
        guard let at = LuaPattern.nextOffset(in: set, of: subject, from: start) else {
            ctx.chargeFuel((subject.count &- start) >> 4)
            try ctx.push(.nil)
            return .results(1)
        }
        ctx.chargeFuel((at &- start) >> 4)
        if isFind {
            try ctx.push(LuaValue(Int64(at + 1)))
            try ctx.push(LuaValue(Int64(at + 1)))
            return .results(2)
        }
        // SAFETY: `at` < subject.count (nextOffset returns an offset inside the subject).
        try ctx.push(try ctx.string(bytes: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: subject[at..<(at + 1)]))))
        return .results(1)
    }

    /// Tries each position from `position` (PUC's do-while in `str_find_aux`).
    static func search(
        _ ctx: inout LuaCallContext, isFind: Bool, position start: Int,
        matcher: inout LuaPatternMatcher, budget initial: PatternBudget
    ) throws -> LuaCallOutcome {
        var budget = initial
        var position = start
        budget.fill(&matcher)
        let outcome = try slice { () throws(LuaPatternError) -> LuaMatch? in
            while true {
                if let lead = matcher.lead {
                    guard let next = LuaPattern.nextOffset(in: lead, of: matcher.subject, from: position) else { return nil }
                    position = next
                    // A one-class pattern matches that byte alone (PUC's do_match would match
                    // the class and reach the pattern's end), with no captures.
                    if matcher.leadIsWholePattern { return LuaMatch(range: next..<(next + 1), captureLevel: 0) }
                }
                if let m = try matcher.match(at: position) { return m }
                if matcher.isAnchored || position >= matcher.subject.count { return nil }
                position += 1
            }
        }
        guard case .done(let found) = outcome else {
            try budget.exhausted(&matcher)
            let resume = position
            return try pause(&ctx, &budget) { [budget, matcher] ctx in
                var matcher = matcher
                return try search(&ctx, isFind: isFind, position: resume, matcher: &matcher, budget: budget)
            }
        }
        budget.spent(&matcher)
        ctx.chargeFuel(budget.used)
        guard let m = found else {
            try ctx.push(.nil)
            return .results(1)
        }
        var count = 0
        if isFind {
            try ctx.push(LuaValue(Int64(m.range.lowerBound + 1)))
            try ctx.push(LuaValue(Int64(m.range.upperBound)))
            count = 2
        }
        let captures = isFind ? m.captureLevel : m.valueCount
        if !ctx.checkStack(captures) { throw LuaError.runtime("stack overflow (too many captures)") }
        for k in 0..<captures { try pushCapture(&ctx, &matcher, m, k) }
        return .results(count + captures)
    }

    // MARK: - gmatch

    /// A gmatch iterator's progress between calls: the cursor, and the matcher over the
    /// subject and pattern that the iterator keeps as upvalues 1 and 2 (which keep their
    /// bytes alive and in place). Built once per `gmatch` call, as PUC's `GMatchState`
    /// userdata; the iterator reports its size to the arena (`ownedBytes`).
    final class GmatchState {
        var cursor: LuaGmatchCursor
        /// Only `gmatchStep` touches it, one access at a time, so its accesses are not checked.
        @exclusivity(unchecked) var matcher: LuaPatternMatcher
        let budget: PatternBudget

        init(cursor: LuaGmatchCursor, matcher: LuaPatternMatcher, budget: PatternBudget) {
            self.cursor = cursor
            self.matcher = matcher
            self.budget = budget
        }

        /// What one state costs outside the arena: its fields and two object headers (the
        /// state's and the iterator body's context).
        static var ownedBytes: Int {
            MemoryLayout<LuaGmatchCursor>.stride + MemoryLayout<LuaPatternMatcher>.stride
                + MemoryLayout<PatternBudget>.stride + 64
        }
    }

    static func gmatch(_ ctx: inout LuaCallContext, limit: Int) throws -> LuaCallOutcome {
        let s = try ctx.checkString(1)
        let p = try ctx.checkString(2)
        let state = GmatchState(
            cursor: LuaGmatchCursor(init: try ctx.optInteger(3, 1), length: s.count),
            matcher: LuaPatternMatcher(subject: ctx[1].string.bytes, pattern: ctx[2].string.bytes, caretAnchors: false),
            budget: PatternBudget(limit: limit, subjectLength: s.count, patternLength: p.count))
        try ctx.push(try ctx.function("gmatch_aux", upvalues: [ctx[1], ctx[2]], ownedBytes: GmatchState.ownedBytes) { ctx in
            try gmatchStep(&ctx, state, budget: state.budget)
        })
        return .results(1)
    }

    static func gmatchStep(
        _ ctx: inout LuaCallContext, _ state: GmatchState, budget initial: PatternBudget
    ) throws -> LuaCallOutcome {
        var budget = initial
        var cursor = state.cursor
        budget.fill(&state.matcher)
        let outcome = try slice { () throws(LuaPatternError) -> LuaMatch? in try cursor.next(&state.matcher) }
        state.cursor = cursor
        guard case .done(let found) = outcome else {
            try budget.exhausted(&state.matcher)
            return try pause(&ctx, &budget) { [budget] ctx in try gmatchStep(&ctx, state, budget: budget) }
        }
        budget.spent(&state.matcher)
        state.matcher.releaseSpareChoices()
        ctx.chargeFuel(budget.used)
        guard let m = found else { return .results(0) }
        if !ctx.checkStack(m.valueCount) { throw LuaError.runtime("stack overflow (too many captures)") }
        for k in 0..<m.valueCount { try pushCapture(&ctx, &state.matcher, m, k) }
        return .results(m.valueCount)
    }

    // MARK: - gsub

    enum Replacement { case string, table, function }

    /// gsub's progress between steps.
    final class GsubState {
        var cursor: LuaGsubCursor
        /// The matcher over stack slots 1 and 2, kept across slices and call-outs. Only
        /// `gsubLoop` touches it, one access at a time, so its accesses are not checked.
        @exclusivity(unchecked) var matcher: LuaPatternMatcher
        var output: [UInt8] = []
        var budget: PatternBudget
        let kind: Replacement
        /// Whether any match was replaced (PUC's `changed`): if not, gsub returns the subject.
        var changed = false
        /// How much of `output` has been charged as fuel (one unit per 64 bytes).
        var outputCharged = 0

        init(cursor: LuaGsubCursor, matcher: LuaPatternMatcher, budget: PatternBudget, kind: Replacement) {
            self.cursor = cursor
            self.matcher = matcher
            self.budget = budget
            self.kind = kind
        }
    }

    static func gsub(_ ctx: inout LuaCallContext, limit: Int, leads: PatternLeadCache) throws -> LuaCallOutcome {
        let s = try ctx.checkString(1)
        let p = try ctx.checkString(2)
        let replacement = ctx.argument(3)
        let maxReplacements = try ctx.optInteger(4, Int64(s.count) + 1)
        let kind: Replacement
        switch replacement.tag {
        case .string: kind = .string
        case .integer, .float:
            _ = try ctx.checkString(3)
            kind = .string
        case .table: kind = .table
        case .luaFunction, .hostFunction: kind = .function
        default: throw ctx.typeError(3, expected: "string/function/table")
        }
        let lead = p.bytes.first == UInt8(ascii: "^") ? nil : leads.leadItem(p.bytes)
        if let lead, LuaPattern.nextOffset(in: lead.set, of: s.bytes, from: 0) == nil {
            // No byte of the subject can begin a match, so there is none (PUC's matcher fails
            // on the first item at every position, reading no further, so no error either):
            // the subject comes back unchanged, as escaping functions mostly find it.
            ctx.chargeFuel(s.count >> 4)
            try ctx.push(ctx[1])
            try ctx.push(LuaValue(Int64(0)))
            return .results(2)
        }
        try ctx.setTop(3)
        let state = GsubState(
            cursor: LuaGsubCursor(maxReplacements: maxReplacements),
            matcher: LuaPatternMatcher(subject: ctx[1].string.bytes, pattern: ctx[2].string.bytes, lead: lead),
            budget: PatternBudget(limit: limit, subjectLength: s.count, patternLength: p.count), kind: kind)
        state.output.reserveCapacity(s.count)
        return try gsubLoop(&ctx, state)
    }

    static func gsubLoop(_ ctx: inout LuaCallContext, _ state: GsubState) throws -> LuaCallOutcome {
        // The output counts toward the memory limit while this stretch of the call runs.
        var account = LuaScratchAccount()
        defer { account.release(ctx.mc) }
        // The loop works on locals (no exclusivity checks on the class's fields) and stores
        // them back on every exit, before any continuation runs; the matcher (large) is used
        // in place, without a copy in and out per entry.
        var cursor = state.cursor
        var budget = state.budget
        var changed = state.changed
        var outputCharged = state.outputCharged
        var output: [UInt8] = []
        swap(&output, &state.output)
        defer {
            state.cursor = cursor
            state.budget = budget
            state.changed = changed
            state.outputCharged = outputCharged
            swap(&output, &state.output)
        }
        // One slice for all the matches until it runs out (or a call-out returns here):
        // the output's growth is charged to it too, so a long gsub returns to the host
        // between slices however cheap each match is.
        budget.fill(&state.matcher)
        while true {
            // What the buffer holds now (the text between matches, at most the subject's
            // length in all, is appended by the cursor; replacements reserve before).
            try account.account(output.capacity, ctx.mc)
            let uncharged = output.count &- outputCharged
            if uncharged >= 64 {
                state.matcher.fuel &-= uncharged >> 6
                outputCharged &+= uncharged & ~63
            }
            let outcome = try slice { () throws(LuaPatternError) -> LuaMatch? in
                try cursor.next(&state.matcher, output: &output)
            }
            guard case .done(let found) = outcome else {
                try budget.exhausted(&state.matcher)
                return try pause(&ctx, &budget) { ctx in try gsubLoop(&ctx, state) }
            }
            budget.spent(&state.matcher)
            guard let m = found else {
                ctx.chargeFuel(budget.used &+ (output.count &- outputCharged) >> 6)
                budget.used = 0
                outputCharged = output.count
                // Nothing replaced: the subject itself, as PUC's gsub returns it.
                try ctx.push(changed ? try ctx.string(output) : ctx[1])
                try ctx.push(LuaValue(cursor.replacements))
                return .results(2)
            }
            switch state.kind {
            case .string:
                // Each `%n` in the replacement adds at most the match's length.
                let replacement = ctx[3].string
                let escapes = replacement.bytes.reduce(0) { $0 &+ ($1 == UInt8(ascii: "%") ? 1 : 0) }
                try account.reserve(&output, extra: replacement.count &+ escapes &* m.range.count, ctx.mc)
                do {
                    try LuaPattern.appendReplacement(replacement.bytes, for: m, of: &state.matcher, into: &output)
                    changed = true
                } catch {
                    throw StringLibrary.luaError(error)
                }
            case .table:
                let key = try captureValue(&ctx, &state.matcher, m, 0)
                switch try ctx.indexStep(ctx[3], key) {
                case .value(let v):
                    try addValue(&ctx, &output, &changed, v, m.range)
                case .call(let f, let receiver):
                    return try ctx.callForValue(f, [receiver, key]) { ctx, v in
                        try addValue(&ctx, &state.output, &state.changed, v, m.range)
                        return try gsubLoop(&ctx, state)
                    }
                }
            case .function:
                try ctx.push(ctx[3])
                if !ctx.checkStack(m.valueCount) { throw LuaError.runtime("stack overflow (too many captures)") }
                for k in 0..<m.valueCount { try pushCapture(&ctx, &state.matcher, m, k) }
                return .call(arguments: m.valueCount, then: { ctx, status in
                    guard case .returned(let n) = status else { return try gsubLoop(&ctx, state) }
                    let v = n > 0 ? ctx[ctx.top - n + 1] : .nil
                    try addValue(&ctx, &state.output, &state.changed, v, m.range)
                    try ctx.setTop(3)
                    return try gsubLoop(&ctx, state)
                }, protected: false)
            }
        }
    }

    /// PUC's `add_value`: the whole match for false/nil, the string form of a string or
    /// number, else an error.
    static func addValue(
        _ ctx: inout LuaCallContext, _ output: inout [UInt8], _ changed: inout Bool, _ v: LuaValue,
        _ range: Range<Int>
    ) throws {
        if !v.isFalsy { changed = true }
        var account = LuaScratchAccount()
        defer { account.release(ctx.mc) }
        try account.reserve(&output, extra: v.tag == .string ? v.string.count : max(range.count, 64), ctx.mc)
        switch v.tag {
        case .nil, .false:
            output.append(contentsOf: ctx[1].string.bytes[range])
        case .string:
            output.append(contentsOf: v.string.bytes)
        case .integer:
            LuaNumberText.appendInteger(v.integer, to: &output)
        case .float:
            LuaNumberText.appendFloat(v.float, to: &output)
        default:
            throw LuaError.runtime("invalid replacement value (a \(ctx.typeName(v)))")
        }
    }
}
