/// The final pass over a function's code (`luaK_finish`).
extension Parser {
    /// The final target of a jump, skipping chains of jumps (at most 100, against loops).
    mutating func finalTarget(_ start: Int) -> Int {
        var i = start
        for _ in 0..<100 {
            let ins = instruction(i)
            if ins.opcode != .jmp { break }
            i += ins.sj + 1
        }
        return i
    }

    /// Marks returns that must close upvalues or fix varargs, and shortens jump chains.
    mutating func finish() throws(LuaSyntaxError) {
        let needClose = fs.needClose
        let isVararg = fs.isVararg
        let numParams = fs.numParams
        for i in 0..<fs.pc {
            var ins = instruction(i)
            switch ins.opcode {
            case .return0?, .return1?:
                if !(needClose || isVararg) { continue }
                ins.setOpcode(.return)
                fallthrough
            case .return?, .tailCall?:
                if needClose { ins.setK(true) }
                if isVararg { ins.setC(numParams + 1) }
                fs.code[i] = ins.raw
            case .jmp?:
                try fixJump(i, finalTarget(i))
            default:
                break
            }
        }
    }
}
