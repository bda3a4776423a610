import Testing
import GCArena
@testable import LuaCore

struct Point: LuaUserdataConvertible, BitwiseCopyable {
    var x = 0.0, y = 0.0
}

struct Buffer: LuaUserdataConvertible {
    var bytes: [UInt8]
    static var needsTrace: Bool { false }
    func trace(_ tracer: inout Tracer) {}
    var luaExternalBytes: Int { bytes.count }
}

final class Counts { var gc = 0, close = 0 }

@Suite struct UserdataTypedTests {
    func pointState() throws -> (TestLua, Counts) {
        let t = TestLua()
        let counts = Counts()
        try t.lua.registerUserdata(Point.self, name: "Point") { p in
            p.property("x", get: { $0.x }, set: { $0.x = $1 })
            p.property("y", get: { $0.y })
            p.method("length") { (me: Point) -> Double in (me.x * me.x + me.y * me.y).squareRoot() }
            p.method("scaled") { (me: Point, k: Double) -> Point in Point(x: me.x * k, y: me.y * k) }
            p.mutatingMethod("move") { (me: inout Point, dx: Double, dy: Double) in me.x += dx; me.y += dy }
            p.toString { "Point(\($0.x), \($0.y))" }
            p.metamethod("__index") { ctx in
                try ctx.push(try ctx.string("no field " + (try ctx.argument(2).asSwiftString())))
                return .results(1)
            }
            p.metamethod("__gc") { _ in counts.gc += 1; return .results(0) }
            p.metamethod("__close") { _ in counts.close += 1; return .results(0) }
        }
        try t.lua.register("point") { (x: Double, y: Double) -> Point in Point(x: x, y: y) }
        try t.lua.register("sum") { (a: Point, b: Point) -> Point in Point(x: a.x + b.x, y: a.y + b.y) }
        return (t, counts)
    }

    @Test func methodsPropertiesAndTypedParameters() throws {
        let (t, _) = try pointState()
        #expect(try t.run("local p = point(3, 4) return p:length(), p.x, p.y") == [.number(5), .number(3), .number(4)])
        #expect(try t.run("local p = point(1, 2) p:move(1, 1) p.x = 10 return p.x, p.y") == [.number(10), .number(3)])
        #expect(try t.run("local p = sum(point(1, 2), point(3, 4)):scaled(2) return p.x, p.y") == [.number(8), .number(12)])
        #expect(try t.run("return point(1, 2).colour") == ["no field colour"])
        try t.run("local p = point(1, 2) local ok, e = pcall(function() p.y = 5 end) print(e)")
        #expect(t.output.hasSuffix("cannot set field 'y' of Point\n"))
        try t.run("local ok, e = pcall(sum, point(1, 1), 3) print(e)")
        #expect(t.output.hasSuffix("bad argument #2 to 'sum' (Point expected, got number)\n"))
        try t.lua.register("tostring") { ctx in
            try ctx.tostring(ctx.argument(1)) { ctx, bytes in try ctx.push(try ctx.string(bytes)); return .results(1) }
        }
        #expect(try t.run("return tostring(point(1.5, 2))") == ["Point(1.5, 2.0)"])
    }

    @Test func gcAndCloseMetamethodsRun() throws {
        let (t, counts) = try pointState()
        try t.run("do local p <close> = point(0, 0) end")
        #expect(counts.close == 1)
        try t.run("for i = 1, 10 do point(i, i) end")
        t.lua.collectGarbage()
        t.lua.collectGarbage()
        try t.run("return 1")
        #expect(counts.gc >= 10)
    }

    @Test func payloadMemoryCountsAgainstTheLimit() throws {
        let t = TestLua()
        try t.lua.registerUserdata(Buffer.self, name: "Buffer") { _ in }
        try t.lua.register("buffer") { (n: Int) -> Buffer in Buffer(bytes: Array(repeating: 0, count: n)) }
        t.lua.collectGarbage()
        let before = t.lua.metrics.externalBytes
        try t.run("keep = buffer(100000)")
        #expect(t.lua.metrics.externalBytes >= before + 100_000)
        t.lua.memoryLimit = t.lua.metrics.heapBytes + t.lua.metrics.externalBytes + 50_000
        let e = #expect(throws: LuaScriptError.self) { try t.run("big = buffer(1000000)") }
        #expect(e?.kind == .memory)
        t.lua.memoryLimit = nil
        try t.run("keep = nil")
        t.lua.collectGarbage()
        #expect(t.lua.metrics.externalBytes <= before)
    }
}
