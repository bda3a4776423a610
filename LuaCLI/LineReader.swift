#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads the REPL's lines: through libedit (cursor keys, editing, history) when standard
/// input is a terminal and libedit can be loaded, otherwise plainly, byte by byte up to a
/// newline, as lua.c without readline (`fputs(prompt)` + `fgets`).
final class LineReader {
    /// libedit's `readline` and `add_history`, when lines come through it.
    let editor: LineEditor?

    init(editing: Bool = isatty(0) != 0) {
        editor = editing ? LineEditor.load() : nil
    }

    /// Shows `prompt` and reads one line without its newline; nil at end of input.
    func read(prompt: String) -> [UInt8]? {
        Moonlet.writeOut([])  // flush what Lua printed before the prompt
        if let editor {
            guard let line = editor.readline(prompt) else { return nil }
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
        guard let editor else { return }
        _ = editor.addHistory(String(decoding: line, as: UTF8.self))
    }
}

/// libedit's readline-compatible entry points, loaded with `dlopen` when the REPL starts:
/// linking libedit (and the libraries it needs: libtinfo, libbsd, libmd) into the
/// executable made every `moonlet` run pay for loading and relocating them, though only the
/// interactive REPL uses them (papers/luacore-vm.md, "Start-up").
struct LineEditor {
    typealias Readline = @convention(c) (UnsafePointer<CChar>?) -> UnsafeMutablePointer<CChar>?
    typealias AddHistory = @convention(c) (UnsafePointer<CChar>?) -> Int32

    let readline: Readline
    let addHistory: AddHistory

    /// The names libedit is installed under (Debian/Ubuntu's `libedit2`, a development
    /// symlink, macOS's system copy, Homebrew's).
    static let libraryNames = ["libedit.so.2", "libedit.so", "/usr/lib/libedit.3.dylib", "libedit.dylib"]

    /// libedit's functions, or nil when no libedit is installed (the REPL then reads plainly).
    static func load() -> LineEditor? {
        for name in libraryNames {
            guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else { continue }
            if let r = dlsym(handle, "readline"), let h = dlsym(handle, "add_history") {
                // SAFETY: both symbols are C functions of these signatures (readline.h:
                // `char *readline(const char *)`, `int add_history(const char *)`), and the
                // library stays loaded for the rest of the process.
                return LineEditor(readline: unsafeBitCast(r, to: Readline.self),
                                  addHistory: unsafeBitCast(h, to: AddHistory.self))
            }
            dlclose(handle)
        }
        return nil
    }
}
