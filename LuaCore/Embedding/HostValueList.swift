/// A short list of host values held inline: a call's arguments or results cross between
/// Swift and the VM without an array allocation when there are at most four of them (the
/// rest, if any, go to an array).
///
/// `LuaFunction.call(_:returning:)` converts its argument pack into one and its results out
/// of one; each array it used instead cost an allocation and a release per call.
struct HostValueList {
    private(set) var count = 0
    private var v0: LuaHostValue = .nil, v1: LuaHostValue = .nil, v2: LuaHostValue = .nil, v3: LuaHostValue = .nil
    /// Elements 4 and after.
    private var rest: [LuaHostValue] = []

    init() {}

    init(_ values: [LuaHostValue]) {
        for v in values { append(v) }
    }

    mutating func append(_ v: LuaHostValue) {
        switch count {
        case 0: v0 = v
        case 1: v1 = v
        case 2: v2 = v
        case 3: v3 = v
        default: rest.append(v)
        }
        count += 1
    }

    /// Element `i`, or nil past the end (missing results read as nil).
    subscript(i: Int) -> LuaHostValue {
        switch i {
        case 0 where count > 0: return v0
        case 1 where count > 1: return v1
        case 2 where count > 2: return v2
        case 3 where count > 3: return v3
        default: return i >= 4 && i < count ? rest[i - 4] : .nil
        }
    }

    /// Element `i` converted to `T` (nil past the end), advancing `i`.
    func convert<T: LuaHostConvertible>(_ i: inout Int, to type: T.Type, _ lua: Lua) throws(LuaScriptError) -> T {
        defer { i += 1 }
        return try T.fromHost(self[i], lua)
    }

    /// The values as an array.
    var array: [LuaHostValue] {
        var out: [LuaHostValue] = []
        out.reserveCapacity(count)
        for i in 0..<count { out.append(self[i]) }
        return out
    }
}
