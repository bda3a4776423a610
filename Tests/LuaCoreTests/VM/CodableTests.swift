import Testing
import GCArena
@testable import LuaCore

struct Server: Codable, Equatable {
    var host: String
    var port: UInt16
    var weight: Double?
}

struct AppConfig: LuaCodable, Equatable {
    var name: String
    var debug: Bool
    var retries: Int8
    var ratio: Float
    var servers: [Server]
    var limits: [String: Int]
    var levels: [Int: String]
    var matrix: [[Int]]
    var mode: Mode
    var note: String?

    enum Mode: String, Codable { case fast, safe }
}

enum Shape: Codable, Equatable {
    case circle(radius: Double)
    case rect(w: Int, h: Int)
    case empty
}

/// A recursive type, for cyclic and deep tables.
final class Node: Decodable {
    let name: String
    let next: Node?
}

/// A recursive class graph for the encoder's depth limit.
final class Link: Encodable {
    var next: Link?
}

@Suite struct CodableTests {
    let sample = AppConfig(
        name: "moon", debug: true, retries: 3, ratio: 0.5,
        servers: [Server(host: "a", port: 80, weight: 1.5), Server(host: "b", port: 443, weight: nil)],
        limits: ["cpu": 2, "mem": 512], levels: [1: "low", 5: "high"], matrix: [[1, 2], [], [3]],
        mode: .safe, note: nil)

