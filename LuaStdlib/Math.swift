#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GCArena
import LuaCore

// The math library (Lua 5.4 §6.7, PUC's lmathlib.c). Integer/float rules follow 5.4.4:
// `floor`, `ceil` and `modf` return integers when the result fits; `abs`, `fmod` keep
// integers integers; everything else computes in Double. `random`/`randomseed` are in
// Math+Random.swift.

enum MathLibrary {
    /// The functions, with a fresh randomly seeded generator shared by `random` and `randomseed`.
    static var functions: [(String, LuaHostBody)] {
        let generator = Xoshiro256StarStar()
        generator.seedRandomly()
        return [
            ("abs", absolute),
            ("acos", { ctx in try float(&ctx, acos(try ctx.checkDouble(1))) }),
            ("asin", { ctx in try float(&ctx, asin(try ctx.checkDouble(1))) }),
            ("atan", { ctx in
                let y = try ctx.checkDouble(1)
                let x = ctx.argument(2).isNil ? 1 : try ctx.checkDouble(2)
                return try float(&ctx, atan2(y, x))
            }),
            ("ceil", { ctx in try rounded(&ctx, .up) }),
            ("cos", { ctx in try float(&ctx, cos(try ctx.checkDouble(1))) }),
            ("deg", { ctx in try float(&ctx, try ctx.checkDouble(1) * (180.0 / Double.pi)) }),
            ("exp", { ctx in try float(&ctx, exp(try ctx.checkDouble(1))) }),
            ("floor", { ctx in try rounded(&ctx, .down) }),
            ("fmod", truncatedModulo),
            ("log", logarithm),
            ("max", { ctx in try extreme(&ctx, max: true) }),
            ("min", { ctx in try extreme(&ctx, max: false) }),
            ("modf", split),
            ("rad", { ctx in try float(&ctx, try ctx.checkDouble(1) * (Double.pi / 180.0)) }),
            ("random", { ctx in try MathRandom.random(&ctx, generator) }),
            ("randomseed", { ctx in try MathRandom.randomseed(&ctx, generator) }),
            ("sin", { ctx in try float(&ctx, sin(try ctx.checkDouble(1))) }),
            ("sqrt", { ctx in try float(&ctx, (try ctx.checkDouble(1)).squareRoot()) }),
            ("tan", { ctx in try float(&ctx, tan(try ctx.checkDouble(1))) }),
            ("tointeger", tointeger),
            ("type", numberType),
            ("ult", { ctx in
                let a = try ctx.checkInteger(1), b = try ctx.checkInteger(2)
                try ctx.push(LuaValue(UInt64(bitPattern: a) < UInt64(bitPattern: b)))
                return .results(1)
            }),
        ]
    }

    /// `pi`, `huge`, `maxinteger`, `mininteger`.
    static var constants: [(String, LuaHostValue)] {
        [
            ("pi", .number(Double.pi)),
            ("huge", .number(Double.infinity)),
            ("maxinteger", .integer(Int64.max)),
            ("mininteger", .integer(Int64.min)),
        ]
    }

    /// Creates the global `math`.
    static func open(_ lua: Lua) {
        _ = try? lua.registerLibrary("math", functions, constants: constants)
        // `math.type` with its two results interned once, as upvalues.
        _ = try? lua.callHost("init") { ctx in
            let math = ctx.globals.get(try ctx.string("math"))
            guard math.tag == .table else { return .results(0) }
            let names = [try ctx.string("integer"), try ctx.string("float")]
            try ctx.rawSet(math.table, try ctx.string("type"), try ctx.function("type", upvalues: names, numberType))
            return .results(0)
        }
    }

    static func float(_ ctx: inout LuaCallContext, _ d: Double) throws -> LuaCallOutcome {
        try ctx.push(LuaValue(d))
        return .results(1)
    }

    /// PUC's `pushnumint`: an integer when the float has an integer value that fits.
    static func pushNumberOrInteger(_ ctx: inout LuaCallContext, _ d: Double) throws {
        if d >= -0x1p63 && d < 0x1p63 {
            try ctx.push(LuaValue(Int64(d)))
        } else {
            try ctx.push(LuaValue(d))
        }
    }

