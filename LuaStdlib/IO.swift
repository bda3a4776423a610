#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GCArena
import LuaCore

// The io library (PUC's liolib.c) over C stdio.
//
// A file handle is a full userdata whose payload is a `LuaBox<LuaFile>` and whose metatable
// is registry["FILE*"]. io.stdout does not write to C's stdout directly: it writes through
// `Lua.output`, the same sink `print` uses, so the two interleave exactly (and tests can
// capture both). io.stderr writes to C's unbuffered stderr.

// SAFETY: C stdio `FILE*` handles are owned by their userdata box; a closed handle is nil-ed out
// and every operation checks it first, so no stream is used after `fclose`.

/// An open (or closed) C stream behind a Lua file handle.
final class LuaFile {
    enum Kind { case regular, pipe, standard }
    var stream: UnsafeMutablePointer<FILE>?
    let kind: Kind
    /// Writes go to `Lua.output` instead of the stream (io.stdout).
    let writesToOutput: Bool

    init(stream: UnsafeMutablePointer<FILE>?, kind: Kind, writesToOutput: Bool = false) {
        self.stream = stream
        self.kind = kind
        self.writesToOutput = writesToOutput
    }

    var isClosed: Bool { stream == nil }
}

/// The `io` library.
public enum IOLibrary {
    static let handleKey = "FILE*"
    static let inputKey = "_IO_input"
    static let outputKey = "_IO_output"

    /// Opens `io` (there is no safe subset: the sandbox has no io). `allowProcesses` enables
    /// `io.popen`; without it, io.popen raises "'popen' not supported".
    public static func open(_ lua: Lua, allowProcesses: Bool = false) {
        _ = try? lua.registerLibrary("io", [
            ("close", close),
            ("flush", { ctx in
                let f = try defaultFile(&ctx, outputKey, "output")
                return try flush(&ctx, f)
            }),
            ("input", { ctx in try defaultFile(&ctx, inputKey, mode: "r") }),
            ("lines", linesFunction),
            ("open", openFunction),
            ("output", { ctx in try defaultFile(&ctx, outputKey, mode: "w") }),
            ("popen", { ctx in try popen(&ctx, allowed: allowProcesses) }),
            ("read", { ctx in
                let f = try defaultFile(&ctx, inputKey, "input")
                return try read(&ctx, f, formats: formatArguments(&ctx, from: 1), firstArgument: 1)
            }),
            ("tmpfile", { ctx in
                errno = 0
                let stream = Glibc.tmpfile()
                guard stream != nil else { return try LibrarySupport.fileResult(&ctx, false, nil) }
                try ctx.push(try newFile(&ctx, LuaFile(stream: stream, kind: .regular)))
                return .results(1)
            }),
            ("type", { ctx in
                let v = try ctx.checkAny(1)
                if let f = file(&ctx, v) { try ctx.push(try ctx.string(f.isClosed ? "closed file" : "file")) }
                else { try ctx.push(.nil) }
                return .results(1)
            }),
            ("write", { ctx in
                let fv = try defaultFileValue(&ctx, outputKey, "output")
                return try write(&ctx, fv, from: 1)
            }),
        ])
        let methods: [(String, LuaHostBody)] = [
            ("close", { ctx in
                _ = try checkOpenFile(&ctx, 1)
                return try closeFile(&ctx, ctx.argument(1))
            }),
            ("flush", { ctx in try flush(&ctx, try checkOpenFile(&ctx, 1)) }),
            ("lines", { ctx in
                _ = try checkOpenFile(&ctx, 1)
                return try makeLines(&ctx, ctx.argument(1), closeAtEnd: false, formatsFrom: 2)
            }),
            ("read", { ctx in
                let f = try checkOpenFile(&ctx, 1)
                return try read(&ctx, f, formats: formatArguments(&ctx, from: 2), firstArgument: 2)
            }),
            ("seek", seek),
            ("setvbuf", setvbuf),
            ("write", { ctx in
                _ = try checkOpenFile(&ctx, 1)
                return try write(&ctx, ctx.argument(1), from: 2)
            }),
        ]
        let renumbered = methods.map { ($0.0, method($0.1)) }
        let finalizer: LuaHostBody = { ctx in
            // PUC's f_gc checks its argument (luaL_checkudata), as errors.lua:320 tests.
            guard let f = file(&ctx, ctx.argument(1)) else { throw ctx.typeError(1, expected: handleKey) }
            if !f.isClosed, f.kind != .standard {
                _ = try closeFile(&ctx, ctx.argument(1))
            }
            return .results(0)
        }
        _ = try? lua.callHost("io") { ctx in
            let mt = try ctx.newTable()
            let index = try ctx.newTable()
            for (name, body) in renumbered { try ctx.rawSet(index, try ctx.string(name), try ctx.function(name, body)) }
            try ctx.rawSet(mt, ctx.name(.index), LuaValue(index))
            try ctx.rawSet(mt, try ctx.string("__name"), try ctx.string(handleKey))
            try ctx.rawSet(mt, ctx.name(.gc), try ctx.function("__gc", finalizer))
            try ctx.rawSet(mt, ctx.name(.close), try ctx.function("__close", finalizer))
            try ctx.rawSet(mt, ctx.name(.tostring), try ctx.function("__tostring") { ctx in
                guard let f = file(&ctx, ctx.argument(1)) else { throw ctx.typeError(1, expected: handleKey) }
                let text = f.stream.map { "file (0x\(String(UInt(bitPattern: $0), radix: 16)))" } ?? "file (closed)"
                try ctx.push(try ctx.string(text))
                return .results(1)
            })
            try ctx.rawSet(ctx.registry, try ctx.string(handleKey), LuaValue(mt))
            let io = ctx.rawGet(ctx.globals, try ctx.string("io"))
            guard io.tag == .table else { return .results(0) }
            let standard: [(String, UnsafeMutablePointer<FILE>?, Bool)] = [
                ("stdin", Glibc.stdin, false), ("stdout", Glibc.stdout, true), ("stderr", Glibc.stderr, false),
            ]
            for (name, stream, toOutput) in standard {
                let v = try newFile(&ctx, LuaFile(stream: stream, kind: .standard, writesToOutput: toOutput))
                try ctx.rawSet(io.table, try ctx.string(name), v)
                if name == "stdin" { try ctx.rawSet(ctx.registry, try ctx.string(inputKey), v) }
                if name == "stdout" { try ctx.rawSet(ctx.registry, try ctx.string(outputKey), v) }
            }
            try ctx.rawSet(try LibrarySupport.loadedTable(&ctx), try ctx.string("io"), io)
            return .results(0)
        }
    }

