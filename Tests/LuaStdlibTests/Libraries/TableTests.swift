import Testing
import LuaCore
@testable import LuaStdlib

/// The table library against lua5.4's recorded output (Fixtures/libraries/table*.lua).
@Suite struct TableTests {
    @Test(arguments: ["table", "table-meta", "table-sort", "table-sort-calls"])
    func fixtureMatchesLua54(_ name: String) {
        let (actual, expected) = LibraryHarness.runFixture(name)
        #expect(!expected.isEmpty)
        let same = actual == expected
        #expect(same, "\(LibraryHarness.firstDifference(actual, expected))")
    }
}
