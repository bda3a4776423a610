import Testing
import LuaStdlib

/// The matcher's two bounds: recursion depth (PUC's MAXCCALLS) and the work budget.
@Suite struct PatternBudgetTests {
    func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

    /// Runs `body` with a matcher over `subject` and `pattern`.
    func withMatcher<R>(
        _ subject: [UInt8], _ pattern: [UInt8], caretAnchors: Bool = true,
        _ body: (inout LuaPatternMatcher) throws -> R
    ) rethrows -> R {
        try subject.withUnsafeBufferPointer { s in
            try pattern.withUnsafeBufferPointer { p in
                var matcher = LuaPatternMatcher(subject: s, pattern: p, caretAnchors: caretAnchors)
                return try body(&matcher)
            }
        }
    }

    @Test func exponentialBacktrackingStopsWhenFuelRunsOut() {
        // lua5.4 itself needs ~2^40 steps here: lua5.4 -e 'local s = ("a"):rep(40);
        //   string.find(s, ("a?"):rep(40) .. ("a"):rep(40))' does not finish in minutes.
        let subject = bytes(String(repeating: "a", count: 40))
        let pattern = bytes(String(repeating: "a?", count: 40) + String(repeating: "a", count: 40) + "b")
        withMatcher(subject, pattern) { matcher in
            matcher.fuel = 1_000_000
            #expect(throws: LuaPatternError.budgetExhausted) { try matcher.firstMatch(from: 0) }
            #expect(matcher.fuel < 0)
        }
    }

    @Test func polynomialBacktrackingStopsWhenFuelRunsOut() {
        let subject = bytes(String(repeating: "a", count: 200))
        let pattern = bytes(String(repeating: "a*", count: 30) + "b")
        withMatcher(subject, pattern) { matcher in
            matcher.fuel = 100_000
            #expect(throws: LuaPatternError.budgetExhausted) { try matcher.firstMatch(from: 0) }
        }
    }

    @Test func smallExponentialCaseFinishesWithEnoughFuel() throws {
        // lua5.4 -e 'local s = ("a"):rep(16); print(string.find(s, ("a?"):rep(16) .. ("a"):rep(16)))'  --> 1 16
        let subject = bytes(String(repeating: "a", count: 16))
        let pattern = bytes(String(repeating: "a?", count: 16) + String(repeating: "a", count: 16))
        let found = try withMatcher(subject, pattern) { try $0.firstMatch(from: 0) }
        #expect(found?.range == 0..<16)
    }

    @Test func depthLimitRaisesPatternTooComplex() {
        // lua5.4 -e 'print(pcall(string.match, ("a"):rep(300), ("a?"):rep(300)))'  --> false  pattern too complex
        let subject = bytes(String(repeating: "a", count: 300))
        let pattern = bytes(String(repeating: "a?", count: 300))
        _ = withMatcher(subject, pattern) { matcher in
            #expect(throws: LuaPatternError.message(Array("pattern too complex".utf8))) {
                try matcher.match(at: 0)
            }
        }
        // lua5.4 -e 'print(pcall(string.match, ("a"):rep(300), ("a-"):rep(300)))'  --> false  pattern too complex
        _ = withMatcher(subject, bytes(String(repeating: "a-", count: 300))) { matcher in
            #expect(throws: LuaPatternError.message(Array("pattern too complex".utf8))) {
                try matcher.match(at: 0)
            }
        }
    }

    @Test func depthLimitLeavesTheMatcherReusable() throws {
        let subject = bytes(String(repeating: "a", count: 300))
        let deep = bytes(String(repeating: "a?", count: 300))
        _ = try? withMatcher(subject, deep) { try $0.match(at: 0) }
        // Long literal runs and '.' loops do not recurse: 100k bytes match at depth 1.
        let long = bytes(String(repeating: "ab", count: 50_000))
        let found = try withMatcher(long, bytes("^(.-)b$")) { try $0.firstMatch(from: 0) }
        #expect(found?.range == 0..<100_000)
    }

    @Test func gsubResumesAfterBudgetExhaustion() throws {
        // lua5.4 -e 'print(string.gsub(string.rep("ab ", 5) .. "x", "(%w+)", "<%1>"))'
        //   --> <ab> <ab> <ab> <ab> <ab> <x>	6
        let subject = bytes(String(repeating: "ab ", count: 5) + "x")
        let pattern = bytes("(%w+)")
        let template = bytes("<%1>")
        var output: [UInt8] = []
        var cursor = LuaGsubCursor(maxReplacements: Int64(subject.count) + 1)
        var exhaustions = 0
        var streak = 0  // consecutive exhaustions: one attempt must fit in one slice
        try withMatcher(subject, pattern) { matcher in
            while exhaustions < 1000 {
                matcher.fuel = 2 << streak  // a tiny slice, doubled while an attempt does not fit
                do {
                    guard let m = try cursor.next(&matcher, output: &output) else { break }
                    streak = 0
                    try template.withUnsafeBufferPointer {
                        try LuaPattern.appendReplacement($0, for: m, of: matcher, into: &output)
                    }
                } catch LuaPatternError.budgetExhausted {
                    exhaustions += 1
                    streak += 1
                }
            }
        }
        #expect(exhaustions > 0)
        #expect(String(decoding: output, as: UTF8.self) == "<ab> <ab> <ab> <ab> <ab> <x>")
        #expect(cursor.replacements == 6)
    }

    @Test func gmatchCursorResumesAfterBudgetExhaustion() throws {
        // lua5.4 -e 'local out = {} for k, v in string.gmatch("a=1, b=2, c=3", "(%w+)=(%w+)")
        //   do out[#out+1] = k .. v end print(table.concat(out, ";"))'  --> a1;b2;c3
        let subject = bytes("a=1, b=2, c=3")
        var cursor = LuaGmatchCursor(init: 1, length: subject.count)
        var pairs: [String] = []
        var exhaustions = 0
        var streak = 0
        try withMatcher(subject, bytes("(%w+)=(%w+)"), caretAnchors: false) { matcher in
            while exhaustions < 1000 {
                matcher.fuel = 2 << streak
                do {
                    guard let m = try cursor.next(&matcher) else { break }
                    streak = 0
                    var text = ""
                    for i in 0..<m.valueCount {
                        if case .bytes(let r) = try matcher.capture(i, of: m) {
                            text += String(decoding: subject[r], as: UTF8.self)
                        }
                    }
                    pairs.append(text)
                } catch LuaPatternError.budgetExhausted {
                    exhaustions += 1
                    streak += 1
                }
            }
        }
        #expect(exhaustions > 0)
        #expect(pairs.joined(separator: ";") == "a1;b2;c3")
    }

    @Test func captureAccessorsFollowGetOneCapture() throws {
        // lua5.4 -e 'print(string.match("hello", "h()(e)"))'  --> 2  e
        let subject = bytes("hello")
        try withMatcher(subject, bytes("h()(e)")) { matcher in
            let m = try #require(try matcher.firstMatch(from: 0))
            #expect(m.captureLevel == 2 && m.valueCount == 2)
            #expect(try matcher.capture(0, of: m) == .position(2))
            #expect(try matcher.capture(1, of: m) == .bytes(1..<2))
            #expect(throws: LuaPatternError.message(Array("invalid capture index %3".utf8))) {
                try matcher.capture(2, of: m)
            }
        }
    }
}