    /// File methods: `LuaCallContext.argumentError` already numbers their arguments
    /// without the receiver when they are called as `f:read(...)`, as PUC's luaL_argerror does.
    static func method(_ body: @escaping LuaHostBody) -> LuaHostBody { body }

    // MARK: Handles

    static func newFile(_ ctx: inout LuaCallContext, _ f: LuaFile) throws -> LuaValue {
        let mt = ctx.rawGet(ctx.registry, try ctx.string(handleKey))
        return try ctx.newUserdata(LuaBox(f), metatable: mt.tag == .table ? mt.table : nil, userValues: 0)
    }

    /// The file behind `v`, or nil when `v` is not a file handle.
    static func file(_ ctx: inout LuaCallContext, _ v: LuaValue) -> LuaFile? {
        ctx.payload(of: v, as: LuaBox<LuaFile>.self)?.value
    }

    /// Argument `n` as an open file (luaL_checkudata + "attempt to use a closed file").
    static func checkOpenFile(_ ctx: inout LuaCallContext, _ n: Int) throws -> LuaFile {
        guard let f = file(&ctx, ctx.argument(n)) else { throw ctx.typeError(n, expected: handleKey) }
        if f.isClosed { throw LuaError.runtime("attempt to use a closed file") }
        return f
    }

    /// The default input or output file value; an error when it is closed.
    static func defaultFileValue(_ ctx: inout LuaCallContext, _ key: String, _ what: String) throws -> LuaValue {
        let v = ctx.rawGet(ctx.registry, try ctx.string(key))
        guard let f = file(&ctx, v), !f.isClosed else { throw LuaError.runtime("default \(what) file is closed") }
        return v
    }

    static func defaultFile(_ ctx: inout LuaCallContext, _ key: String, _ what: String) throws -> LuaFile {
        file(&ctx, try defaultFileValue(&ctx, key, what))!
    }

    /// io.input / io.output: set the default from a name or a handle, return the current one.
    static func defaultFile(_ ctx: inout LuaCallContext, _ key: String, mode: String) throws -> LuaCallOutcome {
        let arg = ctx.argument(1)
        if !arg.isNil {
            let newValue: LuaValue
            if arg.tag == .string || arg.isNumber {
                let name = try ctx.checkString(1).stringValue
                newValue = try openChecked(&ctx, name, mode)
            } else {
                _ = try checkOpenFile(&ctx, 1)
                newValue = arg
            }
            try ctx.rawSet(ctx.registry, try ctx.string(key), newValue)
        }
        try ctx.push(ctx.rawGet(ctx.registry, try ctx.string(key)))
        return .results(1)
    }

