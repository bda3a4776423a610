/// What the command line asked `moonlet` to do, parsed with lua.c's grammar: options first
/// (`-e stat`, `-l mod`, `-i`, `-v`, `-E`, `-W`), then an optional script (or `-` for
/// standard input) and its arguments. `-p` and `--list` are moonlet's own compile-only modes.
struct MoonletOptions: Equatable {
    enum Step: Equatable {
        /// `-e stat`: run a chunk of code.
        case execute(String)
        /// `-l mod` / `-l g=mod`: `require` a module into a global.
        case require(global: String, module: String)
    }

    var steps: [Step] = []
    var interactive = false
    var showVersion = false
    var ignoreEnvironment = false
    var warnings = false
    /// The script to run (`-` is standard input), if any.
    var script: String?
    /// Every command-line word, for the `arg` table.
    var allArguments: [String] = []
    /// Index in `allArguments` of the script name (arg[0]).
    var scriptIndex = 0

    enum Parsed: Equatable {
        case run(MoonletOptions)
        case check([String])
        case list(String)
        case help
        case usage(String)
    }

    static let usageText = """
        usage: moonlet [options] [script [args]]
        Available options are:
          -e stat   execute string 'stat'
          -i        enter interactive mode after executing 'script'
          -l mod    require library 'mod' into global 'mod'
          -l g=mod  require library 'mod' into global 'g'
          -v        show version information
          -E        ignore environment variables
          -W        turn warnings on
          --        stop handling options
          -         stop handling options and execute stdin
          -p file...  compile the files only (report syntax errors)
          --list file print a listing of the compiled code, like 'luac -l -l'
        """

    static func parse(_ args: [String], program: String = "moonlet") -> Parsed {
        var o = MoonletOptions()
        o.allArguments = [program] + args
        var i = 0
        while i < args.count {
            let arg = args[i]
            if !arg.hasPrefix("-") || arg == "-" { break }
            switch arg {
            case "-p":
                let files = Array(args[(i + 1)...])
                return files.isEmpty ? .usage("'-p' needs at least one file") : .check(files)
            case "--list":
                guard i + 2 == args.count else { return .usage("'--list' takes exactly one file") }
                return .list(args[i + 1])
            case "-h", "--help":
                return .help
            case "--":
                i += 1
                o.scriptIndex = i + 1
                o.script = i < args.count ? args[i] : nil
                return .run(o)
            case "-i":
                o.interactive = true
                o.showVersion = true
            case "-v":
                o.showVersion = true
            case "-E":
                o.ignoreEnvironment = true
            case "-W":
                o.warnings = true
            default:
                let flag = String(arg.prefix(2))
                guard flag == "-e" || flag == "-l" else { return .usage("unrecognized option '\(arg)'") }
                var value = String(arg.dropFirst(2))
                if value.isEmpty {
                    i += 1
                    guard i < args.count, !args[i].hasPrefix("-") || flag == "-e" else {
                        return .usage("'\(flag)' needs argument")
                    }
                    value = args[i]
                }
                if flag == "-e" {
                    o.steps.append(.execute(value))
                } else if let eq = value.firstIndex(of: "=") {
                    o.steps.append(.require(global: String(value[..<eq]), module: String(value[value.index(after: eq)...])))
                } else {
                    o.steps.append(.require(global: value, module: value))
                }
            }
            i += 1
        }
        if i < args.count {
            o.script = args[i]
            o.scriptIndex = i + 1
        } else {
            o.scriptIndex = args.count + 1
        }
        return .run(o)
    }
}
