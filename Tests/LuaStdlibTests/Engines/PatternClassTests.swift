import Testing
import LuaCore
@testable import LuaStdlib

/// The decoded classes the matcher scans repetitions with (`LuaByteSet`), the first-item sets
/// a search skips start positions by, and what a gmatch iterator's kept state costs.
@Suite struct PatternClassTests {
    /// The C library's classes in the "C" locale, written out independently of the bit maps.
    static let classes: [(letter: Character, test: @Sendable (UInt8) -> Bool)] = [
        ("a", LuaCType.isAlpha), ("c", LuaCType.isControl), ("d", LuaCType.isDigit),
        ("g", LuaCType.isGraph), ("l", LuaCType.isLower), ("p", LuaCType.isPunct),
        ("s", LuaCType.isSpace), ("u", LuaCType.isUpper), ("w", LuaCType.isAlnum),
        ("x", LuaCType.isHexDigit), ("z", { $0 == 0 }),
    ]

    @Test func classSetsHoldExactlyTheCLibraryClasses() {
        for (letter, test) in Self.classes {
            let lower = letter.asciiValue!
            let upper = Character(letter.uppercased()).asciiValue!
            let set = LuaByteSet.forClass(lower)
            let complement = LuaByteSet.forClass(upper)
            for c in 0...255 {
                let byte = UInt8(c)
                #expect(set.contains(byte) == test(byte), "%\(letter) and byte \(c)")
                #expect(complement.contains(byte) == !test(byte), "%\(letter.uppercased()) and byte \(c)")
            }
        }
        // A letter or symbol that names no class stands for itself.
        for letter in [UInt8(ascii: "q"), UInt8(ascii: "Q"), UInt8(ascii: "."), UInt8(ascii: "%"), 0xE9] {
            for c in 0...255 {
                #expect(LuaByteSet.forClass(letter).contains(UInt8(c)) == (UInt8(c) == letter))
            }
        }
    }

    @Test func bracketSetsAgreeWithTheMatcherReadingTheSetPerByte() throws {
        let sets = [
            "[abc]", "[^abc]", "[a-z]", "[^a-z]", "[%a-z]", "[a-]", "[-a]", "[]]", "[^]]", "[%]]",
            "[a-c-e]", "[z-a]", "[%d%s_]", "[^%w%p]", "[\u{0}-\u{7F}]", "[A-Za-z0-9_]", "[%%]",
            "[a%-z]", "[+-]", "[^^]", "[^-]", "[-]",
        ].map { Array($0.utf8) }
        // Ranges over bytes above 127 (not valid UTF-8 on their own).
        let wide: [[UInt8]] = [
            [UInt8(ascii: "["), 1, UInt8(ascii: "-"), 255, UInt8(ascii: "]")],
            [UInt8(ascii: "["), UInt8(ascii: "^"), 128, UInt8(ascii: "-"), 191, UInt8(ascii: "]")],
        ]
        for pattern in sets + wide {
            try pattern.withUnsafeBufferPointer { p in
                let end = try LuaPatternMatcher.classEnd(p, 0)
                #expect(end == p.count)
                let set = LuaPatternMatcher.bracketSet(p, 0, end - 1)
                for c in 0...255 {
                    let expected = LuaPatternMatcher.matchBracketClass(p, UInt8(c), 0, end - 1)
                    #expect(set.contains(UInt8(c)) == expected, "\(pattern) and byte \(c)")
                }
            }
        }
    }

    @Test func rangesFillWholeWordsAndTheirEdges() {
        for (lo, hi) in [(0, 255), (0, 0), (63, 64), (64, 127), (60, 200), (255, 255), (127, 128), (5, 4)] {
            var set = LuaByteSet(0, 0, 0, 0)
            set.insertRange(UInt8(lo), UInt8(hi))
            for c in 0...255 {
                #expect(set.contains(UInt8(c)) == (lo <= c && c <= hi), "\(lo)-\(hi) and byte \(c)")
            }
        }
    }

    @Test func onlyAMandatorySingleCharacterFirstItemGivesALeadSet() {
        func lead(_ pattern: String) -> LuaByteSet? {
            Array(pattern.utf8).withUnsafeBufferPointer { LuaPattern.leadSet($0) }
        }
        #expect(lead("%d+") == .forClass(UInt8(ascii: "d")))
        #expect(lead("x=(%d)") == LuaByteSet(single: UInt8(ascii: "x")))
        #expect(lead("[&<>]") == {
            var s = LuaByteSet(0, 0, 0, 0)
            for c in "&<>".utf8 { s.insert(c) }
            return s
        }())
        #expect(lead(".") == .all)
        #expect(lead("$x") == LuaByteSet(single: UInt8(ascii: "$")))
        // Optional or lazy first items, captures, anchors, %b, %f, back-references and
        // malformed items: no skipping.
        for pattern in ["%d*", "a?", "a-", "(a)", ")", "$", "%bxy", "%f[a]", "%1", "%", "[a", ""] {
            #expect(lead(pattern) == nil, "\(pattern)")
        }
    }

    @Test func aGmatchIteratorCountsItsMatcherTowardTheHeap() throws {
        // The iterator keeps its matcher between calls, outside the arena: its size must show
        // in collectgarbage("count") and so in the memory limit.
        let lua = Lua.full()
        let f = try lua.load(Array("""
            collectgarbage(); collectgarbage("stop")
            local before = collectgarbage("count")
            local keep = {}
            for i = 1, 1000 do keep[i] = string.gmatch("abc", "%a") end
            local per = (collectgarbage("count") - before) * 1024 / 1000
            keep = nil
            collectgarbage(); collectgarbage("restart")
            return per, collectgarbage("count") - before
            """.utf8), chunkName: "=gmatch")
        let results = try lua.call(f, [])
        guard results.count == 2, case .number(let perIterator) = results[0],
            case .number(let afterCollection) = results[1]
        else {
            Issue.record("unexpected results \(results)")
            return
        }
        #expect(perIterator >= Double(MemoryLayout<LuaPatternMatcher>.stride))
        // And released when the iterators die (within a few KB of where it started).
        #expect(afterCollection < 16)
    }
}
