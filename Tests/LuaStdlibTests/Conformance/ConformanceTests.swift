import Foundation
import Testing
import LuaCore
import LuaStdlib

/// Runs every conformance fixture (Tests/LuaStdlibTests/Fixtures/*.lua) and compares its
/// output with what lua5.4 printed (`.out`, and `.err`/`.status` for programs that end with
/// an uncaught error). Each program runs five ways that must agree byte for byte: normally,
/// with the collector forced to run at every safe point, in tiny fuel slices, and in
/// generational mode (as the CLI runs), normally and with a minor collection at every safe point.
@Suite struct ConformanceTests {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static var programs: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".lua") }.map { String($0.dropLast(4)) }.sorted()
    }

    enum Mode: String, CaseIterable { case normal, gcStress, tinySlices, generational, generationalStress }

    struct Outcome: Equatable {
        /// Bytes, not text: `%q` and `string.char` print arbitrary bytes.
        var output: [UInt8]
        var error: String?
    }

    /// Runs fixture `name`, from its source or from `chunk` (a binary chunk of it).
    static func run(_ name: String, mode: Mode, chunk: [UInt8]? = nil) throws -> Outcome {
        setenv("TZ", "UTC", 1)
        tzset()
        let previous = FileManager.default.currentDirectoryPath
        _ = FileManager.default.changeCurrentDirectoryPath(directory.path)
        defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
        let lua = Lua.full()
        var output = [UInt8]()
        lua.output = { output.append(contentsOf: $0) }
        switch mode {
        case .normal: break
        case .gcStress: lua.gcStressMode = true; lua.fuelPerSlice = 997
        case .tinySlices: lua.fuelPerSlice = 3
        case .generational: lua.collectorMode = .generational
        case .generationalStress:
            lua.collectorMode = .generational
            lua.gcStressMode = true; lua.fuelPerSlice = 997
        }
        let source = try chunk ?? [UInt8](Data(contentsOf: directory.appendingPathComponent(name + ".lua")))
        var failure: String? = nil
        do {
            let f = try lua.load(source, chunkName: "@\(name).lua")
            try lua.call(f, [])
        } catch {
            failure = error.message
        }
        // As lua.c does at exit: pending finalizers (and those of live objects) run.
        lua.close()
        return Outcome(output: output, error: failure)
    }

    @Test func thereAreFixtures() {
        #expect(Self.programs.count >= 40)
    }

    @Test(arguments: programs)
    func matchesLua54(_ name: String) throws {
        let expected = try [UInt8](Data(contentsOf: Self.directory.appendingPathComponent(name + ".out")))
        let errFile = Self.directory.appendingPathComponent(name + ".err")
        let expectedError = (try? String(contentsOf: errFile, encoding: .utf8))?
            .split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init)
        let normal = try Self.run(name, mode: .normal)
        #expect(normal.output == expected, "\(name): output differs from lua5.4")
        #expect(normal.error == expectedError, "\(name): error differs from lua5.4")
    }

    /// The programs lua5.4 precompiled (`string.dump`, Scripts/record-dump-fixtures.sh):
    /// loaded from PUC's binary chunks, they print the same as from source.
    static var precompiled: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("precompiled").path)) ?? []
        return names.filter { $0.hasSuffix(".hex") }.map { String($0.dropLast(4)) }.sorted()
    }

    @Test(arguments: precompiled)
    func lua54BinaryChunksRunAlike(_ name: String) throws {
        let hex = try String(decoding: Data(contentsOf: Self.directory.appendingPathComponent("precompiled/\(name).hex")), as: UTF8.self)
        let chunk = hex.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { UInt8($0, radix: 16) }
        #expect(chunk.first == 0x1B)
        let expected = try Self.run(name, mode: .normal)
        #expect(try Self.run(name, mode: .normal, chunk: chunk) == expected, "\(name): differs when precompiled by lua5.4")
        #expect(try Self.run(name, mode: .tinySlices, chunk: chunk) == expected, "\(name): differs in tiny fuel slices")
    }

    @Test(arguments: programs)
    func collectorStressAndTinySlicesGiveIdenticalResults(_ name: String) throws {
        // Programs that print addresses or timings are excluded by the fixtures' rules, so
        // every mode must reproduce the normal run exactly.
        let normal = try Self.run(name, mode: .normal)
        #expect(try Self.run(name, mode: .gcStress) == normal, "\(name): differs under GC stress")
        #expect(try Self.run(name, mode: .tinySlices) == normal, "\(name): differs in tiny fuel slices")
    }

    @Test(arguments: programs)
    func generationalModeGivesIdenticalResults(_ name: String) throws {
        let normal = try Self.run(name, mode: .normal)
        #expect(try Self.run(name, mode: .generational) == normal, "\(name): differs in generational mode")
        #expect(try Self.run(name, mode: .generationalStress) == normal, "\(name): differs under generational GC stress")
    }
}
