#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import LuaCore

/// The `moonlet` command: a `lua`-style front end. This version compiles (`-p`) and lists
/// (`--list`); running code arrives with the VM.
@main
struct Moonlet {
    static func main() {
        let args = Array(CommandLine.arguments.dropFirst())
        switch MoonletOptions.parse(args) {
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
        case .notYetSupported(let what):
            writeErr("moonlet: \(what) is not yet supported (it needs the VM)\n\(MoonletOptions.usageText)\n")
            exit(1)
        case .usage(let message):
            writeErr("moonlet: \(message)\n\(MoonletOptions.usageText)\n")
            exit(1)
        }
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
