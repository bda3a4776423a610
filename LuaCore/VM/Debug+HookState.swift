import GCArena

/// A thread's debug hook (set by `debug.sethook`) and the state of hook calls.
///
/// The hook is an ordinary function the VM calls as a frame on top of the hooked one
/// (flagged ``CallFrame/Flag/hookCall``), so hooks never nest Swift calls.
public struct LuaHookState {
    /// The event bits of ``mask``.
    public enum Event {
        public static let call: UInt8 = 1
        public static let `return`: UInt8 = 2
        public static let line: UInt8 = 4
        public static let count: UInt8 = 8
    }

    /// The hook function (nil when no hook is set).
    public internal(set) var function: LuaValue = .nil
    /// `Event` bits.
    public internal(set) var mask: UInt8 = 0
    /// The count of a count hook (instructions between two calls).
    public internal(set) var baseCount = 0
    /// Instructions left before the next count event.
    var count = 0
    /// A hook is running: no hook fires until it returns (PUC's `allowhook` off).
    var running = false
    /// Index of the last traced instruction of `lastFrame` (PUC's `oldpc`).
    var oldPC = 0
    /// The Lua frame the line hook last traced.
    var lastFrame = -1
    /// The instruction at the frame's pc has been traced already: run it untraced once.
    var skipOnce = false
    /// The running hook is a line or count hook (its instruction runs untraced after it).
    var instructionHook = false
    /// A line event still due for the current instruction (after a count event), or `noLine`.
    var queuedLine = LuaHookState.noLine
    static let noLine = Int.min
    /// The thread's `top` (open results) while the hook runs.
    var savedTop = 0
    /// The hooked Lua frame whose pc was moved for the hook's `currentline`, or -1.
    var restoreFrame = -1
    /// A return interrupted by a return hook: the frame, where its results are and how many.
    var returnFrame = -1
    var returnSource = 0
    var returnCount = 0
    /// The frame whose call or return hook runs, and its transferred values ('r').
    var transferFrame = -1
    var firstTransfer = 0
    var transferCount = 0

    public init() {}
}
