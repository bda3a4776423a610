import Testing
import LuaCore

/// Every compile error message, against what `luac5.4 -p` printed for the same input.
@Suite struct ErrorMessageTests {
    static let cases: [(String, String)] = Fixtures.text("errors", "expected.tsv")
        .split(separator: "\n")
        .compactMap { line in
            let parts = line.split(separator: "\t", maxSplits: 1).map(String.init)
            return parts.count == 2 ? (parts[0], parts[1]) : nil
        }

    @Test func recordedCasesCoverTheBrief() {
        let messages = Self.cases.map(\.1)
        for phrase in [
            "'=' expected near", "unexpected symbol near '+'",
            "'end' expected (to close 'function' at line 1) near <eof>", "unfinished string near '\"abc'",
            "malformed number near '3x'", "attempt to assign to const variable 'x'",
            "no visible label 'l' for <goto>", "jumps into the scope of local 'x'",
            "label 'l' already defined on line", "too many local variables",
            "function or expression needs too many registers", "C stack overflow",
        ] {
            #expect(messages.contains { $0.contains(phrase) }, "\(phrase)")
        }
    }

    @Test(arguments: cases.map(\.0))
    func messageMatchesLuac(_ name: String) {
        let expected = Self.cases.first { $0.0 == name }!.1
        do {
            _ = try Fixtures.compile("errors", name)
            Issue.record("\(name) compiled, expected: \(expected)")
        } catch {
            #expect(error.message == expected)
        }
    }
}
