/// What the command line asked `moonlet` to do, parsed with lua.c's grammar (its
/// `collectargs`): options first (`-e stat`, `-l mod`, `-i`, `-v`, `-E`, `-W`), then an
/// optional script (or `-` for standard input) and its arguments. `-p` and `--list` are
/// moonlet's own compile-only modes and must come first.
struct MoonletOptions: Equatable {
    enum Step: Equatable {
        /// `-e stat`: run a chunk of code.
        case execute(String)
        /// `-l mod` / `-l g=mod`: `require` a module into a global.
        case require(global: String, module: String)
        /// `-W`: turn warnings on (in order, as lua.c's `runargs`).
        case warningsOn
    }

    var steps: [Step] = []
    var interactive = false
    var showVersion = false
    var ignoreEnvironment = false
    /// Whether an `-e` option was given (lua.c's `has_e`).
    var hasExecute = false
    /// The script to run, if any; `-` alone is standard input.
    var script: String?
    /// Whether `script` is `-` read as standard input (not a `-` named after `--`).
    var scriptIsStandardInput = false
    /// Every command-line word, for the `arg` table.
    var allArguments: [String] = []
    /// Index in `allArguments` of the script name (arg[0]); 0 when there is no script.
    var scriptIndex = 0

    enum Parsed: Equatable {
        case run(MoonletOptions)
        case check([String])
        case list(String)
        /// A bad option: lua.c's `print_usage` with this word.
        case usage(badOption: String)
    }

    /// lua.c's usage text after the first line (which names the bad option).
    static func usageText(program: String) -> String {
        """
        usage: \(program) [options] [script [args]]
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

        """
    }

    /// lua.c's complaint about a bad option: a missing argument for `-e`/`-l` (and moonlet's
    /// `-p`/`--list`), otherwise an unrecognized option.
    static func complaint(badOption: String) -> String {
        let second = badOption.utf8.dropFirst().first
        if second == UInt8(ascii: "e") || second == UInt8(ascii: "l") || second == UInt8(ascii: "p")
            || badOption == "--list" {
            return "'\(badOption)' needs argument"
        }
        return "unrecognized option '\(badOption)'"
    }

    static func parse(_ args: [String], program: String = "moonlet") -> Parsed {
        if let first = args.first {
            if first == "-p" {
                let files = Array(args.dropFirst())
                return files.isEmpty ? .usage(badOption: "-p") : .check(files)
            }
            if first == "--list" {
                guard args.count == 2 else { return .usage(badOption: "--list") }
                return .list(args[1])
            }
        }
        var o = MoonletOptions()
        o.allArguments = [program] + args
        var i = 0
        while i < args.count {
            let arg = Array(args[i].utf8)
            // allArguments[0] is the program, so the word args[i] is at index i + 1.
            o.scriptIndex = i + 1
            guard arg.first == UInt8(ascii: "-") else { return .run(o.withScript(args[i])) }
            let option = arg.count > 1 ? arg[1] : 0
            let hasExtra = arg.count > 2
            switch option {
            case UInt8(ascii: "-"):
                if hasExtra { return .usage(badOption: args[i]) }
                o.scriptIndex = i + 2
                // Nothing after `--` is no script (lua.c 5.4.4; 5.4.6 passes NULL to strcmp).
                return .run(i + 1 < args.count ? o.withScript(args[i + 1]) : o.withoutScript())
            case 0:
                var s = o.withScript("-")
                s.scriptIsStandardInput = true
                return .run(s)
            case UInt8(ascii: "E"):
                if hasExtra { return .usage(badOption: args[i]) }
                o.ignoreEnvironment = true
            case UInt8(ascii: "W"):
                if hasExtra { return .usage(badOption: args[i]) }
                o.steps.append(.warningsOn)
            case UInt8(ascii: "i"), UInt8(ascii: "v"):
                if hasExtra { return .usage(badOption: args[i]) }
                if option == UInt8(ascii: "i") { o.interactive = true }
                o.showVersion = true
            case UInt8(ascii: "e"), UInt8(ascii: "l"):
                let bad = args[i]
                var value = String(decoding: arg.dropFirst(2), as: UTF8.self)
                if !hasExtra {
                    i += 1
                    guard i < args.count, !args[i].hasPrefix("-") else { return .usage(badOption: bad) }
                    value = args[i]
                }
                if option == UInt8(ascii: "e") {
                    o.hasExecute = true
                    o.steps.append(.execute(value))
                } else if let eq = value.firstIndex(of: "=") {
                    o.steps.append(.require(global: String(value[..<eq]), module: String(value[value.index(after: eq)...])))
                } else {
                    o.steps.append(.require(global: value, module: value))
                }
            default:
                return .usage(badOption: args[i])
            }
            i += 1
        }
        return .run(o.withoutScript())
    }

    private func withScript(_ name: String) -> MoonletOptions {
        var o = self
        o.script = name
        return o
    }

    private func withoutScript() -> MoonletOptions {
        var o = self
        o.script = nil
        o.scriptIndex = 0
        return o
    }
}
