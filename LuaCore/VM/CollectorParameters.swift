import GCArena

/// The collector parameters `collectgarbage` sets, stored as PUC-Rio Lua 5.4.6 stores them.
///
/// PUC keeps each in one byte: the pause, step multiplier and major multiplier divided by 4
/// (`setgcparam`), the step size (a log2) and minor multiplier as given; a value that does
/// not fit wraps as the C conversion to `lu_byte` does. The answers `collectgarbage` gives
/// (`"setpause"` returns the previous pause) come from these bytes, and ``pacing`` maps them
/// onto the arena's `GCPacing` (GCArena).
public struct LuaCollectorParameters: Sendable, Equatable {
    /// `gcpause` / 4 (PUC's LUAI_GCPAUSE 200).
    var pauseByte: UInt8 = 200 / 4
    /// `gcstepmul` / 4 (LUAI_GCMUL 100).
    var stepMultiplierByte: UInt8 = 100 / 4
    /// `gcstepsize`, log2 of the step size in bytes (LUAI_GCSTEPSIZE 13).
    var stepSizeByte: UInt8 = 13
    /// `genmajormul` / 4 (LUAI_GENMAJORMUL 100).
    var majorMultiplierByte: UInt8 = 100 / 4
    /// `genminormul` (LUAI_GENMINORMUL 20).
    var minorMultiplierByte: UInt8 = 20

    /// PUC's defaults.
    public init() {}

    /// The pause in percent: wait until the heap is this percent of its size after a cycle.
    public var pause: Int { Int(pauseByte) * 4 }
    /// The incremental step multiplier in percent.
    public var stepMultiplier: Int { Int(stepMultiplierByte) * 4 }
    /// The generational major multiplier in percent.
    public var majorMultiplier: Int { Int(majorMultiplierByte) * 4 }
    /// The generational minor multiplier in percent.
    public var minorMultiplier: Int { Int(minorMultiplierByte) }

    /// `setgcparam`: the C `int` the library passes (lua_Integer truncated), divided by 4,
    /// kept in a byte.
    static func quarterByte(_ value: Int64) -> UInt8 {
        UInt8(truncatingIfNeeded: Int32(truncatingIfNeeded: value) / 4)
    }

    static func byte(_ value: Int64) -> UInt8 {
        UInt8(truncatingIfNeeded: Int32(truncatingIfNeeded: value))
    }

    /// `collectgarbage("setpause", p)`: sets the pause, returns the previous one.
    public mutating func setPause(_ value: Int64) -> Int {
        let previous = pause
        pauseByte = Self.quarterByte(value)
        return previous
    }

    /// `collectgarbage("setstepmul", m)`: sets the step multiplier, returns the previous one.
    public mutating func setStepMultiplier(_ value: Int64) -> Int {
        let previous = stepMultiplier
        stepMultiplierByte = Self.quarterByte(value)
        return previous
    }

    /// `collectgarbage("incremental", pause, stepmul, stepsize)`: zero keeps a parameter.
    public mutating func setIncremental(pause: Int64, stepMultiplier: Int64, stepSize: Int64) {
        if Int32(truncatingIfNeeded: pause) != 0 { pauseByte = Self.quarterByte(pause) }
        if Int32(truncatingIfNeeded: stepMultiplier) != 0 { stepMultiplierByte = Self.quarterByte(stepMultiplier) }
        if Int32(truncatingIfNeeded: stepSize) != 0 { stepSizeByte = Self.byte(stepSize) }
    }

    /// `collectgarbage("generational", minormul, majormul)`: zero keeps a parameter.
    public mutating func setGenerational(minorMultiplier: Int64, majorMultiplier: Int64) {
        if Int32(truncatingIfNeeded: minorMultiplier) != 0 { minorMultiplierByte = Self.byte(minorMultiplier) }
        if Int32(truncatingIfNeeded: majorMultiplier) != 0 { majorMultiplierByte = Self.quarterByte(majorMultiplier) }
    }

    /// The arena pacing these parameters ask for.
    ///
    /// - Generational: the minor and major multipliers as they are (percent).
    /// - Incremental: PUC's pause `p` waits until the heap is `p`% of the live size, GCArena's
    ///   `GCPacing.pause` is the growth on top of it, so `p / 100 - 1` (at least 0). PUC's
    ///   step multiplier counts work in slots of about 16 bytes, where ``Lua/defaultPacing``'s
    ///   40 matches PUC's default 100; it scales from there, kept above the least multiplier
    ///   that lets a cycle end (GCArena checks `stepMultiplier > 1 + sweepCost`).
    /// - The step size has no counterpart: the arena pays its debt in one go.
    public var pacing: GCPacing {
        let base = Lua.defaultPacing
        let stepMultiplier = Swift.max(base.stepMultiplier * Double(self.stepMultiplier) / 100, 2 * (1 + base.sweepCost))
        return GCPacing(pause: Swift.max(Double(pause) / 100 - 1, 0), stepMultiplier: stepMultiplier,
                        sweepCost: base.sweepCost, minimumSleep: base.minimumSleep,
                        minorMultiplier: minorMultiplier, majorMultiplier: majorMultiplier)
    }
}
