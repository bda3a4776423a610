import Testing
import RulesEngineCore

@Suite struct RulesEngineTests {
    @Test func demoOutputIsAsExpected() async throws {
        // Wall-clock time includes waiting for a cooperative thread after each async lookup;
        // under a parallel test run on two cores that wait has exceeded 30 s (CI, stop 16).
        let output = try await rulesEngineDemo(timeout: .seconds(3600))
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
