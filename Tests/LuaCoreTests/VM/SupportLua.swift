import GCArena
@testable import LuaCore

/// A bare Lua state with a `print` that appends to `output` (tests of LuaCore do not use
/// the standard library).
final class TestLua {
    let lua = Lua()
    var output = ""

    init() {
        // Weakly: finalizers the state runs when this object releases it may still print.
        try! lua.register("print") { [weak self] ctx in
            guard let self else { return .results(0) }
            var parts: [String] = []
            for i in 1...max(ctx.argumentCount, 1) where i <= ctx.argumentCount {
                parts.append(String(decoding: ctx.basicToString(ctx.argument(i)), as: UTF8.self))
            }
            output += parts.joined(separator: "\t") + "\n"
            return .results(0)
        }
        try! lua.register("pcall") { ctx in
            .call(arguments: ctx.argumentCount - 1, then: { ctx, status in
                switch status {
                case .returned(let n), .yielded(let n):
                    try ctx.insert(.true, at: ctx.top - n + 1)
                    return .results(n + 1)
                case .failed(let e):
                    try ctx.push(.false)
                    if case .value(let v) = e.payload { try ctx.push(v) } else { try ctx.push(.nil) }
                    return .results(2)
                }
            }, protected: true)
        }
    }

    @discardableResult
    func run(_ source: String) throws -> [LuaHostValue] { try lua.run(source, chunkName: "=test") }
}