    static func absolute(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let v = ctx.argument(1)
        if v.tag == .integer {
            let n = v.integer
            try ctx.push(LuaValue(n < 0 ? 0 &- n : n))  // abs(mininteger) wraps to itself
        } else {
            try ctx.push(LuaValue(Swift.abs(try ctx.checkDouble(1))))
        }
        return .results(1)
    }

    /// `floor`/`ceil`: integers are their own; floats round, then become integers if they fit.
    static func rounded(_ ctx: inout LuaCallContext, _ rule: FloatingPointRoundingRule) throws -> LuaCallOutcome {
        let v = ctx.argument(1)
        if v.tag == .integer {
            try ctx.push(v)
        } else {
            try pushNumberOrInteger(&ctx, (try ctx.checkDouble(1)).rounded(rule))
        }
        return .results(1)
    }

    static func truncatedModulo(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let a = ctx.argument(1), b = ctx.argument(2)
        if a.tag == .integer && b.tag == .integer {
            let d = b.integer
            if UInt64(bitPattern: d) &+ 1 <= 1 {  // 0 or -1
                guard d != 0 else { throw ctx.argumentError(2, "zero") }
                try ctx.push(LuaValue(Int64(0)))  // avoids the overflow of mininteger % -1
            } else {
                try ctx.push(LuaValue(a.integer % d))  // C's truncating remainder
            }
        } else {
            try ctx.push(LuaValue(fmod(try ctx.checkDouble(1), try ctx.checkDouble(2))))
        }
        return .results(1)
    }

    static func split(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let v = ctx.argument(1)
        if v.tag == .integer {
            try ctx.setTop(1)
            try ctx.push(LuaValue(0.0))
            return .results(2)
        }
        let n = try ctx.checkDouble(1)
        let ip = n < 0 ? n.rounded(.up) : n.rounded(.down)  // toward zero
        try pushNumberOrInteger(&ctx, ip)
        try ctx.push(LuaValue(n == ip ? 0.0 : n - ip))  // inf - inf would be nan
        return .results(2)
    }

    static func logarithm(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let x = try ctx.checkDouble(1)
        let result: Double
        if ctx.argument(2).isNil {
            result = log(x)
        } else {
            let base = try ctx.checkDouble(2)
            if base == 2 {
                result = log2(x)
            } else if base == 10 {
                result = log10(x)
            } else {
                result = log(x) / log(base)
            }
        }
        return try float(&ctx, result)
    }

    /// `min`/`max` with `lua_compare` (so `__lt` is honoured, and mixed types raise).
    static func extreme(_ ctx: inout LuaCallContext, max: Bool) throws -> LuaCallOutcome {
        let count = ctx.argumentCount
        guard count >= 1 else { throw ctx.argumentError(1, "value expected") }
        return try extreme(&ctx, count: count, best: 1, from: 2, max: max)
    }

    static func extreme(_ ctx: inout LuaCallContext, count: Int, best: Int, from start: Int, max: Bool) throws -> LuaCallOutcome {
        var best = best, i = start
        while i <= count {
            let (x, y) = max ? (ctx[best], ctx[i]) : (ctx[i], ctx[best])
            switch try ctx.lessThanStep(x, y) {
            case .value(let less):
                if less { best = i }
                i += 1
            case .call(let tm):
                let index = i, previous = best
                return try ctx.callForValue(tm, [x, y]) { ctx, r in
                    try extreme(&ctx, count: count, best: r.isFalsy ? previous : index, from: index + 1, max: max)
                }
            }
        }
        try ctx.push(ctx[best])
        return .results(1)
    }

    static func tointeger(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        if let i = ctx.exactInteger(ctx.argument(1)) {
            try ctx.push(LuaValue(i))
        } else {
            _ = try ctx.checkAny(1)
            try ctx.push(.nil)
        }
        return .results(1)
    }

    static func numberType(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let v = ctx.argument(1)
        if v.isNumber {
            let name = ctx.upvalue(v.tag == .integer ? 1 : 2)
            try ctx.push(name.tag == .string ? name : try ctx.string(v.tag == .integer ? "integer" : "float"))
        } else {
            _ = try ctx.checkAny(1)
            try ctx.push(.nil)
        }
        return .results(1)
    }
}