    /// Opens `name` or raises "cannot open file 'name' (reason)".
    static func openChecked(_ ctx: inout LuaCallContext, _ name: String, _ mode: String) throws -> LuaValue {
        errno = 0
        guard let stream = fopen(name, mode) else {
            throw LuaError.runtime("cannot open file '\(name)' (\(String(cString: strerror(errno))))")
        }
        return try newFile(&ctx, LuaFile(stream: stream, kind: .regular))
    }

    // MARK: Opening and closing

    /// PUC's l_checkmode: [rwa]%+?b*
    static func validMode(_ mode: [UInt8]) -> Bool {
        var i = 0
        guard i < mode.count, "rwa".utf8.contains(mode[i]) else { return false }
        i += 1
        if i < mode.count && mode[i] == UInt8(ascii: "+") { i += 1 }
        while i < mode.count { if mode[i] != UInt8(ascii: "b") { return false }; i += 1 }
        return true
    }

    static func openFunction(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let name = try ctx.checkBytes(1)
        let mode = try ctx.optBytes(2, Array("r".utf8))
        guard validMode(mode) else { throw ctx.argumentError(2, "invalid mode") }
        let path = String(decoding: name, as: UTF8.self)
        errno = 0
        guard !name.contains(0), let stream = fopen(path, String(decoding: mode, as: UTF8.self)) else {
            return try LibrarySupport.fileResult(&ctx, false, path)
        }
        try ctx.push(try newFile(&ctx, LuaFile(stream: stream, kind: .regular)))
        return .results(1)
    }

    static func popen(_ ctx: inout LuaCallContext, allowed: Bool) throws -> LuaCallOutcome {
        let program = try ctx.checkString(1).stringValue
        let mode = try ctx.optBytes(2, Array("r".utf8))
        guard mode == Array("r".utf8) || mode == Array("w".utf8) else { throw ctx.argumentError(2, "invalid mode") }
        guard allowed else { throw LuaError.runtime("'popen' not supported") }
        Lua.flushStandardOutput()
        errno = 0
        guard let stream = Glibc.popen(program, String(decoding: mode, as: UTF8.self)) else {
            return try LibrarySupport.fileResult(&ctx, false, program)
        }
        try ctx.push(try newFile(&ctx, LuaFile(stream: stream, kind: .pipe)))
        return .results(1)
    }

    /// io.close([file]): the default output when no file is given.
    static func close(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let v = ctx.argumentCount == 0 ? ctx.rawGet(ctx.registry, try ctx.string(outputKey)) : ctx.argument(1)
        guard let f = file(&ctx, v) else { throw ctx.typeError(1, expected: handleKey) }
        if f.isClosed { throw LuaError.runtime("attempt to use a closed file") }
        return try closeFile(&ctx, v)
    }

    /// Closes an open handle and pushes its results (aux_close).
    static func closeFile(_ ctx: inout LuaCallContext, _ v: LuaValue) throws -> LuaCallOutcome {
        guard let f = file(&ctx, v), let stream = f.stream else { return .results(0) }
        switch f.kind {
        case .standard:
            try ctx.push(.nil)
            try ctx.push(try ctx.string("cannot close standard file"))
            return .results(2)
        case .regular:
            f.stream = nil
            errno = 0
            return try LibrarySupport.fileResult(&ctx, fclose(stream) == 0, nil)
        case .pipe:
            f.stream = nil
            errno = 0
            return try LibrarySupport.execResult(&ctx, pclose(stream))
        }
    }

    // MARK: Reading

    static func formatArguments(_ ctx: inout LuaCallContext, from first: Int) throws -> [LuaValue] {
        first <= ctx.argumentCount ? (first...ctx.argumentCount).map { ctx.argument($0) } : []
    }

