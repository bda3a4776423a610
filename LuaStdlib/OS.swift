#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GCArena
import LuaCore

// The os library (PUC's loslib.c), written against C's time functions.
//
// Safe (sandbox): clock, date, difftime, time. Full adds getenv, remove, rename, tmpname,
// exit, execute and setlocale (which knows only the "C" locale).

/// The `os` library.
public enum OSLibrary {
    /// Opens `os`: the safe subset when `safe`, everything otherwise.
    public static func open(_ lua: Lua, safe: Bool) {
        var functions: [(String, LuaHostBody)] = [
            ("clock", clock),
            ("date", date),
            ("difftime", difftime),
            ("time", time),
        ]
        if !safe {
            functions += [
                ("getenv", getenv),
                ("remove", remove),
                ("rename", rename),
                ("tmpname", tmpname),
                ("exit", exit),
                ("execute", execute),
                ("setlocale", setlocale),
            ]
        }
        _ = try? lua.registerLibrary("os", functions)
        LibrarySupport.markLoaded(lua, "os")
    }

    static func clock(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        try ctx.push(LuaValue(Double(Glibc.clock()) / Double(CLOCKS_PER_SEC)))
        return .results(1)
    }

    static func difftime(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let t1 = try ctx.checkInteger(1), t2 = try ctx.checkInteger(2)
        try ctx.push(LuaValue(Double(t1) - Double(t2)))
        return .results(1)
    }

    // MARK: date

    /// Conversions lua5.4 accepts (C99's, LUA_STRFTIMEOPTIONS): one letter, or E/O plus one.
    static let singleConversions = Set("aAbBcCdDeFgGhHIjmMnprRStTuUVwWxXyYzZ%".utf8)
    static let eConversions = Set("cCxXyY".utf8)
    static let oConversions = Set("deHImMSuUVwWy".utf8)

    static func date(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        var format = ctx.argument(1).isNil ? Array("%c".utf8) : try ctx.checkBytes(1)
        let t = ctx.argument(2).isNil ? Int64(Glibc.time(nil)) : try ctx.checkInteger(2)
        var utc = false
        if format.first == UInt8(ascii: "!") { utc = true; format.removeFirst() }
        var seconds = time_t(t)
        var tm = Glibc.tm()
        let ok = utc ? gmtime_r(&seconds, &tm) != nil : localtime_r(&seconds, &tm) != nil
        guard ok else {
            throw LuaError.runtime("date result cannot be represented in this installation")
        }
        if format == Array("*t".utf8) {
            let table = try ctx.newTable(hashCapacity: 9)
            try setFields(&ctx, table, tm)
            try ctx.push(LuaValue(table))
            return .results(1)
        }
        var out: [UInt8] = []
        var i = 0
        while i < format.count {
            let c = format[i]
            if c != UInt8(ascii: "%") { out.append(c); i += 1; continue }
            var length = 0
            if i + 1 < format.count {
                let d = format[i + 1]
                if singleConversions.contains(d) {
                    length = 1
                } else if i + 2 < format.count,
                          d == UInt8(ascii: "E") && eConversions.contains(format[i + 2])
                            || d == UInt8(ascii: "O") && oConversions.contains(format[i + 2]) {
                    length = 2
                }
            }
            guard length > 0 else {
                let rest = String(decoding: format[i...], as: UTF8.self)
                throw ctx.argumentError(1, "invalid conversion specifier '\(rest)'")
            }
            let conversion = Array(format[i...(i + length)]) + [0]
            out += strftimeBytes(conversion, &tm)
            i += length + 1
        }
        try ctx.push(try ctx.string(out))
        return .results(1)
    }

