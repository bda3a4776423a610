import GCArena

// SAFETY: the cached `code`/`constants`/`upvalues` pointers belong to the frame's closure and
// prototype, which the frame's function slot keeps reachable while the frame exists.

/// One activation record on a thread's frame stack (PUC's `CallInfo`).
///
/// Frames live in a malloc'd array owned by the thread; they hold stack *indices*, never
/// pointers, so growing the stack never invalidates them.
@frozen
public struct CallFrame {
    /// Stack index of the function being called.
    public var function: Int32
    /// First register (Lua) or first argument (host).
    public var base: Int32
    /// One past the frame's last register (Lua: base + maxStackSize; host: current top).
    public var top: Int32
    /// Lua frames: index of the next instruction when the frame is not running.
    public var pc: Int32
    /// Results the caller wants (-1: all of them).
    public var wanted: Int16
    /// `CallFrame.Flag` bits.
    public var flags: UInt16
    /// Lua vararg frames: how many extra arguments sit below `function` (before VARARGPREP,
    /// how many arguments the call passed, as for every new Lua frame).
    public var varargCount: Int32
    /// Host frames: index of the pending continuation in the thread's host state, or -1.
    public var continuation: Int32
    /// Host functions below this frame waiting for a call they made (PUC's C-call depth,
    /// `nCcalls`): bounded by ``LuaThread/maxHostCallDepth`` like PUC's `LUAI_MAXCCALLS`.
    /// Fills the padding before `code`, so frames keep their size.
    public var hostDepth: Int32 = 0
    /// Lua frames: the function's instructions, constants and upvalues, cached so that
    /// entering or returning to the frame needs no pointer chase (nil for host frames).
    public var code: UnsafeMutablePointer<UInt32>?
    public var constants: UnsafeMutablePointer<LuaValue>?
    public var upvalues: UnsafeMutablePointer<Gc<LuaUpvalue>>?

    @inlinable
    public init(function: Int32, base: Int32, top: Int32, pc: Int32, wanted: Int16, flags: UInt16,
                varargCount: Int32, continuation: Int32,
                code: UnsafeMutablePointer<UInt32>? = nil, constants: UnsafeMutablePointer<LuaValue>? = nil,
                upvalues: UnsafeMutablePointer<Gc<LuaUpvalue>>? = nil) {
        self.function = function
        self.base = base
        self.top = top
        self.pc = pc
        self.wanted = wanted
        self.flags = flags
        self.varargCount = varargCount
        self.continuation = continuation
        self.code = code
        self.constants = constants
        self.upvalues = upvalues
    }

    public enum Flag {
        /// The frame runs Lua bytecode (otherwise a host function).
        public static let lua: UInt16 = 1
        /// A metamethod call is under way; its result completes the instruction before `pc`.
        public static let finishOp: UInt16 = 2
        /// Errors raised above this host frame are delivered to its continuation (pcall).
        public static let protected: UInt16 = 4
        /// The frame was entered by a tail call (for tracebacks).
        public static let tail: UInt16 = 8
        /// The frame's continuation runs a closing sequence for to-be-closed variables.
        public static let closing: UInt16 = 16
        /// The frame is the bottom of a coroutine body or of an entry call from the host.
        public static let entry: UInt16 = 32
        /// The frame runs a metamethod for the Lua frame below it.
        public static let metamethod: UInt16 = 64
        /// The host frame runs pending finalizers between two instructions of the frame below.
        public static let interrupt: UInt16 = 128
        /// The protected host frame has a message handler in its first slot (xpcall).
        public static let handler: UInt16 = 256
        /// That message handler is running (an error now goes straight to the continuation).
        public static let handlerActive: UInt16 = 512
        /// A host function called by TAILCALL: its results return from the Lua frame below.
        public static let tailHost: UInt16 = 1024
        /// A host frame driving a sequence kept in its stack slot `varargCount`.
        public static let sequence: UInt16 = 2048
        /// A Lua frame called by a host frame, whose continuation takes the results: its
        /// returns go through `finishReturn`, never the interpreter's in-place RETURN1. It
        /// shares its bit with ``sequence``, which only host frames carry.
        public static let hostCaller: UInt16 = 2048
        /// The pending comparison metamethod answers the opposite question (`__le` via `__lt`).
        public static let negate: UInt16 = 4096
        /// The host frame waits for a call that cannot be suspended (no yield across it).
        public static let noYield: UInt16 = 8192
        /// The hook machinery has seen this frame: its call hook ran (or hooks were set while
        /// it was active), and its returns take the slow path so that return hooks can run.
        public static let hooked: UInt16 = 16384
        /// The frame runs a debug hook (debug.sethook) for the frame below it.
        public static let hookCall: UInt16 = 32768
        /// What a frame tells about its caller, which a tail call keeps for the callee that
        /// takes its slot (the caller does not change).
        public static let keptByTailCall: UInt16 = entry | metamethod | hookCall | hostCaller
    }

    @inlinable public var isLua: Bool { flags & Flag.lua != 0 }
}
