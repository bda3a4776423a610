#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LuaCore

/// The interactive loop, as lua.c's: a line is first tried as an expression (`return line`,
/// so `1 + 1` and `= x` print their values); an incomplete statement continues on the next
/// line with the `>>` prompt; errors are printed and the loop goes on.
struct REPL {
    let lua: Lua

    func run() {
        while let first = readLine(prompt: "> ") {
            var source = first
            if source.hasPrefix("=") { source = "return " + source.dropFirst() }
            while true {
                switch compile(source) {
                case .ready(let f):
                    execute(f)
                case .incomplete:
                    guard let more = readLine(prompt: ">> ") else { return }
                    source += "\n" + more
                    continue
                case .failed(let message):
                    report(message)
                }
                break
            }
        }
        Moonlet.writeOut([10])
    }

    enum Compiled {
        case ready(LuaHostValue)
        case incomplete
        case failed(String)
    }

    func compile(_ source: String) -> Compiled {
        if let f = try? lua.load(Array(("return " + source).utf8), chunkName: "=stdin") { return .ready(f) }
        do {
            return .ready(try lua.load(Array(source.utf8), chunkName: "=stdin"))
        } catch {
            return error.message.hasSuffix("<eof>") ? .incomplete : .failed(error.message)
        }
    }

    func execute(_ f: LuaHostValue) {
        do {
            let results = try lua.call(f, [])
            if !results.isEmpty {
                let printer = try lua.load(Array("print(...)".utf8), chunkName: "=stdin")
                try lua.call(printer, results)
            }
            Lua.flushStandardOutput()
        } catch {
            report(error.message + (error.traceback.map { "\n" + $0 } ?? ""))
        }
    }

    func report(_ message: String) {
        Lua.flushStandardOutput()
        Moonlet.writeErr("moonlet: \(message)\n")
    }

    func readLine(prompt: String) -> String? {
        Moonlet.writeOut(Array(prompt.utf8))
        var line: [UInt8] = []
        var c: UInt8 = 0
        while Glibc.read(0, &c, 1) == 1 {
            if c == 10 { return String(decoding: line, as: UTF8.self) }
            line.append(c)
        }
        return line.isEmpty ? nil : String(decoding: line, as: UTF8.self)
    }
}
