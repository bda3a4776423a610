import GCArena

/// Turns values into text: `display` style (strings raw) or `write` style (strings quoted).
///
/// Lists are walked along the cdr without recursion and a cdr cycle prints as `...`;
/// nesting in the car direction recurses, so it is cut off at `maxDepth`.
struct Printer {
    let symbols: SymbolTable
    var write: Bool
    static let maxDepth = 1000
    /// Elements printed per list before giving up on a cycle the hare has not caught yet.
    static let maxElements = 1 << 20

    func string(_ value: Value) -> String {
        var out = ""
        print(value, into: &out, depth: 0)
        return out
    }

    func print(_ value: Value, into out: inout String, depth: Int) {
        switch value {
        case .null: out += "()"
        case .unspecified: break
        case .undefined: out += "#<undefined>"
        case .bool(let b): out += b ? "#t" : "#f"
        case .fixnum(let n): out += String(n)
        case .symbol(let s): out += symbols.name(s)
        case .string(let g): write ? quote(g.value.text, into: &out) : (out += g.value.text)
        case .builtin(let b): out += "#<builtin \(b.name)>"
        case .closure(let g):
            if case .symbol(let s) = g.value.name { out += "#<procedure \(symbols.name(s))>" } else { out += "#<procedure>" }
        case .pair(let first):
            if depth >= Printer.maxDepth { out += "..."; return }
            if case .symbol(let s) = first.value.car, s.id == SpecialForm.quote.rawValue,
               case .pair(let rest) = first.value.cdr, case .null = rest.value.cdr {
                out += "'"
                print(rest.value.car, into: &out, depth: depth + 1)
                return
            }
            out += "("
            var cell = first
            var hare: Optional<Confined<Pair>> = first
            var count = 0
            while true {
                print(cell.value.car, into: &out, depth: depth + 1)
                count += 1
                // The hare moves two cells per element; meeting the tortoise means a cycle.
                for _ in 0..<2 { if let h = hare, case .pair(let n) = h.value.cdr { hare = n } else { hare = nil } }
                switch cell.value.cdr {
                case .null:
                    out += ")"
                    return
                case .pair(let next):
                    if let h = hare, h === next || count >= Printer.maxElements { out += " ...)"; return }
                    out += " "
                    cell = next
                case let tail:
                    out += " . "
                    print(tail, into: &out, depth: depth + 1)
                    out += ")"
                    return
                }
            }
        }
    }

    private func quote(_ text: String, into out: inout String) {
        out += "\""
        for c in text {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default: out.append(c)
            }
        }
        out += "\""
    }
}
