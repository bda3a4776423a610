import GCArena

/// A Swift value exposed to Lua as a full userdata, with a metatable and a user value.
///
/// The payload is any `Collect` value: if it holds handles, its `trace` reports them and
/// they stay alive while the userdata does. Wrap plain Swift values in ``LuaBox``.
public struct LuaUserdata: Collect {
    public var metatable: Gc<LuaTable>?
    /// The Lua-visible user value (PUC's first user value).
    public var userValue: LuaValue
    /// How many user values `debug.getuservalue` sees: 1 (``userValue``) or 0 (as PUC's
    /// `lua_newuserdatauv(L, size, 0)`, which io's file handles use).
    public var userValueCount: Int = 1
    /// The Swift value.
    public var payload: any Collect
    /// Memory the payload owns outside the arena, as reported to it (counted by `memoryLimit`,
    /// released when the userdata is freed).
    public internal(set) var externalBytes = 0

    public init(payload: any Collect, metatable: Gc<LuaTable>? = nil) {
        self.payload = payload
        self.metatable = metatable
        self.userValue = .nil
    }

    public static var ownsExternalMemory: Bool { true }
    public mutating func releaseExternalMemory() -> Int { externalBytes }

    public func trace(_ tracer: inout Tracer) {
        tracer.trace(metatable)
        userValue.trace(&tracer)
        payload.trace(&tracer)
    }
}

/// A plain Swift value (one that holds no arena handles) boxed for use as a userdata payload.
public struct LuaBox<T>: Collect {
    public var value: T
    public init(_ value: T) { self.value = value }
    public static var needsTrace: Bool { false }
    public func trace(_ tracer: inout Tracer) {}
}
