import Foundation
import Testing

/// The static half of the safety contract: snippets in Tests/CompileFailures that let the
/// mutation context (or, in Confined/, a confined handle) escape must be rejected by the
/// compiler with the expected diagnostic, and the legitimate patterns must compile.
@Suite struct CompileFailTests {
    static let snippetDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("CompileFailures")

    static var snippets: [String] {
        func swiftFiles(_ sub: String) -> [String] {
            let dir = sub.isEmpty ? snippetDirectory : snippetDirectory.appendingPathComponent(sub)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
            return names.filter { $0.hasSuffix(".swift") }.map { sub.isEmpty ? $0 : sub + "/" + $0 }
        }
        return (swiftFiles("") + swiftFiles("Confined")).sorted()
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
        #expect(Self.snippets.contains("Confined/success.swift"))
    }

    /// Lines marked `// error: <text>` in a batch snippet (the first line is the header).
    static func markedErrors(_ source: String) -> [Int: String] {
        var marks: [Int: String] = [:]
        for (index, line) in source.split(separator: "\n", omittingEmptySubsequences: false).enumerated().dropFirst() {
            if let range = line.range(of: "// error: ") {
                marks[index + 1] = String(line[range.upperBound...])
            }
        }
        return marks
    }

    /// `(line, message)` of every error the compiler reported in `name`.
    static func reportedErrors(_ output: String, file name: String) -> [(line: Int, message: String)] {
        let base = (name as NSString).lastPathComponent
        var errors: [(Int, String)] = []
        for line in output.split(separator: "\n") where line.hasPrefix("/") || line.hasPrefix(base) {
            let parts = line.split(separator: ":", maxSplits: 4, omittingEmptySubsequences: false)
            guard parts.count == 5, parts[0].hasSuffix(base), let number = Int(parts[1]),
                  parts[3] == " error" else { continue }
            errors.append((number, String(parts[4].dropFirst())))
        }
        return errors
    }

    @Test(arguments: snippets)
    func snippetGivesTheExpectedResult(_ name: String) throws {
        let modules = try #require(Self.modulesDirectory, "GCArena.swiftmodule not found next to the test binary")
        let file = Self.snippetDirectory.appendingPathComponent(name)
        let firstLine = try String(contentsOf: file, encoding: .utf8).split(separator: "\n").first.map(String.init) ?? ""
        let result = try Self.compile(file, modules: modules)
        if firstLine.hasPrefix("// expected-errors:") {
            // A batch: one compiler run checks several escape routes, each on its own line.
            let marks = Self.markedErrors(try String(contentsOf: file, encoding: .utf8))
            let errors = Self.reportedErrors(result.output, file: name)
            #expect(!marks.isEmpty && result.status != 0, "\(name) compiled but must not")
            for (line, expected) in marks.sorted(by: { $0.key < $1.key }) {
                #expect(errors.contains { $0.line == line && $0.message.contains(expected) },
                        "\(name):\(line): expected error '\(expected)' in:\n\(result.output)")
            }
            for error in errors where marks[error.line] == nil {
                Issue.record("\(name):\(error.line): unexpected error '\(error.message)'")
            }
        } else if firstLine == "// expected-success" {
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
