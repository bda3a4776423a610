import GCArena

// Completing an instruction after its metamethod returned (PUC's luaV_finishOp). The
// metamethod ran as an ordinary frame; its result sits at `resultAt`.

// SAFETY: frame and register pointers here point into the running thread's frame array and
// value stack. They stay valid until the next `pushFrame`/`growStack` on that thread, and the
// code re-derives them (from indices stored in frames) after every call that can grow either.

extension VM {
    func finishOp(_ frame: UnsafeMutablePointer<CallFrame>, resultAt dst: Int) throws(LuaError) -> Next {
        let code = currentCode(frame)
        let pc = Int(frame.pointee.pc)
        let inst = code[pc - 1]
        let op = LuaOpcode(rawValue: UInt8(inst & 0x7F)) ?? .extraArg
        let base = Int(frame.pointee.base)
        let result = stack[dst]
        switch op {
        case .mmBin, .mmBinI, .mmBinK:
            stack[base + argA(code[pc - 2])] = result
        case .unm, .bnot, .len, .getTabUp, .getTable, .getI, .getField, .self:
            stack[base + argA(inst)] = result
        case .eq, .lt, .le, .ltI, .leI, .gtI, .geI:
            var truth = !result.isFalsy
            if frame.pointee.flags & CallFrame.Flag.negate != 0 {
                // LUA_COMPAT_LT_LE: `a <= b` answered as `not (b < a)`.
                frame.pointee.flags &= ~CallFrame.Flag.negate
                truth = !truth
            }
            if truth != argK(inst) { frame.pointee.pc += 1 }
        case .close, .return:
            // A __close call returned: run the closing instruction again for the next variable.
            frame.pointee.pc -= 1
        case .concat:
            let top = Int(frame.pointee.continuation)
            frame.pointee.continuation = -1
            stack[top - 2] = result
            let first = base + argA(inst)
            let remaining = top - 1 - first
            if remaining > 1, try concat(first: first, count: remaining, frame) { return .run }
        default:
            break
        }
        return .run
    }
}
