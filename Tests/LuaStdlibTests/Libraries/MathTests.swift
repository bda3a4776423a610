import Testing
import LuaCore
@testable import LuaStdlib

/// The math library against lua5.4's recorded output (Fixtures/libraries/math*.lua).
@Suite struct MathTests {
    @Test(arguments: ["math", "math-random"])
    func fixtureMatchesLua54(_ name: String) {
        let (actual, expected) = LibraryHarness.runFixture(name)
        #expect(!expected.isEmpty)
        let same = actual == expected
        #expect(same, "\(LibraryHarness.firstDifference(actual, expected))")
    }
}