    @Test func encodedValuesAreOrdinaryLuaTables() throws {
        let t = TestLua()
        try t.lua.globals.set("config", try LuaEncoder().encode(sample, in: t.lua))
        let r = try t.run("""
            local c = config
            return c.name, c.debug, c.retries, c.servers[2].host, c.servers[2].weight,
                   #c.servers, c.limits.mem, c.levels[5], #c.matrix, #c.matrix[2], c.matrix[3][1], c.mode, c.note
            """)
        #expect(r == ["moon", true, 3, "b", nil, 2, 512, "high", 3, 0, 3, "safe", nil])
        // Int is a Lua integer, Double a float.
        #expect(try t.run("return config.servers[1].port, config.servers[1].weight, config.ratio")
                == [.integer(80), .number(1.5), .number(0.5)])
        #expect(try t.run("return config.levels['5']") == [nil])
    }

    @Test func roundTripsThroughLua() throws {
        let t = TestLua()
        let value = try LuaEncoder().encode(sample, in: t.lua)
        #expect(try LuaDecoder().decode(AppConfig.self, from: value) == sample)
        // Through a script that changes the tables.
        try t.lua.globals.set("config", to: sample)
        try t.run("""
            copied = config
            copied.servers[2].weight = 0.25
            copied.servers[3] = {host = 'c', port = 8080.0}
            copied.note = 'changed'
            """)
        var expected = sample
        expected.servers[1].weight = 0.25
        expected.servers.append(Server(host: "c", port: 8080))
        expected.note = "changed"
        #expect(try t.lua.eval("copied", as: AppConfig.self) == expected)
        #expect(try t.lua.globals.get("copied", as: AppConfig.self) == expected)
        // Scalars, optionals, enums with payloads, nested arrays.
        for shape in [Shape.circle(radius: 2), .rect(w: 3, h: 4), .empty] {
            #expect(try LuaDecoder().decode(Shape.self, from: LuaEncoder().encode(shape, in: t.lua)) == shape)
        }
        #expect(try LuaEncoder().encode(42, in: t.lua) == .integer(42))
        #expect(try LuaEncoder().encode(Int?.none, in: t.lua) == .nil)
        #expect(try LuaDecoder().decode(Int?.self, from: .nil) == nil)
        #expect(try LuaDecoder().decode([Int?].self, from: LuaEncoder().encode([1, nil, 3], in: t.lua)) == [1, nil, 3])
        #expect(try LuaDecoder().decode(LuaBytes.self, from: LuaEncoder().encode(LuaBytes([0, 255]), in: t.lua))
                == LuaBytes([0, 255]))
    }

    @Test func luaHandlesPassThrough() throws {
        struct Rule: Codable {
            var name: String
            var action: LuaFunction
            var extra: LuaHostValue
            var data: LuaTableRef
        }
        let t = TestLua()
        let rule = try t.lua.eval("{name = 'double', action = function(x) return 2 * x end, extra = 7, data = {1}}",
                                  as: LuaHostValue.self)
        let decoded = try LuaDecoder().decode(Rule.self, from: rule)
        #expect(try decoded.action.call(21, returning: Int.self) == 42)
        #expect(decoded.extra == 7)
        #expect(decoded.data.length == 1)
        let again = try LuaEncoder().encode(decoded, in: t.lua)
        try t.lua.globals.set("rule", again)
        #expect(try t.run("return rule.action(5), rule.data[1]") == [10, 1])
        let e = #expect(throws: DecodingError.self) {
            try LuaDecoder().decode(Rule.self, from: t.lua.eval("{name = 'x', action = 1, extra = 1, data = {}}"))
        }
        #expect(e.map(LuaDecoder.message) == "action: function expected, got number")
    }

    func decodeError<T: Decodable>(_ type: T.Type, _ expression: String, in t: TestLua) throws -> String? {
        let value = try t.lua.eval(expression, as: LuaHostValue.self)
        let e = #expect(throws: DecodingError.self) { try LuaDecoder().decode(type, from: value) }
        return e.map(LuaDecoder.message)
    }

    @Test func checkedConversionsThrowWithTheCodingPath() throws {
        let t = TestLua()
        #expect(try decodeError(Server.self, "{host = 'a', port = 'eighty'}", in: t) == "port: integer expected, got string")
        #expect(try decodeError(Server.self, "{host = 'a', port = 1.5}", in: t) == "port: number 1.5 has no integer representation")
        #expect(try decodeError(Server.self, "{host = 'a', port = 70000}", in: t) == "port: integer 70000 out of range for UInt16")
        #expect(try decodeError(Server.self, "{host = 'a', port = -1}", in: t) == "port: integer -1 out of range for UInt16")
        #expect(try decodeError(Server.self, "{port = 80}", in: t) == "missing field 'host'")
        #expect(try decodeError(Server.self, "{host = 1, port = 80}", in: t) == "host: string expected, got number")
        #expect(try decodeError(Server.self, "{host = 'a', port = 80, weight = true}", in: t) == "weight: number expected, got boolean")
        #expect(try decodeError([Server].self, "{{host = 'a', port = 80}, {host = 'b'}}", in: t) == "[2]: missing field 'port'")
        #expect(try decodeError([Server].self, "{{host = 'a', port = 80}, 'b'}", in: t) == "[2]: table expected, got string")
        #expect(try decodeError(Server.self, "42", in: t) == "table expected, got number")
        #expect(try decodeError(Int.self, "2^63", in: t) == "number 9.2233720368548e+18 has no integer representation")
        #expect(try decodeError(Bool.self, "nil", in: t) == "boolean expected, got nil")
        #expect(try decodeError(AppConfig.Mode.self, "'slow'", in: t)?.contains("slow") == true)
        #expect(try decodeError([Int: String].self, "{[1] = 'a', x = 'b'}", in: t) != nil)
        // Floats with integral values are integers; integers are numbers.
        #expect(try LuaDecoder().decode(Int.self, from: .number(3)) == 3)
        #expect(try LuaDecoder().decode(Double.self, from: .integer(3)) == 3)
        #expect(try LuaDecoder().decode(UInt64.self, from: .integer(Int64.max)) == UInt64(Int64.max))
        // Encoding what Lua cannot hold.
        let e = #expect(throws: EncodingError.self) { try LuaEncoder().encode(["big": UInt64.max], in: t.lua) }
        #expect(e.map(LuaEncoder.message) == "big: 18446744073709551615 does not fit a Lua integer (64-bit signed)")
    }

    @Test func sequencesSparseArraysAndIntegerKeys() throws {
        let t = TestLua()
        #expect(try LuaDecoder().decode([Int].self, from: t.lua.eval("{}")) == [])
        #expect(try LuaDecoder().decode([String: Int].self, from: t.lua.eval("{}")) == [:])
        #expect(try LuaDecoder().decode([Int?].self, from: t.lua.eval("{1, nil, 3}")) == [1, nil, 3])
        #expect(try decodeError([Int].self, "{1, nil, 3}", in: t) == "[2]: integer expected, got nil")
        #expect(try decodeError([Int?].self, "{[1] = 1, [100] = 2}", in: t) == "sparse table: largest index 100 with 2 elements")
        #expect(try decodeError([Int].self, "{1, 2, x = 3}", in: t) == "sequence expected, table has key 'x'")
        #expect(try decodeError([Int].self, "{[0] = 1}", in: t) == "sequence expected, table has key 0")
        var strict = LuaDecoder()
        strict.allowsSparseSequences = false
        #expect(throws: DecodingError.self) { try strict.decode([Int?].self, from: t.lua.eval("{1, nil, 3}")) }
        // Integer keys for [Int: V], and as strings for [String: V].
        #expect(try LuaDecoder().decode([Int: String].self, from: t.lua.eval("{[2] = 'b', [-7] = 'c', [3.0] = 'd'}"))
                == [2: "b", -7: "c", 3: "d"])
        #expect(try LuaDecoder().decode([String: Int].self, from: t.lua.eval("{10, 20, x = 30}")) == ["1": 10, "2": 20, "x": 30])
        // A [String: V] with numeric-looking keys keeps them as strings.
        try t.lua.globals.set("m", LuaEncoder().encode(["1": "one", "2": "two"], in: t.lua))
        #expect(try t.run("return m[1], m['1']") == [nil, "one"])
        try t.lua.globals.set("n", LuaEncoder().encode([1: "one", 2: "two"], in: t.lua))
        #expect(try t.run("return n[1], n['1'], #n") == ["one", nil, 2])
    }

    @Test func cyclicAndDeepTablesThrowInsteadOfLooping() throws {
        let t = TestLua()
        try t.run("loop = {name = 'a'} loop.next = {name = 'b', next = loop}")
        let e = #expect(throws: DecodingError.self) { try t.lua.eval("loop", as: LuaHostValue.self).decoded(as: Node.self) }
        #expect(e.map(LuaDecoder.message) == "next.next: cyclic table (it contains itself)")
        try t.run("selfish = {name = 's'} selfish.next = selfish")
        #expect(throws: DecodingError.self) { try LuaDecoder().decode(Node.self, from: t.lua.eval("selfish")) }
        // A long chain with no cycle hits the depth limit.
        try t.run("chain = {name = '0'} for i = 1, 500 do chain = {name = '' .. i, next = chain} end")
        let deep = #expect(throws: DecodingError.self) { try LuaDecoder().decode(Node.self, from: t.lua.eval("chain")) }
        #expect(deep.map(LuaDecoder.message)?.hasSuffix("nesting deeper than 128 levels") == true)
        var roomy = LuaDecoder()
        roomy.maxDepth = 1000
        #expect(try roomy.decode(Node.self, from: t.lua.eval("chain")).name == "500")
        // A shared (not cyclic) table decodes twice.
        let shared = try LuaDecoder().decode([Server].self, from: t.lua.eval("(function() local s = {host = 'h', port = 1} return {s, s} end)()"))
        #expect(shared == [Server(host: "h", port: 1), Server(host: "h", port: 1)])
        // A cyclic Swift object graph stops at the encoder's depth limit.
        let link = Link()
        link.next = link
        let encodeError = #expect(throws: EncodingError.self) { try LuaEncoder().encode(link, in: t.lua) }
        #expect(encodeError.map(LuaEncoder.message)?.hasSuffix("nesting deeper than 128 levels (is the value cyclic?)") == true)
        link.next = nil
    }

    @Test func typedHostFunctionsTakeAndReturnLuaCodableTypes() throws {
        struct Order: LuaCodable { var item: String; var quantity: Int; var gift: Bool? }
        struct Receipt: LuaCodable { var lines: [String]; var total: Int }
        let t = TestLua()
        try t.lua.register("checkout") { (orders: [Order], price: Int) -> Receipt in
            Receipt(lines: orders.map { "\($0.quantity) x \($0.item)" + ($0.gift == true ? " (gift)" : "") },
                    total: orders.reduce(0) { $0 + $1.quantity * price })
        }
        try t.lua.register("first") { (o: Order) -> Order in o }
        #expect(try t.run("""
            local r = checkout({{item = 'tea', quantity = 2}, {item = 'cup', quantity = 1, gift = true}}, 3)
            return r.total, r.lines[1], r.lines[2]
            """) == [9, "2 x tea", "1 x cup (gift)"])
        try t.run("local ok, e = pcall(first, {item = 'tea', quantity = 'two'}) print(e)")
        #expect(t.output == "bad argument #1 to 'first' (quantity: integer expected, got string)\n")
        try t.run("local ok, e = pcall(first, 12) print(e)")
        #expect(t.output.hasSuffix("bad argument #1 to 'first' (table expected, got number)\n"))
        // LuaHostConvertible through the conformance.
        let receipt = try t.lua.eval("checkout({{item = 'pen', quantity = 4}}, 2)", as: Receipt.self)
        #expect(receipt.total == 8)
        let wrong = #expect(throws: LuaScriptError.self) { try t.lua.eval("{item = 'pen'}", as: Order.self) }
        #expect(wrong?.message == "missing field 'quantity'")
        #expect(wrong?.cause is DecodingError)
    }

    @Test func encodingRespectsTheMemoryLimit() throws {
        let t = TestLua()
        t.lua.collectGarbage()
        t.lua.memoryLimit = t.lua.metrics.heapBytes + 64 << 10
        let big = Array(repeating: ["key": "value"], count: 100_000)
        let e = #expect(throws: LuaScriptError.self) { try LuaEncoder().encode(big, in: t.lua) }
        #expect(e?.kind == .memory)
        t.lua.memoryLimit = nil
        #expect(try t.run("return 1 + 1") == [2])
    }
}

extension LuaHostValue {
    func decoded<T: Decodable>(as type: T.Type) throws -> T { try LuaDecoder().decode(type, from: self) }
}
