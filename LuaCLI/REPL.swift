import LuaCore

/// The interactive loop, as lua.c 5.4's `doREPL`: a line is first tried as an expression
/// (`return <line>;`, so `1 + 1` and `= x` print their values); otherwise as a statement,
/// continued on more lines (prompt `>>`) while the only error is an unexpected `<eof>`.
/// Errors are printed without the program name and the loop goes on. `_PROMPT` and
/// `_PROMPT2` replace the prompts. Typed text is always compiled as text, never as a
/// binary chunk.
struct REPL {
    let lua: Lua

    func run() {
        let savedName = Moonlet.progname
        Moonlet.progname = nil
        let reader = LineReader()
        while let loaded = loadLine(reader) {
            switch loaded {
            case .success(let f): execute(f)
            case .failure(let message): Moonlet.report(message.text)
            }
        }
        Moonlet.writeOut([10])
        Moonlet.progname = savedName
    }

    /// lua.c's `loadline`: nil at end of input, else the compiled chunk or the error message.
    func loadLine(_ reader: LineReader) -> Result<LuaHostValue, Message>? {
        guard var line = reader.read(prompt: prompt(first: true)) else { return nil }
        if line.first == UInt8(ascii: "=") { line = Array("return ".utf8) + line.dropFirst() }
        if case .success(let f) = compile(Array("return ".utf8) + line + [UInt8(ascii: ";")]) {
            if !line.isEmpty { reader.save(line) }
            return .success(f)
        }
        while true {
            let status = compile(line)
            if case .failure(let m) = status, m.text.hasSuffix("<eof>"),
               let more = reader.read(prompt: prompt(first: false)) {
                line += [10] + more
                continue
            }
            reader.save(line)
            if case .failure(let m) = status, m.text.hasSuffix("<eof>") {
                // lua.c has already dropped the message when input ends here and prints NULL.
                return .failure(Message(text: "(null)"))
            }
            return status
        }
    }

    struct Message: Error {
        var text: String
    }

    /// Compiles typed text as text only (mode "t"): a leading ESC is not a binary signature.
    func compile(_ source: [UInt8]) -> Result<LuaHostValue, Message> {
        // A space in front changes nothing for the lexer but keeps `load` from reading
        // ESC as the start of a binary chunk; the lexer then reports the byte as lua.c does.
        let text = source.first == 0x1B ? [UInt8(ascii: " ")] + source : source
        do {
            return .success(try lua.load(text, chunkName: "=stdin"))
        } catch {
            return .failure(Message(text: error.message))
        }
    }

    /// `_PROMPT` / `_PROMPT2` through `tostring`, or lua.c's defaults.
    func prompt(first: Bool) -> String {
        let value = lua.global(first ? "_PROMPT" : "_PROMPT2")
        switch value {
        case .nil: return first ? "> " : ">> "
        case .string(let bytes): return String(decoding: bytes, as: UTF8.self)
        default:
            let text = try? lua.call(lua.global("tostring"), [value]).first?.stringValue
            return (text ?? nil) ?? value.description
        }
    }

    func execute(_ f: LuaHostValue) {
        let results: [LuaHostValue]
        do {
            results = try Interruption.whileRunning(lua) { () throws(LuaScriptError) in try lua.call(f, []) }
        } catch {
            Moonlet.report(error)
            return
        }
        guard !results.isEmpty else { return }
        do {
            try lua.call(lua.global("print"), results)
        } catch {
            Moonlet.report("error calling 'print' (\(error.message))")
        }
        Lua.flushStandardOutput()
    }
}
