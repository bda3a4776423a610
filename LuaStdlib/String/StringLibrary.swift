import GCArena
import LuaCore

// The string library (Lua 5.4 §6.4, PUC's lstrlib.c) over the engines in String/:
// argument reading with luaL_check* errors, engine errors mapped to Lua errors, and the
// string metatable (`__index = string` plus the arithmetic metamethods, in
// StringLibrary+Arith.swift). The pattern functions are in StringLibrary+Patterns.swift.
//
// Nothing here calls Lua on the Swift stack: `format`'s `%s` with a `__tostring` value
// resolves it through a `.call` and formats again (see `format`).

/// The `string` library and the string metatable.
public enum StringLibrary {
    /// The default bound on the work of one pattern-match attempt (matcher units; see
    /// StringLibrary+Patterns.swift): about a second of matching in a release build. Past
    /// it a match raises "pattern too complex (too much backtracking)".
    public static let defaultPatternWorkLimit = 1 << 26

    /// The functions of the `string` table (without `dump`, which StringDump adds).
    static func functions(patternWorkLimit: Int) -> [(String, LuaHostBody)] {
        let leads = PatternLeadCache()
        let formatBuffer = FormatBuffer()
        return [
            ("byte", byte),
            ("char", char),
            ("find", { ctx in try StringPatterns.find(&ctx, isFind: true, limit: patternWorkLimit, leads: leads) }),
            ("format", { ctx in try format(&ctx, formatBuffer) }),
            ("gmatch", { ctx in try StringPatterns.gmatch(&ctx, limit: patternWorkLimit) }),
            ("gsub", { ctx in try StringPatterns.gsub(&ctx, limit: patternWorkLimit, leads: leads) }),
            ("len", len),
            ("lower", { ctx in try transform(&ctx, LuaStringBasics.lower) }),
            ("match", { ctx in try StringPatterns.find(&ctx, isFind: false, limit: patternWorkLimit, leads: leads) }),
            ("pack", pack),
            ("packsize", packsize),
            ("rep", rep),
            ("reverse", { ctx in try transform(&ctx, LuaStringBasics.reverse) }),
            ("sub", sub),
            ("unpack", unpack),
            ("upper", { ctx in try transform(&ctx, LuaStringBasics.upper) }),
        ]
    }

    /// Creates the global `string` and the string metatable. `patternWorkLimit` bounds one
    /// match attempt (see StringLibrary+Patterns.swift); opening again replaces both.
    public static func open(_ lua: Lua, patternWorkLimit: Int = defaultPatternWorkLimit) {
        _ = try? lua.callHost("string") { ctx in
            let table = try ctx.newTable()
            for (name, body) in functions(patternWorkLimit: patternWorkLimit) {
                try ctx.rawSet(table, try ctx.string(name), try ctx.function(name, body))
            }
            let key = try ctx.string("string")
            let old = ctx.rawGet(ctx.globals, key)
            if old.tag == .table {
                // Keep `dump` (StringDump) when the library is opened again.
                let dump = ctx.rawGet(old.table, try ctx.string("dump"))
                if !dump.isNil { try ctx.rawSet(table, try ctx.string("dump"), dump) }
            }
            try ctx.rawSet(ctx.globals, key, LuaValue(table))
            let mt = try ctx.newTable()
            try ctx.rawSet(mt, ctx.name(.index), LuaValue(table))
            for (event, body) in StringArith.metamethods {
                try ctx.rawSet(mt, ctx.name(event.0), try ctx.function(event.1, body))
            }
            ctx.setTypeMetatable(.string, mt)
            return .results(0)
        }
    }

    // MARK: - Errors

