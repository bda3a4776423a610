#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LuaCore
import LuaStdlib

/// The `moonlet` command: a `lua`-compatible interpreter (lua.c 5.4's options, `arg` table,
/// messages and exit codes), plus `-p` and `--list` for the compiler alone.
@main
struct Moonlet {
    static let version = "Moonlet 0.1 (Lua 5.4 in Swift)"

    /// The name errors are prefixed with: `argv[0]`, as lua.c's `progname`; `nil` while the
    /// REPL runs (lua.c prints interactive errors bare).
    nonisolated(unsafe) static var progname: String? = "moonlet"

    static func main() {
        let argv = CommandLine.arguments
        if let first = argv.first, !first.isEmpty { progname = first }
        let program = progname ?? "moonlet"
        switch MoonletOptions.parse(Array(argv.dropFirst()), program: argv.first ?? program) {
        case .check(let files):
            // The prototypes stay alive until exit: tearing a large tree down object by
            // object only to end the process would cost more than parsing some files.
            var compiled: [LuaPrototype] = []
            for file in files {
                guard case .success(let proto) = compile(file) else { exit(1) }
                compiled.append(proto)
            }
            withExtendedLifetime(compiled) { exit(0) }
        case .list(let file):
            guard case .success(let proto) = compile(file) else { exit(1) }
            writeOut(LuaListing.renderBytes(proto))
            withExtendedLifetime(proto) { exit(0) }
        case .usage(let bad):
            writeErr("\(program): \(MoonletOptions.complaint(badOption: bad))\n"
                     + MoonletOptions.usageText(program: program))
            exit(1)
        case .run(let options):
            exit(run(options))
        }
    }

    /// Runs LUA_INIT, options, script and REPL in lua.c's order; returns the exit status.
    static func run(_ o: MoonletOptions) -> Int32 {
        if o.showVersion { printVersion() }
        let lua = Lua.full(ignoreEnvironment: o.ignoreEnvironment)
        // lua.c: finalizers have no instruction budget, and lua_close runs the pending ones
        // whatever the outcome.
        lua.finalizerFuel = Int.max
        captureErrorObjectHelpers(lua)
        // A memory limit in bytes, for measuring hostile scripts (Scripts/measure-memory-limits.sh).
        if let limit = getenv("MOONLET_MEMORY_LIMIT").flatMap({ Int(String(cString: $0)) }) {
            lua.memoryLimit = limit
        } else if let limit = addressSpaceLimit() {
            // Under `ulimit -v` a failed Swift allocation would abort the process; stopping
            // the arena at half the address space leaves room for allocator overhead and
            // the runtime, so scripts get "not enough memory" instead (issue 10 item 6).
            lua.memoryLimit = limit / 2
        }
        let status = run(o, lua)
        lua.close()
        Lua.flushStandardOutput()
        return status
    }

    /// The process's address-space limit (`ulimit -v`) in bytes, or nil when unlimited.
    static func addressSpaceLimit() -> Int? {
        var limit = rlimit()
        #if canImport(Glibc)
        let resource = __rlimit_resource_t(RLIMIT_AS.rawValue)
        #else
        let resource = RLIMIT_AS
        #endif
        guard getrlimit(resource, &limit) == 0, limit.rlim_cur < rlim_t(Int.max) else { return nil }
        return Int(clamping: limit.rlim_cur)
    }

    static func run(_ o: MoonletOptions, _ lua: Lua) -> Int32 {
        // lua.c runs scripts with the collector in generational mode (lua_gc(L, LUA_GCGEN, 0, 0)).
        lua.collectorMode = .generational
        setArgTable(lua, o)
        if !o.ignoreEnvironment && !handleLuaInit(lua) { return 1 }
        for step in o.steps {
            switch step {
            case .execute(let code):
                if !runChunk(lua, Array(code.utf8), chunkName: "=(command line)") { return 1 }
            case .require(let global, let module):
                if !requireModule(lua, global: global, module: module) { return 1 }
            case .warningsOn:
                lua.warningsEnabled = true
            }
        }
        if let script = o.script {
            let scriptArgs = Array(o.allArguments.dropFirst(o.scriptIndex + 1))
            if !runFile(lua, o.scriptIsStandardInput ? nil : script, arguments: scriptArgs) { return 1 }
        }
        if o.interactive {
            REPL(lua: lua).run()
        } else if o.script == nil && !o.hasExecute && !o.showVersion {
            if isatty(0) != 0 {
                printVersion()
                REPL(lua: lua).run()
            } else {
                // lua.c ignores the status here: an error in piped code still exits with 0.
                _ = runFile(lua, nil, arguments: [])
            }
        }
        Lua.flushStandardOutput()
        return 0
    }

    static func printVersion() { writeOut(Array((version + "\n").utf8)) }

    /// `LUA_INIT_5_4`, else `LUA_INIT`: a chunk, or `@file` to run a file.
    static func handleLuaInit(_ lua: Lua) -> Bool {
        var name = "LUA_INIT_5_4"
        var value = getenv(name)
        if value == nil {
            name = "LUA_INIT"
            value = getenv(name)
        }
        guard let value else { return true }
        let text = Array(String(cString: value).utf8)
        if text.first == UInt8(ascii: "@") {
            return runFile(lua, String(decoding: text.dropFirst(), as: UTF8.self), arguments: [])
        }
        return runChunk(lua, text, chunkName: "=" + name)
    }

