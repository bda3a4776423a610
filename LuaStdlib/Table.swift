import GCArena
import LuaCore

// The table library (Lua 5.4 §6.6, PUC's ltablib.c): concat, insert, move, pack, remove,
// sort (Table+Sort.swift), unpack. Every element access is lua_geti/lua_seti: it honours
// `__index`/`__newindex` (and lengths honour `__len`), calling them through continuations
// (MetaSteps.swift); plain tables take the raw path without leaving Swift.

enum TableLibrary {
    static var functions: [(String, LuaHostBody)] {
        [
            ("concat", concat),
            ("insert", insert),
            ("move", move),
            ("pack", pack),
            ("remove", remove),
            ("sort", TableSort.sort),
            ("unpack", unpack),
        ]
    }

    /// Creates the global `table`.
    static func open(_ lua: Lua) {
        _ = try? lua.registerLibrary("table", functions)
    }

    /// What a non-table argument must support to stand in for a table (PUC's `checktab`).
    struct Access: OptionSet {
        let rawValue: Int
        static let read = Access(rawValue: 1)
        static let write = Access(rawValue: 2)
        static let length = Access(rawValue: 4)
    }

    /// Argument `n` must be a table or have a metatable with the metamethods `what` needs.
    static func checkTable(_ ctx: inout LuaCallContext, _ n: Int, _ what: Access) throws {
        let v = ctx.argument(n)
        if v.tag == .table { return }
        if let mt = ctx.metatable(of: v),
           !what.contains(.read) || !ctx.rawGet(mt, ctx.name(.index)).isNil,
           !what.contains(.write) || !ctx.rawGet(mt, ctx.name(.newindex)).isNil,
           !what.contains(.length) || !ctx.rawGet(mt, ctx.name(.len)).isNil {
            return
        }
        throw ctx.typeError(n, expected: "table")
    }

    /// Copies `dst[to + o] = src[from + o]` for the offsets `o` in `0..<count` (ascending, or
    /// descending when `descending`), starting at step `k`; the tables sit in stack slots
    /// `source` and `destination`. Then `then`.
    static func copyElements(_ ctx: inout LuaCallContext, source: Int, destination: Int, from: Int64, to: Int64,
                             k start: Int64, count: Int64, descending: Bool,
                             then: @escaping (inout LuaCallContext) throws -> LuaCallOutcome) throws -> LuaCallOutcome {
        let src = ctx[source], dst = ctx[destination]
        var k = start
        while k < count {
            if k &- start >= moveSlice {
                // A slice of elements moved: charge it and let the executor run, so fuel,
                // deadlines and interrupts stop `table.move(t, 1, math.maxinteger)` as they
                // stop a loop (it used to run to the end inside this one call).
                ctx.chargeFuel(Int(moveSlice))
                let resume = k
                return try LargeCopies.chargeThenContinue(&ctx, bytes: 0) { ctx in
                    try copyElements(&ctx, source: source, destination: destination, from: from, to: to,
                                     k: resume, count: count, descending: descending, then: then)
                }
            }
            let offset = descending ? count - 1 - k : k
            let key = LuaValue(from &+ offset), target = LuaValue(to &+ offset)
            let next = k + 1
            switch try ctx.indexStep(src, key) {
            case .value(let v):
                switch try ctx.newIndexStep(dst, target, v) {
                case .done:
                    k = next
                    continue
                case .call(let f, let receiver):
                    return try ctx.callForValue(f, [receiver, target, v]) { ctx, _ in
                        try copyElements(&ctx, source: source, destination: destination, from: from, to: to,
                                         k: next, count: count, descending: descending, then: then)
                    }
                }
            case .call(let f, let receiver):
                return try ctx.callForValue(f, [receiver, key]) { ctx, v in
                    try ctx.setIndex(ctx[destination], target, v) { ctx in
                        try copyElements(&ctx, source: source, destination: destination, from: from, to: to,
                                         k: next, count: count, descending: descending, then: then)
                    }
                }
            }
        }
        ctx.chargeFuel(Int(truncatingIfNeeded: k &- start))
        return try then(&ctx)
    }

