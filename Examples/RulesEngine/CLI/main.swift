import RulesEngineCore

// Prints the rules-engine demo (see Examples/RulesEngine/Core/RulesEngine.swift).
do {
    print(try await rulesEngineDemo(), terminator: "")
} catch {
    print("rules-engine: \(error)")
}
