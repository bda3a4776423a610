import Testing
import LuaStdlib

/// Replays every case recorded from lua5.4 by Scripts/record-strlib-cases.sh through the
/// engines (driven by `StringLibHarness`, a miniature binding) and compares byte for byte.
@Suite struct RecordedCaseTests {
    static let functions = ["find", "match", "gmatch", "gsub", "format", "pack", "unpack", "packsize",
                            "rep", "sub", "byte", "char", "reverse", "lower", "upper", "len"]

    @Test func fixtureIsLoaded() {
        #expect(Fixture.cases.count > 1500)
        #expect(Set(Fixture.cases.map(\.function)) == Set(Self.functions))
    }

    @Test(arguments: functions)
    func recordedCases(function: String) {
        let cases = Fixture.cases.filter { $0.function == function }
        #expect(!cases.isEmpty)
        for c in cases {
            do {
                let results = try StringLibHarness.call(c.function, c.arguments)
                if let expected = c.results {
                    #expect(results == expected, "\(c)")
                } else {
                    Issue.record("\(c): expected error \"\(Fixture.escape(c.error))\", got \(results)")
                }
            } catch {
                if c.results != nil {
                    Issue.record("\(c): unexpected error \"\(Fixture.escape(error.message))\", expected \(c.results!)")
                } else {
                    #expect(error.message == c.error, "\(c): got \"\(Fixture.escape(error.message))\", expected \"\(Fixture.escape(c.error))\"")
                }
            }
        }
    }
}