    /// `insert`'s and `remove`'s shifts on a plain table whose array part holds every key
    /// involved: `t[i] = t[i - 1]` for `i` = `hi` down to `lo + 1` (`up`), or `t[i] = t[i + 1]`
    /// for `i` = `lo` up to `hi - 1`, as one memmove. False (nothing done) otherwise; the
    /// caller then takes the general path. Charges the fuel `copyElements` would.
    static func shiftArray(_ ctx: inout LuaCallContext, lo: Int64, hi: Int64, up: Bool) -> Bool {
        let tv = ctx[1]
        guard tv.tag == .table else { return false }
        let t = tv.table
        guard t.metatable == nil, lo >= 1, lo < hi, hi <= Int64(t.arrayCount), let base = t.arrayBase else { return false }
        let n = Int(hi - lo)
        // SAFETY: 1 <= lo < hi <= arrayCount, so slots lo - 1 ..< hi are in the array part;
        // no Lua code runs meanwhile. The values stay in the same table, and the barrier
        // covers the rest.
        let from = up ? base + Int(lo - 1) : base + Int(lo)
        let to = up ? base + Int(lo) : base + Int(lo - 1)
        UnsafeMutableRawPointer(to).copyMemory(from: UnsafeRawPointer(from), byteCount: n * MemoryLayout<LuaValue>.stride)
        ctx.mc.backwardBarrier(t)
        ctx.chargeFuel(n)
        return true
    }

    /// How many elements `table.move` moves between returns to the executor.
    static let moveSlice: Int64 = 4096

    static func insert(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        try checkTable(&ctx, 1, [.read, .write, .length])
        let argc = ctx.argumentCount
        let tv = ctx[1]
        if tv.tag == .table && tv.table.metatable == nil {
            // A plain table: its length is at hand, no continuation (and no closure context).
            return try insert(&ctx, length: tv.table.length(), argumentCount: argc)
        }
        return try ctx.lengthAsInteger(tv) { ctx, n in try insert(&ctx, length: n, argumentCount: argc) }
    }

    /// `table.insert` once the length `n` is known.
    static func insert(_ ctx: inout LuaCallContext, length n: Int64, argumentCount argc: Int) throws -> LuaCallOutcome {
        let e = n &+ 1  // first empty element
        switch argc {
        case 2:
            return try ctx.setIndex(ctx[1], LuaValue(e), ctx[2]) { _ in .results(0) }
        case 3:
            let pos = try ctx.checkInteger(2)
            // pos in [1, e]
            guard UInt64(bitPattern: pos) &- 1 < UInt64(bitPattern: e) else {
                throw ctx.argumentError(2, "position out of bounds")
            }
            // t[i] = t[i - 1] for i = e down to pos + 1, then t[pos] = v.
            ctx.chargeFuel(e > pos ? Int(truncatingIfNeeded: e - pos) : 0)
            if e > pos, shiftArray(&ctx, lo: pos, hi: e, up: true) {
                return try ctx.setIndex(ctx[1], LuaValue(pos), ctx[3]) { _ in .results(0) }
            }
            return try copyElements(&ctx, source: 1, destination: 1, from: pos, to: pos &+ 1, k: 0,
                                    count: e > pos ? e - pos : 0, descending: true) { ctx in
                try ctx.setIndex(ctx[1], LuaValue(pos), ctx[3]) { _ in .results(0) }
            }
        default:
            throw LuaError.runtime("wrong number of arguments to 'insert'")
        }
    }

    static func remove(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        try checkTable(&ctx, 1, [.read, .write, .length])
        let tv = ctx[1]
        if tv.tag == .table && tv.table.metatable == nil {
            // A plain table: no Lua code can run, so no continuation (and no closure context
            // to allocate) is needed to read the removed element.
            let size = tv.table.length()
            let pos = try removePosition(&ctx, size)
            try ctx.setTop(2)
            try ctx.push(tv.table.get(integer: pos))
            return try finishRemove(&ctx, pos: pos, size: size)
        }
        return try ctx.lengthAsInteger(tv) { ctx, size in
            let pos = try removePosition(&ctx, size)
            try ctx.setTop(2)
            return try ctx.getIndex(ctx[1], LuaValue(pos)) { ctx, removed in
                try ctx.push(removed)  // slot 3: the result, kept on the stack
                return try finishRemove(&ctx, pos: pos, size: size)
            }
        }
    }