    /// g_read: reads each format in turn; stops at the first failure, whose result is nil.
    static func read(_ ctx: inout LuaCallContext, _ f: LuaFile, formats: [LuaValue], firstArgument: Int) throws -> LuaCallOutcome {
        guard let stream = f.stream else { throw LuaError.runtime("attempt to use a closed file") }
        clearerr(stream)
        var results: [LuaValue] = []
        if formats.isEmpty {
            let line = readLine(stream, keepNewline: false)
            results.append(try line.map { try ctx.string($0) } ?? .nil)
        } else {
            for (i, format) in formats.enumerated() {
                let n = firstArgument + i
                var value: LuaValue?
                if format.isNumber {
                    let count: Int64
                    if format.tag == .integer { count = format.integer }
                    else if let c = Int64(exactly: format.float) { count = c }
                    else { throw ctx.argumentError(n, "number has no integer representation") }
                    if count <= 0 {
                        let c = getc(stream)
                        ungetc(c, stream)
                        value = c == EOF ? nil : try ctx.string([])
                    } else {
                        let bytes = readCount(stream, Int(min(count, Int64(Int.max / 2))))
                        value = bytes.isEmpty ? nil : try ctx.string(bytes)
                    }
                } else {
                    guard format.tag == .string else { throw ctx.typeError(n, expected: "string") }
                    var spec = Array(format.string.bytes)
                    if spec.first == UInt8(ascii: "*") { spec.removeFirst() }
                    switch spec.first {
                    case UInt8(ascii: "n"): value = readNumber(stream)
                    case UInt8(ascii: "l"): value = try readLine(stream, keepNewline: false).map { try ctx.string($0) }
                    case UInt8(ascii: "L"): value = try readLine(stream, keepNewline: true).map { try ctx.string($0) }
                    case UInt8(ascii: "a"): value = try ctx.string(readCount(stream, Int.max))
                    default: throw ctx.argumentError(n, "invalid format")
                    }
                }
                results.append(value ?? .nil)
                if value == nil { break }
            }
        }
        if ferror(stream) != 0 { return try LibrarySupport.fileResult(&ctx, false, nil) }
        for v in results { try ctx.push(v) }
        return .results(results.count)
    }

    /// A line without (or with) its newline; nil at end of file with nothing read.
    static func readLine(_ stream: UnsafeMutablePointer<FILE>, keepNewline: Bool) -> [UInt8]? {
        var line: [UInt8] = []
        var c = getc(stream)
        while c != EOF && c != 0x0A {
            line.append(UInt8(truncatingIfNeeded: c))
            c = getc(stream)
        }
        if c == 0x0A && keepNewline { line.append(0x0A) }
        return c == 0x0A || !line.isEmpty ? line : nil
    }

