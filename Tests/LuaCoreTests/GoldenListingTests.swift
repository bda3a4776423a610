import Testing
import LuaCore

/// One instruction as `luac -l` prints it: opcode name and operand fields.
struct ListedInstruction: Equatable, CustomStringConvertible {
    var line: String
    var opcode: String
    var operands: [String]
    var description: String { "[\(line)] \(opcode) \(operands.joined(separator: " "))" }
}

/// Parses the instruction lines of a luac listing, function by function.
func parseLuacListing(_ text: String) -> [[ListedInstruction]] {
    var functions: [[ListedInstruction]] = []
    for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
        let line = String(raw)
        if line.hasPrefix("main <") || line.hasPrefix("function <") {
            functions.append([])
            continue
        }
        // "\t<index>\t[<line>]\t<OPNAME padded>\t<operands>[\t; comment]"
        let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        guard fields.count >= 5, fields[0].isEmpty, Int(fields[1]) != nil, fields[2].hasPrefix("[") else { continue }
        let opcode = fields[3].trimmingCharacters(in: " ")
        let operands = fields[4].split(separator: " ").map(String.init)
        functions[functions.count - 1].append(ListedInstruction(line: fields[2], opcode: opcode, operands: operands))
    }
    return functions
}

extension String {
    func trimmingCharacters(in set: Character) -> String {
        var s = Substring(self)
        while s.last == set { s.removeLast() }
        while s.first == set { s.removeFirst() }
        return String(s)
    }
}

/// Our instructions decoded the same way, in luac's function order.
func decodeOurs(_ proto: LuaPrototype) -> [[ListedInstruction]] {
    parseLuacListing(LuaListing.render(proto, full: false))
}

@Suite struct GoldenListingTests {
    static let names = Fixtures.files(in: "golden", suffix: ".lua")

    @Test func goldenAreasPresent() {
        for area in ["arith", "calls", "loops", "closures", "tables", "varargs", "gotos", "comparisons"] {
            #expect(Self.names.contains(area + ".lua"))
        }
    }

    /// Opcodes and operands, instruction by instruction, against the recorded luac output.
    @Test(arguments: names)
    func instructionsMatchLuac(_ name: String) throws {
        let proto = try Fixtures.compile("golden", name)
        let expected = parseLuacListing(Fixtures.text("golden", String(name.dropLast(4)) + ".luac.txt"))
        let ours = decodeOurs(proto)
        #expect(expected.count == ours.count, "function count")
        for (f, (e, o)) in zip(expected, ours).enumerated() {
            #expect(e.count == o.count, "instruction count of function \(f)")
            for (pc, (ei, oi)) in zip(e, o).enumerated() where ei != oi {
                Issue.record("function \(f) pc \(pc + 1): luac \(ei), ours \(oi)")
            }
        }
    }

    /// Constants, locals and upvalues too: the complete `-l -l` text.
    @Test(arguments: names)
    func fullListingMatchesLuac(_ name: String) throws {
        let proto = try Fixtures.compile("golden", name)
        let expected = Fixtures.text("golden", String(name.dropLast(4)) + ".luac.txt")
        #expect(Fixtures.normalizeAddresses(LuaListing.render(proto)) == Fixtures.normalizeAddresses(expected))
    }

    @Test func instructionFieldsRoundTrip() throws {
        let proto = try LuaCompiler.compile(Array("local a = ... return a + 1".utf8), chunkName: "=t")
        let ops = proto.instructions.compactMap(\.opcode)
        // The main chunk is vararg, so luaK_finish turns RETURN1 into RETURN.
        #expect(ops == [.varargPrep, .vararg, .addI, .mmBinI, .return, .return])
        let add = proto.instructions[2]
        #expect(add.a == 1 && add.b == 0 && add.sc == 1)
        #expect(proto.lineInfo.count == proto.code.count)
        #expect(proto.localVariables.map { String(decoding: $0.name, as: UTF8.self) } == ["a"])
        #expect(proto.upvalues.first?.name == Array("_ENV".utf8))
    }
}