    /// `table.remove`'s position argument, checked against the length `size`.
    static func removePosition(_ ctx: inout LuaCallContext, _ size: Int64) throws -> Int64 {
        let pos = try ctx.optInteger(2, size)
        // pos in [1, size + 1] when given
        if pos != size && UInt64(bitPattern: pos) &- 1 > UInt64(bitPattern: size) {
            throw ctx.argumentError(1, "position out of bounds")
        }
        return pos
    }

    /// The rest of `table.remove` once `t[pos]` is in slot 3: shift the elements above it down.
    static func finishRemove(_ ctx: inout LuaCallContext, pos: Int64, size: Int64) throws -> LuaCallOutcome {
        // t[i] = t[i + 1] for i = pos ..< size, then t[last] = nil.
        // `size - pos` passes Int64.max when `__len` says maxinteger and `pos` is
        // mininteger (found by the stdlib fuzz target); PUC then loops 2^64 times, so
        // clamping changes nothing a script can observe: fuel ends it long before.
        let count = pos < size ? Int64(bitPattern: min(UInt64(bitPattern: size &- pos), UInt64(Int64.max))) : 0
        // Shifting is work the slice pays for (found by the vm fuzz target).
        ctx.chargeFuel(Int(truncatingIfNeeded: count))
        if count == 0 || shiftArray(&ctx, lo: pos, hi: pos &+ count, up: false) {
            return try ctx.setIndex(ctx[1], LuaValue(pos &+ count), .nil) { _ in .results(1) }
        }
        return try copyElements(&ctx, source: 1, destination: 1, from: pos &+ 1, to: pos, k: 0,
                                count: count, descending: false) { ctx in
            try ctx.setIndex(ctx[1], LuaValue(pos &+ count), .nil) { _ in .results(1) }
        }
    }

    static func move(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let f = try ctx.checkInteger(2)
        let e = try ctx.checkInteger(3)
        let t = try ctx.checkInteger(4)
        let tt = ctx.argument(5).isNil ? 1 : 5
        try checkTable(&ctx, 1, .read)
        try checkTable(&ctx, tt, .write)
        try ctx.setTop(5)
        let finish: (inout LuaCallContext) throws -> LuaCallOutcome = { ctx in
            try ctx.push(ctx[tt])
            return .results(1)
        }
        guard e >= f else { return try finish(&ctx) }
        guard f > 0 || e < Int64.max &+ f else { throw ctx.argumentError(3, "too many elements to move") }
        let n = e - f + 1
        guard t <= Int64.max - n + 1 else { throw ctx.argumentError(4, "destination wrap around") }
        let run: (inout LuaCallContext, Bool) throws -> LuaCallOutcome = { ctx, ascending in
            try copyElements(&ctx, source: 1, destination: tt, from: f, to: t, k: 0, count: n,
                                    descending: !ascending, then: finish)
        }
        if t > e || t <= f { return try run(&ctx, true) }
        if tt == 1 { return try run(&ctx, false) }
        // Different destination argument: ascending unless it is the same table (`lua_compare` with `__eq`).
        let a = ctx[1], b = ctx[tt]
        if ctx.rawEquals(a, b) { return try run(&ctx, false) }
        guard a.tag == b.tag, a.tag == .table || a.tag == .userdata else { return try run(&ctx, true) }
        var tm = ctx.metamethod(a, .eq)
        if tm.isNil { tm = ctx.metamethod(b, .eq) }
        if tm.isNil { return try run(&ctx, true) }
        return try ctx.callForValue(tm, [a, b]) { ctx, equal in try run(&ctx, equal.isFalsy) }
    }

    static func concat(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        try checkTable(&ctx, 1, [.read, .length])
        return try ctx.lengthAsInteger(ctx[1]) { ctx, length in
            let given = ctx[2]
            if given.tag == .string || given.isNil {
                // A string separator stays in its stack slot (strings never move): no copy.
                let first = try ctx.optInteger(3, 1)
                let last = try ctx.optInteger(4, length)
                let bytes = given.tag == .string ? given.string.bytes : UnsafeBufferPointer(start: nil, count: 0)
                if let done = try concatShort(&ctx, i: first, last: last, separator: bytes) { return done }
                let separator = Array(bytes)
                if let done = try concatRaw(&ctx, i: first, last: last, separator: separator, charged: false) {
                    return done
                }
                return try concatFields(&ctx, i: first, last: last, separator: separator, buffer: [])
            }
            let separator = try ctx.optBytes(2, [])
            let first = try ctx.optInteger(3, 1)
            let last = try ctx.optInteger(4, length)
            if let done = try concatRaw(&ctx, i: first, last: last, separator: separator, charged: false) {
                return done
            }
            return try concatFields(&ctx, i: first, last: last, separator: separator, buffer: [])
        }
    }

