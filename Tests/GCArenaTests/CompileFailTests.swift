import Foundation
import Testing

/// The static half of the safety contract: snippets in Tests/CompileFailures that let the
/// mutation context escape must be rejected by the compiler with the expected diagnostic.
@Suite struct CompileFailTests {
    static let snippetDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("CompileFailures")

    static var snippets: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: snippetDirectory.path)) ?? []
        return names.filter { $0.hasSuffix(".swift") }.sorted()
    }

    /// The directory holding GCArena.swiftmodule for the build that produced this test binary.
    static var modulesDirectory: String? {
        guard let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else {
            return nil
        }
        var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
        // The runner lives in <build>/debug/ or inside <build>/debug/X.xctest/.
        for _ in 0..<3 {
            let candidate = dir.appendingPathComponent("Modules")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("GCArena.swiftmodule").path) {
                return candidate.path
            }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }

    static func compile(_ file: URL, modules: String) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["swiftc", "-emit-sil", "-parse-as-library",
                             "-enable-experimental-feature", "Lifetimes",
                             "-I", modules, file.path, "-o", "/dev/null"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func thereAreEnoughSnippets() {
        #expect(Self.snippets.count >= 7)
        #expect(Self.snippets.contains("control.swift"))
    }

    @Test(arguments: snippets)
    func snippetGivesTheExpectedResult(_ name: String) throws {
        let modules = try #require(Self.modulesDirectory, "GCArena.swiftmodule not found next to the test binary")
        let file = Self.snippetDirectory.appendingPathComponent(name)
        let firstLine = try String(contentsOf: file, encoding: .utf8).split(separator: "\n").first.map(String.init) ?? ""
        let result = try Self.compile(file, modules: modules)
        if firstLine == "// expected-success" {
            #expect(result.status == 0, "\(name) should compile:\n\(result.output)")
        } else {
            let prefix = "// expected-error: "
            #expect(firstLine.hasPrefix(prefix), "\(name) must start with '\(prefix)'")
            let expected = String(firstLine.dropFirst(prefix.count))
            #expect(result.status != 0, "\(name) compiled but must not")
            #expect(result.output.contains("error: ") && result.output.contains(expected),
                    "\(name): expected '\(expected)' in:\n\(result.output)")
        }
    }
}
