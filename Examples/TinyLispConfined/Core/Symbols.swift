/// The interned names. Symbols are never collected: a symbol is just an index here, so
/// `Value` stays plain data and `eq?` on symbols is an integer compare.
struct SymbolTable {
    private(set) var names: [String] = []
    private var ids: [String: Int32] = [:]

    mutating func intern(_ name: String) -> Symbol {
        if let id = ids[name] { return Symbol(id) }
        let id = Int32(names.count)
        names.append(name)
        ids[name] = id
        return Symbol(id)
    }

    func name(_ symbol: Symbol) -> String { names[Int(symbol.id)] }
    var count: Int { names.count }
}

/// The special forms, interned first so their symbols have these fixed ids.
enum SpecialForm: Int32, CaseIterable {
    case quote, `if`, define, set, lambda, `let`, letStar, letrec, begin, cond, and, or, `else`

    var spelling: String {
        switch self {
        case .quote: "quote"
        case .if: "if"
        case .define: "define"
        case .set: "set!"
        case .lambda: "lambda"
        case .let: "let"
        case .letStar: "let*"
        case .letrec: "letrec"
        case .begin: "begin"
        case .cond: "cond"
        case .and: "and"
        case .or: "or"
        case .else: "else"
        }
    }

    static func of(_ symbol: Symbol) -> SpecialForm? { SpecialForm(rawValue: symbol.id) }
}
