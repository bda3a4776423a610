// The stdlib target's generator: the fuzzer's bytes choose library functions and hostile
// arguments, and the generator writes a Lua program calling each of them under pcall.

struct Generator {
    var bytes: [UInt8]
    var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func next() -> Int {
        guard index < bytes.count else { return 0 }
        defer { index += 1 }
        return Int(bytes[index])
    }

    mutating func pick<T>(_ options: [T]) -> T { options[next() % options.count] }

    static let functions = [
        "string.rep", "string.sub", "string.byte", "string.char", "string.format", "string.pack",
        "string.unpack", "string.packsize", "string.find", "string.match", "string.gmatch",
        "string.gsub", "string.len", "string.lower", "string.upper", "string.reverse",
        "table.insert", "table.remove", "table.move", "table.concat", "table.unpack", "table.pack",
        "table.sort", "utf8.char", "utf8.codepoint", "utf8.len", "utf8.offset", "utf8.codes",
        "math.random", "math.fmod", "math.floor", "math.ceil", "math.tointeger", "math.abs",
        "math.ult", "math.max", "math.min", "math.randomseed", "os.time", "os.date", "os.difftime",
        "select", "tonumber", "tostring", "rawlen", "rawequal", "rawget", "rawset", "next", "ipairs",
        "pairs", "setmetatable", "getmetatable", "load", "pcall", "xpcall", "error", "assert",
        "collectgarbage", "coroutine.wrap", "coroutine.create", "coroutine.resume", "coroutine.close",
        "coroutine.status", "coroutine.running", "coroutine.isyieldable", "type",
    ]

    static let atoms = [
        "0", "1", "-1", "2", "3", "255", "256", "2^31", "2^31-1", "-2^31", "2^32", "2^53", "2^63",
        "math.maxinteger", "math.mininteger", "math.maxinteger-1", "math.mininteger+1", "0/0",
        "1/0", "-1/0", "-0.0", "0.5", "1e308", "nil", "true", "false", "''", "'a'", "'abc'",
        "'%d'", "'%q'", "'%s'", "'%99d'", "'%.99f'", "'%a'", "'i16'", "'c9999999'", "'s1'", "'z'",
        "'!16j'", "'<i3'", "'%b()'", "'%f[%w]'", "'(.-)'", "'(((((.)))))'", "'[%a-z]*'", "'.-.-.-b'",
        "'*t'", "'!*t'", "'%c'", "'\\xff\\xfe'", "'\\u{10FFFF}'", "string.rep('a', 1000)",
        "{}", "{1,2,3}", "big", "small", "weird", "print", "function() end", "error",
        "function(...) return ... end", "coroutine.create(print)", "setmetatable({}, {__index=error})",
    ]

    mutating func argument(depth: Int = 0) -> String {
        if depth < 2 && next() % 8 == 0 {
            return "\(pick(Self.functions))(\(argument(depth: depth + 1)), \(argument(depth: depth + 1)))"
        }
        return pick(Self.atoms)
    }

    mutating func program() -> String {
        var lines = [
            "local big = setmetatable({}, {__len = function() return math.maxinteger end, __index = function() return 'x' end})",
            "local small = setmetatable({}, {__len = function() return math.mininteger end})",
            "local weird = setmetatable({}, {__len = function() return 2^53 end, __index = function(t, k) return k end, __tostring = function() return {} end, __eq = function() return true end})",
        ]
        var calls = 0
        while index < bytes.count && calls < 16 {
            let f = pick(Self.functions)
            var arguments: [String] = []
            for _ in 0..<(next() % 5) { arguments.append(argument()) }
            lines.append("pcall(" + ([f] + arguments).joined(separator: ", ") + ")")
            calls += 1
        }
        return lines.joined(separator: "\n")
    }
}
