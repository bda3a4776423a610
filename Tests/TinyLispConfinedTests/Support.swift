import TinyLispConfinedCore

/// Runs `source` in a fresh interpreter; returns the last form's printed value (or the
/// error) and everything `display` wrote.
func run(_ source: String, configure: (Interpreter) -> Void = { _ in }) -> (result: Result<String, LispError>, output: String) {
    var output = ""
    let lisp = Interpreter(output: { output += $0 })
    configure(lisp)
    let result = lisp.evaluate(source)
    return (result, output)
}

/// The printed value of the last form of `source`, or the error's description.
func value(_ source: String) -> String {
    switch run(source).result {
    case .success(let v): v
    case .failure(let e): "ERROR \(e)"
    }
}

/// The error `source` raises, if any.
func error(_ source: String) -> LispError? {
    if case .failure(let e) = run(source).result { return e }
    return nil
}
