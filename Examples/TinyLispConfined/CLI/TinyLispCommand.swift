// tinylisp: run a TinyLisp program.
//
//     tinylisp file.lisp        run a file; only `display` output is shown
//     tinylisp < file.lisp      read the program from stdin and print each form's value
//     tinylisp --stats ...      also print GC metrics to stderr at exit
import TinyLispConfinedCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes to standard error (file descriptor 2, so no shared `stderr` global is touched).
func eprint(_ text: String) {
    var bytes = Array(text.utf8)
    _ = write(2, &bytes, bytes.count)
}

@main
struct TinyLispCommand {
    static func main() {
        var arguments = Array(CommandLine.arguments.dropFirst())
        let stats = arguments.contains("--stats")
        arguments.removeAll { $0 == "--stats" }
        let source: String
        let printValues: Bool
        switch arguments.count {
        case 0:
            var text = ""
            while let line = readLine(strippingNewline: false) { text += line }
            source = text
            printValues = true
        case 1 where arguments[0] == "-":
            var text = ""
            while let line = readLine(strippingNewline: false) { text += line }
            source = text
            printValues = true
        case 1:
            guard let file = fopen(arguments[0], "rb") else {
                eprint("tinylisp: cannot open \(arguments[0])\n")
                exit(2)
            }
            var bytes: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = fread(&buffer, 1, buffer.count, file)
                if n <= 0 { break }
                bytes += buffer[..<n]
            }
            fclose(file)
            source = String(decoding: bytes, as: UTF8.self)
            printValues = false
        default:
            eprint("usage: tinylisp [--stats] [file.lisp | -]\n")
            exit(2)
        }

        let lisp = Interpreter()
        let start = clock()
        let result = lisp.evaluate(source, onValue: printValues ? { if !$0.isEmpty { print($0) } } : nil)
        let milliseconds = Int(clock() - start) / Int(CLOCKS_PER_SEC / 1000)
        fflush(nil)
        if stats {
            let m = lisp.arena.metrics
            eprint("""
            cpu \(milliseconds) ms; slices \(lisp.statistics.slices); \
            peak heap \(lisp.statistics.peakHeapBytes / 1024) KiB; \
            allocated \(m.totalAllocatedBytes / 1_048_576) MiB; \
            cycles \(m.cyclesCompleted); freed \(m.freedObjects) objects; \
            max pause \(m.maxPauseNanoseconds / 1000) µs; \
            atomic phases \(m.atomicNanoseconds / 1000) µs in all; \
            max continuation depth \(lisp.statistics.maxContinuationDepth)\n
            """)
        }
        if case .failure(let error) = result {
            fflush(nil)
            eprint("tinylisp: \(error)\n")
            exit(1)
        }
    }
}
