#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LuaCore
import LuaStdlib

/// The `moonlet` command: a `lua`-compatible interpreter (lua.c's options, `arg` table,
/// error reporting and exit codes), plus `-p` and `--list` for the compiler alone.
@main
struct Moonlet {
    static let version = "Moonlet 0.1 (Lua 5.4 in Swift)"

    static func main() {
        let args = Array(CommandLine.arguments.dropFirst())
        switch MoonletOptions.parse(args, program: CommandLine.arguments.first ?? "moonlet") {
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
        case .help:
            writeOut(Array((MoonletOptions.usageText + "\n").utf8))
            exit(0)
        case .usage(let message):
            writeErr("moonlet: \(message)\n\(MoonletOptions.usageText)\n")
            exit(1)
        case .run(let options):
            exit(run(options))
        }
    }

    /// Runs steps, script and REPL in lua.c's order; returns the exit status.
    static func run(_ o: MoonletOptions) -> Int32 {
        let lua = Lua.full(ignoreEnvironment: o.ignoreEnvironment)
        lua.warningsEnabled = o.warnings
        // A memory limit in bytes, for measuring hostile scripts (Scripts/measure-memory-limits.sh).
        if let limit = getenv("MOONLET_MEMORY_LIMIT").flatMap({ Int(String(cString: $0)) }) { lua.memoryLimit = limit }
        // lua.c runs scripts with the collector in generational mode (collectgarbage reports it).
        _ = try? lua.run("collectgarbage('generational')", chunkName: "=(init)")
        if o.showVersion { writeOut(Array((version + "\n").utf8)) }
        setArgTable(lua, o)
        if !o.ignoreEnvironment, let initCode = getenv("LUA_INIT_5_4") ?? getenv("LUA_INIT") {
            let text = String(cString: initCode)
            let ok = text.hasPrefix("@") ? runFile(lua, String(text.dropFirst()), arguments: [])
                                         : runChunk(lua, Array(text.utf8), chunkName: "=LUA_INIT")
            if !ok { return 1 }
        }
        for step in o.steps {
            switch step {
            case .execute(let code):
                if !runChunk(lua, Array(code.utf8), chunkName: "=(command line)") { return 1 }
            case .require(let global, let module):
                if !runChunk(lua, Array("\(global) = require('\(module)')".utf8), chunkName: "=(command line)") { return 1 }
            }
        }
        if let script = o.script {
            let scriptArgs = Array(o.allArguments[min(o.scriptIndex + 1, o.allArguments.count)...])
            if !runFile(lua, script, arguments: scriptArgs) { return 1 }
        } else if !o.interactive && o.steps.isEmpty && !o.showVersion {
            if isatty(0) != 0 {
                writeOut(Array((version + "\n").utf8))
                REPL(lua: lua).run()
            } else if !runFile(lua, "-", arguments: []) {
                return 1
            }
        }
        if o.interactive { REPL(lua: lua).run() }
        Lua.flushStandardOutput()
        return 0
    }

    /// Builds `arg` like lua.c: the script at index 0, its arguments after it, the
    /// interpreter and its options at negative indices.
    static func setArgTable(_ lua: Lua, _ o: MoonletOptions) {
        let base = o.script == nil ? 0 : o.scriptIndex
        let source = "local base, n = ...; local a = {...}; arg = {}\n"
            + "for i = 1, n do arg[i - 1 - base] = a[i + 2] end"
        let values: [LuaHostValue] = [.integer(Int64(base)), .integer(Int64(o.allArguments.count))]
            + o.allArguments.map { .string(Array($0.utf8)) }
        guard let f = try? lua.load(Array(source.utf8), chunkName: "=(arg)") else { return }
        _ = try? lua.call(f, values)
    }

    /// Runs a script file (or stdin for "-") with `...` = its arguments.
    static func runFile(_ lua: Lua, _ path: String, arguments: [String]) -> Bool {
        let source: [UInt8]
        if path == "-" {
            source = FileBytes.readStandardInput()
        } else {
            switch FileBytes.read(path) {
            case .success(let bytes): source = bytes
            case .failure(let error):
                report("cannot open \(path)")
                _ = error
                return false
            }
        }
        let chunkName = path == "-" ? "=stdin" : "@" + path
        return runChunk(lua, source, chunkName: chunkName, arguments: arguments)
    }

    static func runChunk(_ lua: Lua, _ source: [UInt8], chunkName: String, arguments: [String] = []) -> Bool {
        do {
            let f = try lua.load(source, chunkName: chunkName)
            try lua.call(f, arguments.map { .string(Array($0.utf8)) })
            return true
        } catch {
            Lua.flushStandardOutput()
            report(error.message + (error.traceback.map { "\n" + $0 } ?? ""))
            return false
        }
    }

    static func report(_ message: String) {
        Lua.flushStandardOutput()
        writeErr("moonlet: \(message)\n")
    }

    /// Compiles `file`, reporting any error on stderr as `moonlet: message`.
    static func compile(_ file: String) -> Result<LuaPrototype, LuaSyntaxError> {
        let source: [UInt8]
        switch FileBytes.read(file) {
        case .success(let bytes):
            source = bytes
        case .failure(let error):
            // Same wording as luac's `cannot open <file>: <reason>`.
            writeErr("moonlet: cannot open \(file): \(error.reason)\n")
            return .failure(LuaSyntaxError(messageBytes: [], line: 0))
        }
        do {
            return .success(try LuaCompiler.compile(source, chunkName: "@" + file, skipFileHeader: true))
        } catch {
            writeErrBytes(Array("moonlet: ".utf8) + error.messageBytes + [10])
            return .failure(error)
        }
    }

    static func writeOut(_ bytes: [UInt8]) {
        Lua.flushStandardOutput()
        writeAll(1, bytes)
    }

    /// Writes every byte to file descriptor `fd`, retrying short writes.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
        // SAFETY: write reads only buf.count - done bytes from inside the buffer.
        bytes.withUnsafeBufferPointer { buf in
            var done = 0
            while done < buf.count {
                let n = write(fd, buf.baseAddress! + done, buf.count - done)
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
