import Testing
import RulesEngineCore

@Suite struct RulesEngineTests {
    @Test func demoOutputIsAsExpected() async throws {
        let output = try await rulesEngineDemo()
        #expect(output == """
              runaway stopped (outOfFuel): out of fuel
              nosy stopped (runtime): nosy:1: attempt to index a nil value (global 'io')
            Order(ada, 180.0) [gold,bulk,checked-seen]
              runaway stopped (outOfFuel): out of fuel
              nosy stopped (runtime): nosy:1: attempt to index a nil value (global 'io')
            Order(bob, 50.0) [checked-seen]

            """)
    }
}
