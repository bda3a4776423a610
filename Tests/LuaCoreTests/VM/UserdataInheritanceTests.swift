import Testing
import GCArena
@testable import LuaCore

/// A struct that extends `Point` by composition.
struct Sprite: LuaUserdataConvertible, CollectLeaf {
    var position = Point()
    var name = ""
}

/// A struct two levels down: Badge → Sprite → Point.
struct Badge: LuaUserdataConvertible, CollectLeaf {
    var sprite = Sprite()
    var level = 1
}

class Animal: LuaUserdataConvertible, CollectLeaf {
    var name: String
    var legs = 4
    init(name: String) { self.name = name }
    func sound() -> String { "..." }
}

final class Dog: Animal {
    override func sound() -> String { "woof" }
}

@Suite struct UserdataInheritanceTests {
    func spriteState() throws -> TestLua {
        let t = TestLua()
        try t.lua.registerUserdata(Point.self, name: "Point") { p in
            p.property("x", get: { $0.x }, set: { $0.x = $1 })
            p.property("y", get: { $0.y }, set: { $0.y = $1 })
            p.method("length") { (me: Point) -> Double in (me.x * me.x + me.y * me.y).squareRoot() }
            p.method("describe") { (me: Point) -> String in "point" }
            p.mutatingMethod("move") { (me: inout Point, dx: Double, dy: Double) in me.x += dx; me.y += dy }
            p.toString { "Point(\($0.x), \($0.y))" }
            p.metamethod("__index") { ctx in
                try ctx.push(try ctx.string("Point has no " + (try ctx.argument(2).asSwiftString())))
                return .results(1)
            }
        }
        try t.lua.registerUserdata(Sprite.self, name: "Sprite") { s in
            s.inherit(from: Point.self, through: \.position)
            s.property("name", get: { $0.name }, set: { $0.name = $1 })
            s.method("describe") { (me: Sprite) -> String in "sprite " + me.name }   // overrides Point's
        }
        try t.lua.register("sprite") { (name: String, x: Double, y: Double) -> Sprite in
            Sprite(position: Point(x: x, y: y), name: name)
        }
        try t.lua.register("norm") { (p: Point) -> Double in abs(p.x) + abs(p.y) }
        try t.lua.register("tostring") { ctx in
            try ctx.tostring(ctx.argument(1)) { ctx, bytes in try ctx.push(try ctx.string(bytes)); return .results(1) }
        }
        return t
    }

    @Test func aDerivedStructGetsTheBaseMethodsAndProperties() throws {
        let t = try spriteState()
        #expect(try t.run("local s = sprite('ship', 3, 4) return s:length(), s.x, s.y, s.name")
                == [.number(5), .number(3), .number(4), "ship"])
        // Base setters and mutating methods change the Point inside the Sprite.
        #expect(try t.run("local s = sprite('ship', 1, 2) s:move(1, 1) s.x = s.x * 10 s.name = 'boat' return s.x, s.y, s.name")
                == [.number(20), .number(3), "boat"])
        // Overrides win; the inherited __tostring and __index fallback still work.
        #expect(try t.run("return sprite('ship', 0, 0):describe()") == ["sprite ship"])
        #expect(try t.run("return tostring(sprite('ship', 1, 2)), sprite('a', 0, 0).colour")
                == ["Point(1.0, 2.0)", "Point has no colour"])
        // A derived value is accepted where the base type is expected.
        #expect(try t.run("return norm(sprite('ship', -1, 2))") == [.number(3)])
        try t.run("local ok, e = pcall(function() local s = sprite('a', 0, 0) s.z = 1 end) print(e)")
        #expect(t.output.hasSuffix("cannot set field 'z' of Sprite\n"))
    }

    @Test func inheritanceChainsAndOwnFallbacks() throws {
        let t = try spriteState()
        try t.lua.registerUserdata(Badge.self, name: "Badge") { b in
            b.inherit(from: Sprite.self, through: \.sprite)
            b.property("level", get: { $0.level })
            b.metamethod("__index") { ctx in
                try ctx.push(try ctx.string("Badge has no " + (try ctx.argument(2).asSwiftString())))
                return .results(1)
            }
        }
        try t.lua.register("badge") { (level: Int) -> Badge in
            Badge(sprite: Sprite(position: Point(x: 6, y: 8), name: "gold"), level: level)
        }
        #expect(try t.run("local b = badge(3) b:move(1, 0) return b:length() > 10, b.x, b.name, b.level, b:describe(), b.other")
                == [true, .number(7), "gold", 3, "sprite gold", "Badge has no other"])
        #expect(try t.run("return norm(badge(1))") == [.number(14)])
    }

    @Test func subclassesInheritWithoutAKeyPath() throws {
        let t = TestLua()
        try t.lua.registerUserdata(Animal.self, name: "Animal") { a in
            a.property("name", get: { $0.name }, set: { $0.name = $1 })
            a.property("legs", get: { $0.legs })
            a.method("speak") { (me: Animal) -> String in me.name + " says " + me.sound() }
        }
        try t.lua.registerUserdata(Dog.self, name: "Dog") { d in
            d.inherit(from: Animal.self)
            d.method("fetch") { (me: Dog) -> String in me.name + " fetches" }
            d.property("legs", get: { _ in 3 })   // overrides the base property
        }
        try t.lua.register("dog") { (name: String) -> Dog in Dog(name: name) }
        try t.lua.register("greet") { (a: Animal) -> String in "hello " + a.name }
        #expect(try t.run("local d = dog('rex') d.name = 'max' return d:speak(), d:fetch(), d.legs, greet(d)")
                == ["max says woof", "max fetches", 3, "hello max"])
    }

    @Test func misdeclaredInheritanceThrows() throws {
        let t = TestLua()
        let unregistered = #expect(throws: LuaScriptError.self) {
            try t.lua.registerUserdata(Sprite.self, name: "Sprite") { $0.inherit(from: Point.self, through: \.position) }
        }
        #expect(unregistered?.kind == .misuse)
        #expect(unregistered?.message == "registerUserdata(Sprite): register Point before the types that inherit from it")
        try t.lua.registerUserdata(Point.self, name: "Point") { _ in }
        let unrelated = #expect(throws: LuaScriptError.self) {
            try t.lua.registerUserdata(Sprite.self, name: "Sprite") { $0.inherit(from: Point.self) }
        }
        #expect(unrelated?.message.contains("Sprite is not a subclass of Point") == true)
    }
}
