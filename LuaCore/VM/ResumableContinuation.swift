// Continuations as objects: a host function that calls Lua many times in a row (`table.sort`
// with a comparator, once per comparison) keeps one object as its frame's continuation.
//
// A closure continuation is created, stored, taken and released per call: a retain of its
// context, the outcome enum's copies and two releases, ~150 instructions of the ~880 a
// comparison cost (papers/string-library-speed.md, section 13). A `LuaResumable` is stored in
// the frame's slot once (`callResuming`), each further call asks for `callAgain` (an outcome
// without a payload to count), and the executor calls `resume` on the object in the slot at
// +0 (the slot owns it until the frame returns or is unwound). The object holds no Lua values:
// what it needs across calls lives in its frame's stack slots, which the collector sees.

/// A host function's continuation as an object whose `resume` runs after each call it asks
/// for with ``LuaCallOutcome/callResuming(arguments:resumable:)`` or
/// ``LuaCallOutcome/callAgain(arguments:)``.
///
/// Keep Lua values in the frame's stack slots, not in the object (the collector does not
/// trace it).
open class LuaResumable {
    public init() {}

    /// Runs when the requested call has ended: `status` is `.returned(count:)` with the
    /// results on top of the frame's stack.
    open func resume(_ ctx: inout LuaCallContext, _ status: LuaCallStatus) throws -> LuaCallOutcome {
        .results(0)
    }
}

extension CallFrame {
    /// `continuation` of a host frame whose continuation is the `LuaResumable` in its slot.
    static let resumable: Int32 = 2
}

extension VM {
    /// Makes `r` the continuation of host frame `fr`.
    @inline(__always)
    func storeResumable(_ fr: UnsafeMutablePointer<CallFrame>, _ r: consuming LuaResumable) {
        let i = fr - th.pointee.frames
        // SAFETY: `fr` is one of the thread's frames, so `i` < frameCapacity, the slot count.
        th.pointee.continuations[i].resumable = r
        // A closure continuation this frame held is done with.
        if _slowPath(fr.pointee.continuation == 1) { th.pointee.continuations[i].body = nil }
        fr.pointee.continuation = CallFrame.resumable
    }

    /// Delivers `delivered` results to the resumable continuation of host frame `fi` and acts
    /// on its outcome; its next call (`.callAgain`, the common case) is pushed here without
    /// going through ``handleOutcome(_:_:)``.
    @inline(never)
    func continueResumable(_ fi: Int, delivered: Int) throws(LuaError) -> OutcomeAction {
        let outcome = try runResumable(fi, .returned(count: delivered))
        switch consume outcome {
        case .callAgain(let arguments):
            let fr = th.pointee.frames + fi
            let top = Int(fr.pointee.top)
            let f = try calleeSlot(fr, top: top, arguments: arguments)
            fr.pointee.flags |= CallFrame.Flag.noYield
            return try pushCallFromHost(fr, f, top: top)
        case let other:
            return try handleOutcome(fi, consume other)
        }
    }

    /// Runs the resumable continuation of host frame `fi` with `status`; the object stays in
    /// the slot (which keeps it alive during the call, so it is passed without a retain).
    @inline(__always)
    func runResumable(_ fi: Int, _ status: LuaCallStatus) throws(LuaError) -> LuaCallOutcome {
        // SAFETY: `fi` is a frame index, below the slot count; the slot holds the object
        // (`continuation == CallFrame.resumable`) and nothing replaces it while `resume` runs
        // (a frame's slot changes only through outcomes and pops, after `resume` returns).
        let object = Unmanaged.passUnretained(th.pointee.continuations[fi].resumable.unsafelyUnwrapped)
        var ctx = LuaCallContext(mc: mc, g: g, thread: L, frameIndex: fi)
        do {
            return try object._withUnsafeGuaranteedRef { try $0.resume(&ctx, status) }
        } catch {
            throw asLuaError(error)
        }
    }
}
