import GCArena
import LuaCore

// The string metatable's arithmetic metamethods (lstrlib.c's `stringmetamethods`): both
// operands converted with `tonumber` rules, then the operation; otherwise the second
// operand's own metamethod (a `.call`), or "attempt to add a 'string' with a 'table'".
// Errors of the operation itself (integer division by zero) carry no position, as
// luaG_runerror inside a C function adds none.

enum StringArith {
    enum Op { case add, sub, mul, mod, pow, div, idiv, unm }

    static var metamethods: [((LuaMetamethod, String), LuaHostBody)] {
        [
            ((.add, "__add"), { ctx in try arith(&ctx, .add, "add", .add) }),
            ((.sub, "__sub"), { ctx in try arith(&ctx, .sub, "sub", .sub) }),
            ((.mul, "__mul"), { ctx in try arith(&ctx, .mul, "mul", .mul) }),
            ((.mod, "__mod"), { ctx in try arith(&ctx, .mod, "mod", .mod) }),
            ((.pow, "__pow"), { ctx in try arith(&ctx, .pow, "pow", .pow) }),
            ((.div, "__div"), { ctx in try arith(&ctx, .div, "div", .div) }),
            ((.idiv, "__idiv"), { ctx in try arith(&ctx, .idiv, "idiv", .idiv) }),
            ((.unm, "__unm"), { ctx in try arith(&ctx, .unm, "unm", .unm) }),
        ]
    }

    /// PUC's `tonum`: a number, or a string that converts entirely.
    static func toNumber(_ ctx: inout LuaCallContext, _ v: LuaValue) -> LuaValue? {
        if v.isNumber { return v }
        if v.tag == .string { return ctx.toNumber(v) }
        return nil
    }

    static func arith(_ ctx: inout LuaCallContext, _ op: Op, _ name: String, _ event: LuaMetamethod) throws -> LuaCallOutcome {
        // PUC converts argument 1 onto the stack first, so with a single argument the
        // "second operand" is that converted copy (`__unm("5")` is -5).
        if let a = toNumber(&ctx, ctx.argument(1)),
           let b = ctx.argumentCount >= 2 ? toNumber(&ctx, ctx.argument(2)) : a {
            try ctx.push(try compute(op, a, b))
            return .results(1)
        }
        // trymt
        try ctx.setTop(2)
        let second = ctx[2]
        let tm: LuaValue
        if second.tag == .string {
            tm = .nil
        } else if let mt = ctx.metatable(of: second) {
            tm = ctx.rawGet(mt, ctx.name(event))
        } else {
            tm = .nil
        }
        if tm.isNil {
            throw LuaError.runtime("attempt to \(name) a '\(ctx.typeName(ctx[1]))' with a '\(ctx.typeName(second))'")
        }
        return try ctx.callForValue(tm, [ctx[1], second]) { ctx, v in
            try ctx.push(v)
            return .results(1)
        }
    }

    static func compute(_ op: Op, _ a: LuaValue, _ b: LuaValue) throws -> LuaValue {
        let ints = a.tag == .integer && b.tag == .integer
        let x = a.asDouble!, y = b.asDouble!
        switch op {
        case .add: return ints ? LuaValue(a.integer &+ b.integer) : LuaValue(x + y)
        case .sub: return ints ? LuaValue(a.integer &- b.integer) : LuaValue(x - y)
        case .mul: return ints ? LuaValue(a.integer &* b.integer) : LuaValue(x * y)
        case .div: return LuaValue(x / y)
        case .pow: return LuaValue(LuaArith.pow(x, y))
        case .unm: return b.tag == .integer ? LuaValue(0 &- b.integer) : LuaValue(-y)
        case .mod:
            if ints {
                guard let r = LuaArith.mod(a.integer, b.integer) else { throw LuaError.plain("attempt to perform 'n%0'") }
                return LuaValue(r)
            }
            return LuaValue(LuaArith.mod(x, y))
        case .idiv:
            if ints {
                guard let r = LuaArith.floorDiv(a.integer, b.integer) else { throw LuaError.plain("attempt to divide by zero") }
                return LuaValue(r)
            }
            return LuaValue(LuaArith.floorDiv(x, y))
        }
    }
}
