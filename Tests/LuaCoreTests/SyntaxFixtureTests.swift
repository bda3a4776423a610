import Testing
import LuaCore

/// Every syntax form compiles, and the whole listing matches `luac5.4 -l -l`.
@Suite struct SyntaxFixtureTests {
    static let names = Fixtures.files(in: "syntax", suffix: ".lua")

    @Test func fixturesExist() {
        #expect(Self.names.count >= 9)
    }

    @Test(arguments: names)
    func compilesLikeLuac(_ name: String) throws {
        let proto = try Fixtures.compile("syntax", name)
        let expected = Fixtures.text("syntax", String(name.dropLast(4)) + ".luac.txt")
        let ours = LuaListing.render(proto)
        #expect(Fixtures.normalizeAddresses(ours) == Fixtures.normalizeAddresses(expected))
    }
}