    /// Up to `limit` bytes (all that is left when `limit` is Int.max).
    static func readCount(_ stream: UnsafeMutablePointer<FILE>, _ limit: Int) -> [UInt8] {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while out.count < limit {
            let want = min(chunk.count, limit - out.count)
            let got = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, want, stream) }
            out.append(contentsOf: chunk[0..<got])
            if got < want { break }
        }
        return out
    }

    /// PUC's read_number (l_getn): the longest prefix that can start a numeral (at most 200
    /// characters), then Lua's own string-to-number conversion of it.
    static func readNumber(_ stream: UnsafeMutablePointer<FILE>) -> LuaValue? {
        var buffer: [UInt8] = []
        var overflow = false
        var c = getc(stream)
        func next() -> Bool {
            if buffer.count >= 200 { overflow = true; return false }
            buffer.append(UInt8(truncatingIfNeeded: c))
            c = getc(stream)
            return true
        }
        func test(_ set: String) -> Bool {
            let bytes = Array(set.utf8)
            return (c == Int32(bytes[0]) || c == Int32(bytes[1])) && next()
        }
        func isDigit(_ hex: Bool) -> Bool {
            guard c >= 0 && c < 256 else { return false }
            return hex ? isxdigit(c) != 0 : isdigit(c) != 0
        }
        func digits(_ hex: Bool) -> Int {
            var n = 0
            while isDigit(hex) && next() { n += 1 }
            return n
        }
        while c != EOF && isspace(c) != 0 { c = getc(stream) }
        var count = 0
        var hex = false
        _ = test("-+")
        if test("00") {
            if test("xX") { hex = true } else { count = 1 }
        }
        count += digits(hex)
        if test("..") { count += digits(hex) }
        if count > 0 && test(hex ? "pP" : "eE") {
            _ = test("-+")
            _ = digits(false)
        }
        ungetc(c, stream)
        if overflow { return nil }
        return buffer.withUnsafeBufferPointer { LuaNumber.parse($0) }
    }

    // MARK: Lines

    static func linesFunction(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        if ctx.argument(1).isNil {
            let v = ctx.rawGet(ctx.registry, try ctx.string(inputKey))
            if file(&ctx, v)?.isClosed ?? true { throw LuaError.runtime("attempt to use a closed file") }
            return try makeLines(&ctx, v, closeAtEnd: false, formatsFrom: 2)
        }
        let name = try ctx.checkString(1).stringValue
        let v = try openChecked(&ctx, name, "r")
        ctx[1] = v
        return try makeLines(&ctx, v, closeAtEnd: true, formatsFrom: 2)
    }

    /// The iterator (and, for io.lines(name), nil, nil, file for the generic-for's closing).
    static func makeLines(_ ctx: inout LuaCallContext, _ fileValue: LuaValue, closeAtEnd: Bool, formatsFrom: Int) throws -> LuaCallOutcome {
        let formats = try formatArguments(&ctx, from: formatsFrom)
        if formats.count > 250 { throw ctx.argumentError(252, "too many arguments") }
        let iterator = try ctx.function("lines", upvalues: [fileValue, LuaValue(closeAtEnd)] + formats, readLineIterator)
        try ctx.push(iterator)
        if !closeAtEnd { return .results(1) }
        try ctx.push(.nil)
        try ctx.push(.nil)
        try ctx.push(fileValue)
        return .results(4)
    }

    static func readLineIterator(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let fileValue = ctx.upvalue(1)
        guard let f = file(&ctx, fileValue) else { return .results(0) }
        if f.isClosed { throw LuaError.runtime("file is already closed") }
        let formats = Array(ctx.function.value.upvalues.dropFirst(2))
        try ctx.setTop(0)
        let outcome = try read(&ctx, f, formats: formats, firstArgument: 2)
        guard case .results(let n) = outcome else { return outcome }
        if n > 0 && !ctx[ctx.top - n + 1].isFalsy { return .results(n) }
        if n > 1 {
            let message = ctx[ctx.top - n + 2]
            throw LuaError.runtime(message.tag == .string ? message.string.stringValue : "?")
        }
        if !ctx.upvalue(2).isFalsy {
            try ctx.setTop(0)
            _ = try closeFile(&ctx, fileValue)
        }
        try ctx.setTop(0)
        return .results(0)
    }

    // MARK: Writing and positioning

    /// The text io.write gives a number: "%d" for integers, "%.14g" for floats (no ".0").
    static func numberText(_ v: LuaValue) -> [UInt8] {
        if v.tag == .integer { return LuaNumber.format(v.integer) }
        var text = LuaNumber.format(v.float)
        if text.count >= 2 && text[text.count - 2] == UInt8(ascii: ".") && text[text.count - 1] == UInt8(ascii: "0") {
            text.removeLast(2)
        }
        return text
    }

    /// g_write: writes arguments `from`... to the file; returns the file, or nil, message, errno.
    static func write(_ ctx: inout LuaCallContext, _ fileValue: LuaValue, from first: Int) throws -> LuaCallOutcome {
        guard let f = file(&ctx, fileValue), let stream = f.stream else {
            throw LuaError.runtime("attempt to use a closed file")
        }
        var ok = true
        errno = 0
        if first <= ctx.argumentCount {
            for n in first...ctx.argumentCount {
                let v = ctx.argument(n)
                let bytes: [UInt8]
                if v.isNumber { bytes = numberText(v) }
                else if v.tag == .string { bytes = Array(v.string.bytes) }
                else { throw ctx.typeError(n, expected: "string") }
                if f.writesToOutput {
                    bytes.withUnsafeBytes { ctx.writeOutput($0) }
                } else if !bytes.isEmpty {
                    ok = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, stream) } == bytes.count && ok
                }
            }
        }
        if !ok { return try LibrarySupport.fileResult(&ctx, false, nil) }
        try ctx.push(fileValue)
        return .results(1)
    }

    static func flush(_ ctx: inout LuaCallContext, _ f: LuaFile) throws -> LuaCallOutcome {
        errno = 0
        if f.writesToOutput { Lua.flushStandardOutput() }
        return try LibrarySupport.fileResult(&ctx, fflush(f.stream) == 0, nil)
    }

    static func seek(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let f = try checkOpenFile(&ctx, 1)
        let whence = [SEEK_SET, SEEK_CUR, SEEK_END][try ctx.checkOption(2, "cur", ["set", "cur", "end"])]
        let offset = try ctx.optInteger(3, 0)
        errno = 0
        if f.writesToOutput { Lua.flushStandardOutput() }
        if fseeko(f.stream, off_t(offset), whence) != 0 { return try LibrarySupport.fileResult(&ctx, false, nil) }
        try ctx.push(LuaValue(Int64(ftello(f.stream))))
        return .results(1)
    }

    static func setvbuf(_ ctx: inout LuaCallContext) throws -> LuaCallOutcome {
        let f = try checkOpenFile(&ctx, 1)
        let mode = [_IONBF, _IOFBF, _IOLBF][try ctx.checkOption(2, nil, ["no", "full", "line"])]
        let size = try ctx.optInteger(3, 1024)
        errno = 0
        return try LibrarySupport.fileResult(&ctx, Glibc.setvbuf(f.stream, nil, mode, Int(max(0, size))) == 0, nil)
    }
}
