/// What the command line asked `moonlet` to do.
///
/// The grammar follows lua.c so later modes slot in: options come first (`-e stat`,
/// `-l mod`, `-i`, `-v`, `-E`, `-W`), then an optional script name (or `-` for stdin) and its
/// arguments. Only `-p` and `--list` work in this version.
enum MoonletAction: Equatable {
    /// `-p FILE...`: compile only.
    case check([String])
    /// `--list FILE`: print a `luac -l -l` style listing.
    case list(String)
    /// `-h` / `--help`.
    case help
    /// Recognised options or a mode that needs the VM, which comes in a later version.
    case notYetSupported(String)
    /// A usage error.
    case usage(String)
}

enum MoonletOptions {
    static let usageText = """
        usage: moonlet [options] [script [args]]
        Available options are:
          -p file...  compile the files only (report syntax errors)
          --list file print a listing of the compiled code, like 'luac -l -l'
          -h, --help  show this help
        Not yet supported (they need the VM): -e stat, -i, -l mod, -v, -E, -W, -, script
        """

    static func parse(_ args: [String]) -> MoonletAction {
        // Interpreter options seen so far; they become real modes with the VM.
        var vmOptions: [String] = []
        var i = 0
        while i < args.count {
            let arg = args[i]
            switch arg {
            case "-p":
                let files = Array(args[(i + 1)...])
                return files.isEmpty ? .usage("'-p' needs at least one file") : .check(files)
            case "--list":
                guard i + 1 < args.count else { return .usage("'--list' needs a file") }
                guard i + 2 == args.count else { return .usage("'--list' takes exactly one file") }
                return .list(args[i + 1])
            case "-h", "--help":
                return .help
            case "-i", "-v", "-E", "-W":
                vmOptions.append(arg)
            case "-e", "-l":
                guard i + 1 < args.count else { return .usage("'\(arg)' needs argument") }
                vmOptions.append(arg)
                i += 1
            case "--":
                i += 1
                if i < args.count { vmOptions.append("script '\(args[i])'") }
                return .notYetSupported(describe(vmOptions))
            case "-":
                vmOptions.append("'-' (stdin)")
                return .notYetSupported(describe(vmOptions))
            default:
                if arg.hasPrefix("-e") || arg.hasPrefix("-l") {
                    vmOptions.append(String(arg.prefix(2)))
                } else if arg.hasPrefix("-") {
                    return .usage("unrecognized option '\(arg)'")
                } else {
                    vmOptions.append("script '\(arg)'")
                    return .notYetSupported(describe(vmOptions))
                }
            }
            i += 1
        }
        if vmOptions.isEmpty { vmOptions.append("the interactive interpreter") }
        return .notYetSupported(describe(vmOptions))
    }

    private static func describe(_ options: [String]) -> String {
        options.joined(separator: ", ")
    }
}
