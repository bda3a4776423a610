import GCArena
import LuaCore

// Large copies in library functions (`string.rep`, `string.format`, `table.concat`): charged
// before they happen and done in pieces a host can stop between.
//
// A host function runs to completion inside one VM slice, so a fuel charge it makes
// (`chargeFuel`) only ends the slice after it returns. For a copy of megabytes that is too
// late: a `string.rep` of 2 GB under `LuaLimits(fuel: 1_000_000)` would copy it all before
// the limit was checked. So a library function about to copy at least `pieceBytes` first
// reserves the memory (`LuaScratchAccount`, failing at once past the memory limit), then
// charges the fuel of the next piece (one unit per 64 bytes) and returns to the executor
// through a call to a no-op function (`chargeThenContinue`). The host's fuel bound,
// deadline or interrupt takes effect there, before the piece is copied; otherwise the
// function continues with the piece, and so on.

enum LargeCopies {
    /// The bytes copied between two returns to the executor (16K fuel at one unit per 64 bytes).
    static let pieceBytes = 1 << 20

    /// The fuel for copying `bytes` bytes.
    static func fuel(_ bytes: Int) -> Int { 1 &+ max(bytes, 0) >> 6 }

    /// Charges the fuel for copying `bytes` bytes, lets the executor run (the host's limits
    /// take effect), then continues with `then`.
    static func chargeThenContinue(
        _ ctx: inout LuaCallContext, bytes: Int,
        then: @escaping (inout LuaCallContext) throws -> LuaCallOutcome
    ) throws -> LuaCallOutcome {
        ctx.chargeFuel(fuel(bytes))
        try ctx.push(try ctx.function("?") { _ in .results(0) })
        return .call(arguments: 0, then: { ctx, _ in try then(&ctx) }, protected: false)
    }
}
