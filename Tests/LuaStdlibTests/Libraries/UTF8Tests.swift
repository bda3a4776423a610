import Testing
import LuaCore
@testable import LuaStdlib

/// The utf8 library against lua5.4's recorded output (Fixtures/libraries/utf8.lua).
@Suite struct UTF8Tests {
    @Test func fixtureMatchesLua54() {
        let (actual, expected) = LibraryHarness.runFixture("utf8")
        #expect(!expected.isEmpty)
        let same = actual == expected
        #expect(same, "\(LibraryHarness.firstDifference(actual, expected))")
    }
}
