#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CLibedit

/// Reads the REPL's lines: through libedit (cursor keys, editing, history) when standard
/// input is a terminal, otherwise plainly, byte by byte up to a newline, as lua.c without
/// readline (`fputs(prompt)` + `fgets`).
final class LineReader {
    /// Whether lines come through libedit.
    let editing: Bool

    init(editing: Bool = isatty(0) != 0) {
        self.editing = editing
    }

    /// Shows `prompt` and reads one line without its newline; nil at end of input.
    func read(prompt: String) -> [UInt8]? {
        Moonlet.writeOut([])  // flush what Lua printed before the prompt
        if editing {
            guard let line = readline(prompt) else { return nil }
            defer { free(line) }
            return Array(UnsafeBufferPointer(start: line, count: strlen(line)).map { UInt8(bitPattern: $0) })
        }
        Moonlet.writeOut(Array(prompt.utf8))
        var line: [UInt8] = []
        var c: UInt8 = 0
        while true {
            let n = readDescriptor(0, &c, 1)
            if n < 0 && errno == EINTR { continue }
            if n != 1 { break }
            if c == 10 { return line }
            line.append(c)
        }
        return line.isEmpty ? nil : line
    }

    /// Keeps `line` in the history (lua.c's `lua_saveline`).
    func save(_ line: [UInt8]) {
        guard editing else { return }
        _ = add_history(String(decoding: line, as: UTF8.self))
    }
}

