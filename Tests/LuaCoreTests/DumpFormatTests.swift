import Testing
@testable import LuaCore

/// `LuaDump` writes PUC-Rio Lua 5.4's binary chunks byte for byte, and `LuaUndump` reads
/// them back, against chunks recorded from lua5.4's `string.dump` by
/// Scripts/record-dump-fixtures.sh (Fixtures/dumps/<dir>-<name>[.strip].hex).
@Suite struct DumpFormatTests {
    /// "golden-arith", "syntax-strings", "dumps-lines", ...: the recorded chunks.
    static let names: [String] = Fixtures.files(in: "dumps", suffix: ".hex")
        .filter { !$0.hasSuffix(".strip.hex") }
        .map { String($0.dropLast(4)) }

    static func recorded(_ name: String, strip: Bool) -> [UInt8] {
        parseHex(Fixtures.text("dumps", name + (strip ? ".strip.hex" : ".hex")))
    }

    /// The bytes of `od -An -tx1` output.
    static func parseHex(_ text: String) -> [UInt8] {
        text.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { UInt8($0, radix: 16) }
    }

    /// The fixture `name` ("dir-file") compiled as lua5.4 compiled it.
    static func compile(_ name: String) throws -> LuaPrototype {
        guard let dash = name.firstIndex(of: "-") else { throw LuaUndumpError(message: "bad name \(name)") }
        return try Fixtures.compile(String(name[..<dash]), String(name[name.index(after: dash)...]) + ".lua")
    }

    @Test func everyFixtureFolderIsRecorded() {
        #expect(Self.names.count >= 18)
        for prefix in ["golden-", "syntax-", "dumps-"] { #expect(Self.names.contains { $0.hasPrefix(prefix) }) }
        #expect(Self.names.contains("dumps-lines") && Self.names.contains("dumps-constants"))
    }

    @Test(arguments: names)
    func dumpIsByteIdenticalToLua(_ name: String) throws {
        let proto = try Self.compile(name)
        for strip in [false, true] {
            let expected = Self.recorded(name, strip: strip)
            let ours = LuaDump.dump(proto, strip: strip)
            #expect(!expected.isEmpty)
            if let at = zip(ours, expected).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
                Issue.record("\(name) strip=\(strip): first difference at byte \(at) of \(expected.count)")
            } else {
                #expect(ours.count == expected.count, "\(name) strip=\(strip): length")
            }
        }
    }

    /// lua5.4's chunks load, give back the compiler's own prototypes (lines included), and
    /// dump again to the same bytes.
    @Test(arguments: names)
    func luaChunksLoadAndRedump(_ name: String) throws {
        let compiled = try Self.compile(name)
        for strip in [false, true] {
            let bytes = Self.recorded(name, strip: strip)
            let loaded = try LuaUndump.undump(bytes, chunkName: "=x")
            #expect(LuaDump.dump(loaded, strip: strip) == bytes, "\(name) strip=\(strip)")
            var pending = [(compiled, loaded)]
            while let (c, l) = pending.popLast() {
                #expect(l.code == c.code && l.constants == c.constants && l.maxStackSize == c.maxStackSize)
                #expect(l.lineInfo == (strip ? [] : c.lineInfo), "\(name) strip=\(strip): lines")
                #expect(l.localVariables == (strip ? [] : c.localVariables))
                #expect(l.upvalues.map(\.name) == c.upvalues.map { strip ? [] : $0.name })
                #expect(l.prototypes.count == c.prototypes.count)
                pending += zip(c.prototypes, l.prototypes)
            }
        }
    }

    /// The line-information pass against hand-checked lcode.c behaviour: a delta of 128 or
    /// more, or the 129th relative entry in a row, is absolute.
    @Test func lineInformationFollowsSaveLineInfo() {
        let run = LuaDump.pucLineInfo(Array(repeating: 5, count: 130), lineDefined: 5)
        #expect(run.absolute.map(\.pc) == [128])
        #expect(run.deltas[0] == 0 && run.deltas[128] == 0x80)
        let jumps = LuaDump.pucLineInfo([10, 137, 138, 10, 137], lineDefined: 10)
        #expect(jumps.deltas == [0, 127, 1, 0x80, 127])
        #expect(jumps.absolute.map(\.pc) == [3] && jumps.absolute.map(\.line) == [10])
        let far = LuaDump.pucLineInfo([200, 72], lineDefined: 0)
        #expect(far.deltas == [0x80, 0x80] && far.absolute.map(\.line) == [200, 72])
    }

    /// A hand-built prototype whose lines do not match its code dumps without lines (PUC's
    /// loader trusts the count), so the chunk still loads.
    @Test func mismatchedLinesAreLeftOut() throws {
        let p = try LuaCompiler.compile(Array("return 1".utf8), chunkName: "=t")
        let odd = LuaPrototype(
            code: p.code, constants: p.constants, prototypes: p.prototypes, upvalues: p.upvalues,
            lineInfo: [1], localVariables: p.localVariables, numParams: p.numParams,
            isVararg: p.isVararg, maxStackSize: p.maxStackSize, source: p.source,
            lineDefined: p.lineDefined, lastLineDefined: p.lastLineDefined)
        #expect(p.code.count > 1)
        #expect(try LuaUndump.undump(LuaDump.dump(odd, strip: false), chunkName: "=t").lineInfo == [])
    }

    /// Sizes round-trip through dumpSize/loadUnsigned; a C `int` that does not fit is
    /// "integer overflow", as lundump.c reports it.
    @Test func sizesRoundTrip() {
        let values: [UInt64] = [0, 1, 127, 128, 200, 16383, 16384, 1 << 35, 1 << 56]
        var w = LuaDump.Writer(strip: false)
        for v in values { w.size(v) }
        w.int(-1)
        #expect(w.out.filter { $0 & 0x80 != 0 }.count == values.count + 1)
        var r = LuaUndump.Reader(bytes: w.out)
        for v in values { #expect((try? r.unsigned(limit: .max)) == v) }
        do throws(LuaUndump.Failure) { _ = try r.int(); Issue.record("-1 read as an int") } catch { #expect(error.text == "integer overflow") }
    }
}