    /// A bound on the length of fields `start...last` (`start <= last`) joined with
    /// `separator` bytes between them: strings at their length, numbers at their longest
    /// form. Also the number of fields. Nil when a field is neither a string nor a number, or
    /// the bound passes `limit` (or overflows).
    @inline(__always)
    static func concatBound(_ t: Gc<LuaTable>, _ start: Int64, _ last: Int64, separator: Int,
                            limit: Int = .max) -> (size: Int, count: Int)? {
        var size = 0
        var count = 0
        var i = start
        while true {
            let v = t.get(integer: i)
            switch v.tag {
            case .string: size = size &+ v.string.count
            case .integer, .float: size = size &+ LuaNumber.maxFormattedLength
            default: return nil
            }
            count &+= 1
            if size > limit || size < 0 { return nil }
            if i == last { return (size, count) }
            size = size &+ separator
            i += 1
        }
    }

    /// The common case in one pass over a buffer sized up front: a table without a
    /// metatable whose fields `i...last` are all strings or numbers. Nil when anything else
    /// is met (`concatFields` then does the general work, errors included).
    /// A large result (`LargeCopies`) is charged first, with a return to the executor, and
    /// built when the call continues (`charged`).
    static func concatRaw(_ ctx: inout LuaCallContext, i start: Int64, last: Int64,
                          separator: [UInt8], charged: Bool) throws -> LuaCallOutcome? {
        guard ctx[1].tag == .table, ctx.metatable(of: ctx[1]) == nil else { return nil }
        if start > last { return try pushString(&ctx, []) }
        let t = ctx[1].table
        // First pass: the size bound and the field check.
        guard let (size, count) = concatBound(t, start, last, separator: separator.count) else { return nil }
        if size >= LargeCopies.pieceBytes && !charged {
            return try LargeCopies.chargeThenContinue(&ctx, bytes: size) { ctx in
                if let done = try concatRaw(&ctx, i: start, last: last, separator: separator, charged: true) {
                    return done
                }
                return try concatFields(&ctx, i: start, last: last, separator: separator, buffer: [])
            }
        }
        var account = LuaScratchAccount()
        defer { account.release(ctx.mc) }
        try account.account(size, ctx.mc)
        try LuaScratchAccount.probe(size, ctx.mc)
        // Second pass: the pieces copied straight into a buffer of the bound's size (no Lua
        // code ran since the first pass, so the fields are still strings and numbers).
        let buffer = separator.withUnsafeBufferPointer { sep in
            [UInt8](unsafeUninitializedCapacity: max(size, 1)) { out, written in
                // SAFETY: `out` has `size` bytes: each string counts its length and each number
                // `maxFormattedLength` (the most `LuaNumber.format` writes), plus the separators.
                let base = out.baseAddress.unsafelyUnwrapped
                var n = 0
                var i = start
                while true {
                    let v = t.get(integer: i)
                    switch v.tag {
                    case .string:
                        let bytes = v.string.bytes
                        if let p = bytes.baseAddress { (base + n).initialize(from: p, count: bytes.count) }
                        n &+= bytes.count
                    case .integer: n &+= LuaNumber.format(v.integer, into: base + n)
                    default: n &+= LuaNumber.format(v.float, into: base + n)
                    }
                    if i == last { break }
                    if let p = sep.baseAddress { (base + n).initialize(from: p, count: sep.count) }
                    n &+= sep.count
                    i += 1
                }
                written = n
            }
        }
        ctx.chargeFuel(charged ? count : count &+ buffer.count >> 6)
        return try pushString(&ctx, buffer)
    }

