import Testing
import GCArena
@testable import LuaCore

/// Light userdata: a bare address as a Lua value (PUC's `lua_pushlightuserdata`). The
/// pointers below are made from integers and never dereferenced.
@Suite struct LightUserdataTests {
    @Test func valuesHoldTheAddressAndAreNotObjects() {
        let p = UnsafeRawPointer(bitPattern: 0x1000)
        let v = LuaValue(lightUserdata: p)
        #expect(v.tag == .lightUserdata)
        #expect(v.lightUserdata == p)
        #expect(!v.isCollectable && !v.isFalsy && !v.isNumber)
        #expect(v.objectHandle == nil && v.userdataObject == nil)
        #expect(LuaValue(Int64(0x1000)).lightUserdata == nil)
        let null = LuaValue(lightUserdata: nil)
        #expect(null.tag == .lightUserdata && null.lightUserdata == nil)
        #expect(LuaTag.lightUserdata < .string && LuaTag.lightUserdata > .float)
        #expect(LuaTag.lightUserdata.typeName == "userdata")
        #expect(LuaHostValue.lightUserdata(p).typeName == "userdata")
    }

    @Test func hostValuesCrossIntoLuaAndBack() throws {
        let t = TestLua()
        let p = UnsafeRawPointer(bitPattern: 0xBEEF0)
        try t.lua.setGlobal("p", .lightUserdata(p))
        try t.lua.setGlobal("q", .lightUserdata(UnsafeRawPointer(bitPattern: 0xBEEF0)))
        try t.lua.setGlobal("r", .lightUserdata(UnsafeRawPointer(bitPattern: 0xBEEF8)))
        #expect(try t.run("return p == q, p ~= r, p") == [.boolean(true), .boolean(true), .lightUserdata(p)])
        #expect(t.lua.global("p") == .lightUserdata(p))
        #expect(try t.run("local t = {[p] = 1, [r] = 2} return t[q], t[r]") == [.integer(1), .integer(2)])
        try t.run("print(p)")
        #expect(t.output == "userdata: 0xbeef0\n")
    }

    @Test func tableKeysSurviveCollectionsAndAreNotTraced() throws {
        let arena = makeRuntimeArena()
        try arena.mutate { mc, root in
            let t = try LuaTable.allocate(mc)
            t.setWeakMode(mc, keys: true, values: true)
            root.weakTables.append(t)
            root.values.append(LuaValue(t))
            for i in 1...40 {
                let key = LuaValue(lightUserdata: UnsafeRawPointer(bitPattern: UInt(i) &* 16))
                try t.set(mc, key, key)
            }
            try t.set(mc, LuaValue(lightUserdata: UnsafeRawPointer(bitPattern: 16)), .nil)
        }
        arena.collectAll()
        arena.collectAll()
        #expect(arena.verifyHeap().isValid)
        try arena.mutate { _, root in
            let t = root.values[0].table
            var count = 0
            var k = LuaValue.nil
            while let (key, value) = try t.next(after: k) {
                #expect(key.tag == .lightUserdata && LuaValue.rawIdentical(key, value))
                count += 1
                k = key
            }
            #expect(count == 39)  // weak tables never drop light userdata
            #expect(t.get(LuaValue(lightUserdata: UnsafeRawPointer(bitPattern: 32))).tag == .lightUserdata)
        }
    }
}