    static func strftimeBytes(_ conversion: [UInt8], _ tm: inout Glibc.tm) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 256)
        let n = conversion.withUnsafeBufferPointer { f in
            buffer.withUnsafeMutableBufferPointer { b in
                f.baseAddress!.withMemoryRebound(to: CChar.self, capacity: f.count) { cf in
                    b.baseAddress!.withMemoryRebound(to: CChar.self, capacity: b.count) { cb in
                        strftime(cb, 256, cf, &tm)
                    }
                }
            }
        }
        return Array(buffer[0..<n])
    }

    /// Stores the broken-down time in `table` as os.date("*t") (and os.time) do.
    static func setFields(_ ctx: inout LuaCallContext, _ table: Gc<LuaTable>, _ tm: Glibc.tm) throws {
        // In Int64: `tm_year + 1900` passes Int32.max for the years near 2^31 that gmtime gives.
        let fields: [(String, Int64)] = [
            ("year", Int64(tm.tm_year) + 1900), ("month", Int64(tm.tm_mon) + 1), ("day", Int64(tm.tm_mday)),
            ("hour", Int64(tm.tm_hour)), ("min", Int64(tm.tm_min)), ("sec", Int64(tm.tm_sec)),
            ("yday", Int64(tm.tm_yday) + 1), ("wday", Int64(tm.tm_wday) + 1),
        ]
        for (name, value) in fields { try ctx.rawSet(table, try ctx.string(name), LuaValue(value)) }
        if tm.tm_isdst >= 0 { try ctx.rawSet(table, try ctx.string("isdst"), LuaValue(tm.tm_isdst > 0)) }
    }

    // MARK: time

    static func time(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        if ctx.argument(1).isNil {
            try ctx.push(LuaValue(Int64(Glibc.time(nil))))
            return .results(1)
        }
        let table = try ctx.checkTable(1)
        var tm = Glibc.tm()
        tm.tm_year = try field(&ctx, table, "year", default: nil, delta: 1900)
        tm.tm_mon = try field(&ctx, table, "month", default: nil, delta: 1)
        tm.tm_mday = try field(&ctx, table, "day", default: nil, delta: 0)
        tm.tm_hour = try field(&ctx, table, "hour", default: 12, delta: 0)
        tm.tm_min = try field(&ctx, table, "min", default: 0, delta: 0)
        tm.tm_sec = try field(&ctx, table, "sec", default: 0, delta: 0)
        let dst = ctx.rawGet(table, try ctx.string("isdst"))
        tm.tm_isdst = dst.isNil ? -1 : (dst.isFalsy ? 0 : 1)
        let t = mktime(&tm)
        if t == -1 {
            throw LuaError.runtime("time result cannot be represented in this installation")
        }
        try setFields(&ctx, table, tm)
        try ctx.push(LuaValue(Int64(t)))
        return .results(1)
    }

    /// PUC's getfield: an integer field (minus `delta`) that must fit a C int.
    static func field(_ ctx: inout LuaCallContext, _ table: Gc<LuaTable>, _ key: String,
                      default d: Int32?, delta: Int64) throws -> Int32 {
        let v = ctx.rawGet(table, try ctx.string(key))
        var integer: Int64?
        if v.tag == .integer {
            integer = v.integer
        } else if v.tag == .float || v.tag == .string, let n = ctx.toNumber(v) {
            integer = n.tag == .integer ? n.integer : (n.float.rounded() == n.float && abs(n.float) < 9.2e18 ? Int64(n.float) : nil)
        }
        guard let res = integer else {
            if !v.isNil { throw LuaError.runtime("field '\(key)' is not an integer") }
            guard let d else { throw LuaError.runtime("field '\(key)' missing in date table") }
            return d
        }
        let inRange = res >= 0 ? res - delta <= Int64(Int32.max) : Int64(Int32.min) + delta <= res
        guard inRange else { throw LuaError.runtime("field '\(key)' is out-of-bound") }
        return Int32(res - delta)
    }

    // MARK: The host-facing functions (full environment only)

    static func getenv(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let name = try ctx.checkBytes(1)
        guard !name.contains(0), let value = Glibc.getenv(String(decoding: name, as: UTF8.self)) else {
            try ctx.push(.nil)
            return .results(1)
        }
        try ctx.push(try ctx.string(Array(String(cString: value).utf8)))
        return .results(1)
    }

    static func remove(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let name = try ctx.checkString(1).stringValue
        errno = 0
        let ok = Glibc.remove(name) == 0
        return try LibrarySupport.fileResult(&ctx, ok, name)
    }

    static func rename(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let from = try ctx.checkString(1).stringValue
        let to = try ctx.checkString(2).stringValue
        errno = 0
        let ok = Glibc.rename(from, to) == 0
        return try LibrarySupport.fileResult(&ctx, ok, nil)
    }

    static func tmpname(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        var template = Array("/tmp/lua_XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd != -1 else { throw LuaError.runtime("unable to generate a unique filename") }
        Glibc.close(fd)
        try ctx.push(try ctx.string(template.dropLast().map { UInt8(bitPattern: $0) }))
        return .results(1)
    }

    static func exit(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let v = ctx.argument(1)
        let status: Int32
        if v.tag == .true || v.isNil { status = EXIT_SUCCESS }
        else if v.tag == .false { status = EXIT_FAILURE }
        else { status = Int32(truncatingIfNeeded: try ctx.optInteger(1, Int64(EXIT_SUCCESS))) }
        if !ctx.argument(2).isFalsy {
            // lua_close first: the host closes the state (finalizers run), then exits.
            ctx.requestCloseAndExit(status)
            return .suspend(then: { _, _ in .results(0) })
        }
        Lua.flushStandardOutput()
        fflush(nil)
        Glibc.exit(status)
    }

    static func execute(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        Lua.flushStandardOutput()
        if ctx.argument(1).isNil {
            try ctx.push(LuaValue(system(nil) != 0))
            return .results(1)
        }
        let command = try ctx.checkString(1).stringValue
        errno = 0
        let status = system(command)
        return try LibrarySupport.execResult(&ctx, status)
    }

    static func setlocale(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let v = ctx.argument(1)
        let locale: [UInt8]? = v.isNil ? nil : try ctx.checkBytes(1)
        _ = try ctx.checkOption(2, "all", ["all", "collate", "ctype", "monetary", "numeric", "time"])
        if locale == nil || locale == Array("C".utf8) || locale == [] {
            try ctx.push(try ctx.string("C"))
        } else {
            try ctx.push(.nil)
        }
        return .results(1)
    }
}