    /// Builds `arg` like lua.c's `createargtable`: the script at index 0, its arguments after
    /// it (the array part), the interpreter and its options at negative indices.
    static func setArgTable(_ lua: Lua, _ o: MoonletOptions) {
        var array: [LuaHostValue] = []
        var fields: [(LuaHostValue, LuaHostValue)] = []
        for (i, argument) in o.allArguments.enumerated() {
            let key = i - o.scriptIndex
            let value = LuaHostValue.string(Array(argument.utf8))
            if key >= 1 { array.append(value) } else { fields.append((.integer(Int64(key)), value)) }
        }
        guard let table = try? lua.createTable(array: array, fields: fields) else { return }
        try? lua.setGlobal("arg", table.value)
    }

    /// `-l g=mod`: `g = require(mod)`, calling `require` itself as lua.c's `dolibrary` does.
    static func requireModule(_ lua: Lua, global: String, module: String) -> Bool {
        do {
            let results = try lua.call(lua.global("require"), [.string(Array(module.utf8))])
            try lua.setGlobal(global, results.first ?? .nil)
            return true
        } catch {
            report(error)
            return false
        }
    }

    /// Runs a script file (standard input for `nil`) with `...` = its arguments, as lua.c's
    /// `luaL_loadfile` + `docall`.
    static func runFile(_ lua: Lua, _ path: String?, arguments: [String]) -> Bool {
        let source: [UInt8]
        if let path {
            switch FileBytes.read(path) {
            case .success(let bytes): source = bytes
            case .failure(let error):
                report("cannot \(error.operation) \(path): \(error.reason)")
                return false
            }
        } else {
            source = FileBytes.readStandardInput()
        }
        return runChunk(lua, source, chunkName: path.map { "@" + $0 } ?? "=stdin", arguments: arguments)
    }

    static func runChunk(_ lua: Lua, _ source: [UInt8], chunkName: String, arguments: [String] = []) -> Bool {
        do {
            let f = try lua.load(source, chunkName: chunkName)
            _ = try Interruption.whileRunning(lua) { () throws(LuaScriptError) in try lua.call(f, arguments.map { .string(Array($0.utf8)) }) }
            return true
        } catch {
            report(error)
            return false
        }
    }

    /// Prints an error with its traceback, as lua.c's `msghandler` + `report`: an error object
    /// that is not a string but has a `__tostring` metamethod producing a string is printed
    /// as that string, without a traceback.
    static func report(_ error: LuaScriptError) {
        if let text = errorObjectText(error) { return report(text) }
        report(error.message + (error.traceback.map { "\n" + $0 } ?? ""))
    }

    /// `debug.getmetatable`, `rawget` and `type` as the state was created, for `msghandler`'s
    /// `luaL_callmeta(L, 1, "__tostring")` (raw metatable and raw field, so a script cannot
    /// redirect it).
    nonisolated(unsafe) static var errorObjectHelpers: (lua: Lua, functions: [LuaHostValue])?
    /// That `luaL_callmeta`, written in Lua; compiled on the first error object that needs it,
    /// not at every start (papers/luacore-vm.md, "Start-up").
    nonisolated(unsafe) static var callToString: LuaHostValue?

    static func captureErrorObjectHelpers(_ lua: Lua) {
        guard let globals = try? lua.globals, let debug = try? globals.get("debug", as: LuaTableRef.self),
              let getmetatable = try? debug.rawGet("getmetatable"), let rawget = try? globals.rawGet("rawget"),
              let type = try? globals.rawGet("type") else { return }
        errorObjectHelpers = (lua, [getmetatable, rawget, type])
    }

    static func errorObjectText(_ error: LuaScriptError) -> String? {
        guard let value = error.value, case .object = value, let (lua, helpers) = errorObjectHelpers else { return nil }
        if callToString == nil {
            let source = """
                local getmetatable, rawget, type = ...
                return function(v)
                  local mt = getmetatable(v)
                  local f = mt and rawget(mt, "__tostring")
                  if f then local s = f(v) if type(s) == "string" then return s end end
                end
                """
            guard let chunk = try? lua.load(Array(source.utf8), chunkName: "=(msghandler)") else { return nil }
            callToString = try? lua.call(chunk, helpers).first
        }
        guard let f = callToString, let result = try? lua.call(f, [value]).first,
              case .string(let bytes) = result else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// lua.c's `l_message`: `progname: message`, or the message alone in the REPL.
    static func report(_ message: String) {
        Lua.flushStandardOutput()
        writeErr((progname.map { $0 + ": " } ?? "") + message + "\n")
    }

    /// Compiles `file`, reporting any error on stderr as luac does (`progname: message`).
    static func compile(_ file: String) -> Result<LuaPrototype, LuaSyntaxError> {
        let source: [UInt8]
        switch FileBytes.read(file) {
        case .success(let bytes):
            source = bytes
        case .failure(let error):
            report("cannot \(error.operation) \(file): \(error.reason)")
            return .failure(LuaSyntaxError(messageBytes: [], line: 0))
        }
        do {
            return .success(try LuaCompiler.compile(source, chunkName: "@" + file, skipFileHeader: true))
        } catch {
            writeErrBytes(Array(((progname ?? "moonlet") + ": ").utf8) + error.messageBytes + [10])
            return .failure(error)
        }
    }

    static func writeOut(_ bytes: [UInt8]) {
        Lua.flushStandardOutput()
        writeAll(1, bytes)
    }

    /// Writes every byte to file descriptor `fd`, retrying short and interrupted writes.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { buf in
            guard let base = buf.baseAddress else { return }
            var done = 0
            while done < buf.count {
                // SAFETY: write reads only buf.count - done bytes from inside the buffer.
                let n = write(fd, base + done, buf.count - done)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return }
                done += n
            }
        }
    }

    static func writeErr(_ text: String) { writeErrBytes(Array(text.utf8)) }

    static func writeErrBytes(_ bytes: [UInt8]) {
        writeAll(2, bytes)
    }
}