    /// Appends `t[i]`, a separator, `t[i + 1]`, ... up to `t[last]`, then pushes the string.
    static func concatFields(_ ctx: inout LuaCallContext, i start: Int64, last: Int64, separator: [UInt8],
                             buffer: [UInt8]) throws -> LuaCallOutcome {
        var buffer = buffer
        // The buffer counts toward the memory limit while this stretch of the call runs
        // (again from its start after each `__index` call).
        var account = LuaScratchAccount()
        defer { account.release(ctx.mc) }
        var i = start
        while i <= last {
            let index = i
            let add: (inout LuaCallContext, LuaValue, inout [UInt8], inout LuaScratchAccount) throws -> Void = {
                ctx, v, buffer, account in
                let more = index < last ? separator.count : 0
                switch v.tag {
                case .string:
                    try account.reserve(&buffer, extra: v.string.count &+ more, ctx.mc)
                    buffer.append(contentsOf: v.string.bytes)
                case .integer, .float:
                    try account.reserve(&buffer, extra: 64 &+ more, ctx.mc)
                    buffer.append(contentsOf: ctx.basicToString(v))
                default:
                    throw LuaError.runtime("invalid value (\(ctx.typeName(v))) at index \(index) in table for 'concat'")
                }
                if more > 0 { buffer.append(contentsOf: separator) }
                ctx.chargeFuel(1 &+ (v.tag == .string ? v.string.count &+ more : more) >> 6)
            }
            switch try ctx.indexStep(ctx[1], LuaValue(i)) {
            case .value(let v):
                try add(&ctx, v, &buffer, &account)
            case .call(let f, let receiver):
                account.release(ctx.mc)
                // Moved, not copied: the continuation owns the buffer from here.
                let sofar = buffer
                buffer = []
                return try ctx.callForValue(f, [receiver, LuaValue(index)]) { ctx, v in
                    var buffer = sofar
                    var account = LuaScratchAccount()
                    defer { account.release(ctx.mc) }
                    try add(&ctx, v, &buffer, &account)
                    if index == last { return try pushString(&ctx, buffer) }
                    account.release(ctx.mc)
                    return try concatFields(&ctx, i: index + 1, last: last, separator: separator, buffer: buffer)
                }
            }
            if i == last { break }
            i += 1
        }
        return try pushString(&ctx, buffer)
    }

    static func pushString(_ ctx: inout LuaCallContext, _ bytes: [UInt8]) throws -> LuaCallOutcome {
        try ctx.push(try ctx.string(bytes))
        return .results(1)
    }

    static func pack(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let n = ctx.argumentCount
        let t = try ctx.newTable(arrayCapacity: n, hashCapacity: 1)
        for i in stride(from: 1, through: n, by: 1) {
            try ctx.rawSet(t, LuaValue(Int64(i)), ctx[i])
        }
        try ctx.rawSet(t, try ctx.string("n"), LuaValue(Int64(n)))
        try ctx.push(LuaValue(t))
        return .results(1)
    }

    static func unpack(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let first = try ctx.optInteger(2, 1)
        if ctx.argument(3).isNil {
            return try ctx.lengthAsInteger(ctx[1]) { ctx, last in try unpackRange(&ctx, first, last) }
        }
        return try unpackRange(&ctx, first, try ctx.checkInteger(3))
    }

    static func unpackRange(_ ctx: inout LuaCallContext, _ first: Int64, _ last: Int64) throws -> LuaCallOutcome {
        if first > last { return .results(0) }
        let count = UInt64(bitPattern: last) &- UInt64(bitPattern: first)  // count - 1
        guard count < UInt64(Int32.max), ctx.checkStack(Int(count) + 1) else {
            throw LuaError.runtime("too many results to unpack")
        }
        try ctx.setTop(3)
        return try unpackFrom(&ctx, first, last, pushed: 0)
    }

    /// Pushes `t[i] ... t[last]`; `pushed` values are already on top.
    static func unpackFrom(_ ctx: inout LuaCallContext, _ start: Int64, _ last: Int64, pushed: Int) throws -> LuaCallOutcome {
        let t = ctx[1]
        var i = start, pushed = pushed
        if t.tag == .table && t.table.metatable == nil {
            let table = t.table
            while true {
                try ctx.push(table.get(integer: i))
                pushed += 1
                if i == last { return .results(pushed) }
                i += 1
            }
        }
        while true {
            switch try ctx.indexStep(t, LuaValue(i)) {
            case .value(let v):
                try ctx.push(v)
                pushed += 1
            case .call(let f, let receiver):
                let index = i, count = pushed + 1
                return try ctx.callForValue(f, [receiver, LuaValue(i)]) { ctx, v in
                    try ctx.push(v)
                    if index == last { return .results(count) }
                    return try unpackFrom(&ctx, index + 1, last, pushed: count)
                }
            }
            if i == last { return .results(pushed) }
            i += 1
        }
    }
}