    /// An engine error as a Lua error: "bad argument #n to 'f' (...)" or the plain message,
    /// with the caller's position as luaL_error adds it.
    static func luaError(_ e: LuaStringLibError, _ ctx: borrowing LuaCallContext) -> LuaError {
        var message = e.message
        if let k = e.typeNameArgument { message += Array(ctx.displayTypeName(ctx[k]).utf8) }
        if let n = e.argument { return ctx.argumentError(n, String(decoding: message, as: UTF8.self)) }
        return LuaError(.message(message, position: true))
    }

    static func luaError(_ e: LuaPatternError) -> LuaError {
        switch e {
        case .message(let bytes): LuaError(.message(bytes, position: true))
        case .budgetExhausted: LuaError.runtime(StringPatterns.tooComplexMessage)
        }
    }

    // MARK: - Small functions

    static func pushBytes(_ ctx: inout LuaCallContext, _ bytes: [UInt8]) throws -> LuaCallOutcome {
        try ctx.push(try ctx.string(bytes))
        return .results(1)
    }

    static func len(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let s = try ctx.checkString(1)
        try ctx.push(LuaValue(Int64(s.count)))
        return .results(1)
    }

    static func transform(
        _ ctx: inout LuaCallContext, _ engine: (UnsafeBufferPointer<UInt8>, inout [UInt8]) -> Void
    ) throws -> LuaCallOutcome {
        let s = try ctx.checkString(1)
        var out: [UInt8] = []
        engine(s.bytes, &out)
        ctx.chargeFuel(out.count >> 6)
        return try pushBytes(&ctx, out)
    }

    static func sub(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let s = try ctx.checkString(1)
        let range = LuaStringIndex.sub(try ctx.checkInteger(2), try ctx.optInteger(3, -1), length: s.count)
        if range.count == s.count { try ctx.push(ctx[1]); return .results(1) }
        try ctx.push(try ctx.string(bytes: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: s.bytes[range]))))
        return .results(1)
    }

    static func byte(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let s = try ctx.checkString(1)
        let i = try ctx.optInteger(2, 1)
        let j = try ctx.optInteger(3, i)
        let range: Range<Int>
        do { range = try LuaStringIndex.byte(i, j, length: s.count) } catch { throw luaError(error, ctx) }
        if !ctx.checkStack(range.count) { throw LuaError.runtime("stack overflow (string slice too long)") }
        let bytes = s.bytes
        for k in range { try ctx.push(LuaValue(Int64(bytes[k]))) }
        return .results(range.count)
    }

    static func char(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let n = ctx.argumentCount
        if n <= shortResultLimit { return try shortChar(&ctx, count: n) }
        var out: [UInt8] = []
        out.reserveCapacity(n)
        for k in stride(from: 1, through: n, by: 1) {
            let c = try ctx.checkInteger(k)
            do { out.append(try LuaStringBasics.charByte(c, argument: k)) } catch { throw luaError(error, ctx) }
        }
        return try pushBytes(&ctx, out)
    }

    static func rep(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let s = try ctx.checkString(1)
        let n = try ctx.checkInteger(2)
        let sep: Gc<LuaString>? = ctx.argument(3).isNil ? nil : try ctx.checkString(3)
        if n > 0 && n <= Int64(shortResultLimit) {
            let size = (s.count &+ (sep?.count ?? 0)) &* Int(n) &- (sep?.count ?? 0)
            if size > 0 && size <= shortResultLimit && s.count <= shortResultLimit
                && (sep?.count ?? 0) <= shortResultLimit
            {
                return try shortRep(&ctx, s, times: Int(n), separator: sep, size: size)
            }
        }
        var out: [UInt8] = []
        let empty: [UInt8] = []
        // The result's size is known: count it toward the memory limit before building it.
        let unit = s.count + (sep?.count ?? 0)
        var account = LuaScratchAccount()
        defer { account.release(ctx.mc) }
        if n > 0 && unit > 0 && unit <= LuaStringBasics.maxSize / Int(clamping: n) {
            let size = unit * Int(n) - (sep?.count ?? 0)
            try account.reserve(&out, extra: size, ctx.mc)
            if size >= LargeCopies.pieceBytes {
                // Charged before each piece is copied, with a return to the executor between.
                // The strings (numbers converted) stay in slots 1 and 3 while the call pauses.
                try ctx.setTop(3)
                ctx[1] = LuaValue(s)
                ctx[3] = sep.map { LuaValue($0) } ?? .nil
                let builder = RepBuilder(out: out, count: Int(n), unit: unit)
                return try LargeCopies.chargeThenContinue(&ctx, bytes: LargeCopies.pieceBytes) { ctx in
                    try repPieces(&ctx, builder)
                }
            }
        }
        do {
            try empty.withUnsafeBufferPointer { (none) throws(LuaStringLibError) in
                try LuaStringBasics.rep(s.bytes, count: n, separator: sep?.bytes ?? none, into: &out)
            }
        } catch { throw luaError(error, ctx) }
        ctx.chargeFuel(out.count >> 6)
        return try pushBytes(&ctx, out)
    }

    /// A large `string.rep` in progress: `done` of `count` repetitions are in `out`.
    final class RepBuilder {
        var out: [UInt8]
        var done = 0
        let count: Int
        /// The length of one repetition with its separator.
        let unit: Int

        init(out: [UInt8], count: Int, unit: Int) {
            self.out = out
            self.count = count
            self.unit = unit
        }
    }

    /// Copies about `LargeCopies.pieceBytes` of a large `string.rep` (already charged), then
    /// charges the next piece and pauses, or pushes the result.
    static func repPieces(_ ctx: inout LuaCallContext, _ builder: RepBuilder) throws -> LuaCallOutcome {
        var account = LuaScratchAccount()
        defer { account.release(ctx.mc) }
        try account.account(builder.out.capacity, ctx.mc)
        var out: [UInt8] = []
        swap(&out, &builder.out)
        defer { swap(&out, &builder.out) }
        let s = ctx[1].string.bytes
        let sep = ctx[3].isNil ? UnsafeBufferPointer<UInt8>(start: nil, count: 0) : ctx[3].string.bytes
        let goal = out.count &+ LargeCopies.pieceBytes
        // Short repetitions go in blocks of about 4 KB (whole repetitions with separators).
        let perBlock = max(1, 4096 / builder.unit)
        var block: [UInt8] = []
        if perBlock > 1 && builder.count - builder.done > perBlock {
            block.reserveCapacity(perBlock * builder.unit)
            for _ in 0..<perBlock {
                block.append(contentsOf: s)
                block.append(contentsOf: sep)
            }
        }
        while builder.done < builder.count && out.count < goal {
            // The last repetition has no separator after it.
            if !block.isEmpty && builder.count - builder.done > perBlock {
                out.append(contentsOf: block)
                builder.done += perBlock
            } else {
                out.append(contentsOf: s)
                builder.done += 1
                if builder.done < builder.count { out.append(contentsOf: sep) }
            }
        }
        if builder.done == builder.count {
            try ctx.push(try ctx.string(out))
            return .results(1)
        }
        return try LargeCopies.chargeThenContinue(&ctx, bytes: LargeCopies.pieceBytes) { ctx in
            try repPieces(&ctx, builder)
        }
    }

    // MARK: - format

    static func format(_ ctx: inout LuaCallContext, _ buffer: FormatBuffer) throws -> LuaCallOutcome {
        let f = try ctx.checkString(1)
        let arguments = StringArguments(&ctx, displaying: true)
        let bound = arguments.formatBound(f.bytes)
        if bound >= LargeCopies.pieceBytes {
            // A large result: charged before it is built, with a return to the executor.
            return try LargeCopies.chargeThenContinue(&ctx, bytes: bound) { ctx in
                try format(&ctx, charged: true, buffer)
            }
        }
        return try format(&ctx, f, arguments, charged: false, bound: bound, buffer)
    }

    /// `string.format` on the current arguments; `charged` when its fuel was charged up front.
    static func format(_ ctx: inout LuaCallContext, charged: Bool, _ buffer: FormatBuffer) throws -> LuaCallOutcome {
        let f = try ctx.checkString(1)
        let arguments = StringArguments(&ctx, displaying: true)
        return try format(&ctx, f, arguments, charged: charged, bound: arguments.formatBound(f.bytes), buffer)
    }

    /// `string.format` itself, with the arguments read and the result's bound computed; the
    /// result is built in `buffer`'s kept array when the bound is small.
    static func format(
        _ ctx: inout LuaCallContext, _ f: Gc<LuaString>, _ arguments: StringArguments, charged: Bool, bound: Int,
        _ buffer: FormatBuffer
    ) throws -> LuaCallOutcome {
        // Count the largest result the arguments allow toward the memory limit up front.
        var account = LuaScratchAccount()
        defer { account.release(ctx.mc) }
        var out: [UInt8]
        if bound >= LargeCopies.pieceBytes {
            out = []
            try account.reserve(&out, extra: bound, ctx.mc)
        } else {
            // Small: counted whole, built in the kept buffer (most results are far below it).
            try account.account(bound, ctx.mc)
            out = buffer.lend(capacity: min(bound, 128))
        }
        do {
            try LuaFormat.format(f.bytes, arguments: arguments, into: &out)
        } catch {
            buffer.giveBack(out)
            guard let position = error.tostringArgument else { throw luaError(error, ctx) }
            // `%s` of a value with `__tostring`: convert it (a Lua call), store the string in
            // its argument slot and format again; earlier conversions already passed.
            return try ctx.tostring(ctx[position]) { ctx, bytes in
                ctx[position] = try ctx.string(bytes)
                return try format(&ctx, charged: charged, buffer)
            }
        }
        if !charged { ctx.chargeFuel(out.count >> 6) }
        defer { buffer.giveBack(out) }
        return try pushBytes(&ctx, out)
    }

    // MARK: - pack

    static func pack(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let f = try ctx.checkString(1)
        let arguments = StringArguments(&ctx, displaying: false, packQuirk: true)
        var out: [UInt8] = []
        var account = LuaScratchAccount()
        defer { account.release(ctx.mc) }
        var memoryError: LuaError?
        do throws(LuaPackError) {
            try LuaPack.pack(format: f.bytes, arguments: arguments, into: &out) { (buffer: inout [UInt8], extra: Int) -> Bool in
                do throws(LuaError) { try account.reserve(&buffer, extra: extra, ctx.mc) } catch {
                    memoryError = error
                    return false
                }
                return true
            }
        } catch {
            if let memoryError { throw memoryError }
            throw luaError(error, ctx)
        }
        ctx.chargeFuel(out.count >> 6)
        return try pushBytes(&ctx, out)
    }

    static func packsize(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let f = try ctx.checkString(1)
        let size: Int64
        do { size = try LuaPack.packSize(format: f.bytes) } catch { throw luaError(error, ctx) }
        try ctx.push(LuaValue(size))
        return .results(1)
    }

    static func unpack(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let f = try ctx.checkString(1)
        let data = try ctx.checkString(2)
        let start = try ctx.optInteger(3, 1)
        var values: [LuaUnpackedValue] = []
        let next: Int64
        do { next = try LuaPack.unpack(format: f.bytes, data: data.bytes, init: start, into: &values) } catch {
            throw luaError(error, ctx)
        }
        if !ctx.checkStack(values.count + 1) { throw LuaError.runtime("stack overflow (too many results)") }
        for v in values {
            switch v {
            case .integer(let i): try ctx.push(LuaValue(i))
            case .number(let d): try ctx.push(LuaValue(d))
            case .string(let r):
                try ctx.push(try ctx.string(bytes: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: ctx[2].string.bytes[r]))))
            }
        }
        try ctx.push(LuaValue(next))
        return .results(values.count + 1)
    }
}
