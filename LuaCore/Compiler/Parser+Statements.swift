/// Statement rules: dispatch, blocks, assignments, calls, locals, function statements and
/// `return`. Loops, conditionals, labels and gotos are in Parser+ControlFlow.swift.
extension Parser {
    /// Whether the current token ends a block; `until` only counts when `withUntil`.
    mutating func blockFollow(withUntil: Bool) -> Bool {
        switch token {
        case Tk.else, Tk.elseif, Tk.end, Tk.eos: return true
        case Tk.until: return withUntil
        default: return false
        }
    }

    /// `statlist -> { stat [';'] }`
    mutating func statList() throws(LuaSyntaxError) {
        while !blockFollow(withUntil: true) {
            if token == Tk.return {
                try statement()
                return  // 'return' must be the last statement
            }
            try statement()
        }
    }

    mutating func block() throws(LuaSyntaxError) {
        enterBlock(isLoop: false)
        try statList()
        try leaveBlock()
    }

    mutating func statement() throws(LuaSyntaxError) {
        let line = lex.lineNumber
        try enterLevel()
        switch lex.t.kind {
        case 59:  // ';'
            try next()
        case Tk.if:
            try ifStat(line)
        case Tk.while:
            try whileStat(line)
        case Tk.do:
            try doStat(line)
        case Tk.for:
            try forStat(line)
        case Tk.repeat:
            try repeatStat(line)
        case Tk.function:
            try funcStat(line)
        case Tk.local:
            try localOrLocalFunction()
        case Tk.dbcolon:
            try labelStat(line)
        case Tk.return:
            try retStat()
        case Tk.break:
            try breakStat()
        case Tk.goto:
            try gotoStat()
        default:
            try exprStat()
        }
        fs.freeReg = nvarstack()
        leaveLevel()
    }

    private mutating func doStat(_ line: Int) throws(LuaSyntaxError) {
        try next()
        try block()
        try checkMatch(Tk.end, Tk.do, line)
    }

    private mutating func localOrLocalFunction() throws(LuaSyntaxError) {
        try next()
        if try testNext(Tk.function) { try localFunc() } else { try localStat() }
    }

    // MARK: Assignments and calls

    /// `stat -> func | assignment`
    private mutating func exprStat() throws(LuaSyntaxError) {
        var v = ExpDesc(.void)
        try suffixedExp(&v)
        if token == 61 || token == 44 {  // '=' ','
            let base = assignTargets.count
            assignTargets.append(v)
            try restAssign(base, 1)
            assignTargets.removeLast(assignTargets.count - base)
        } else {
            if v.k != .call { throw lex.syntaxError("syntax error") }
            modifyInstruction(v.info) { $0.setC(1) }  // a call statement keeps no results
        }
    }

    /// Raises an error if `e` is a read-only variable (`check_readonly`).
    mutating func checkReadonly(_ e: ExpDesc) throws(LuaSyntaxError) {
        var name: Int32? = nil
        switch e.k {
        case .const:
            name = actvar[e.info].name
        case .local:
            let vd = actvar[fs.firstLocal + e.aux]
            if vd.kind != .regular { name = vd.name }
        case .upval:
            let up = fs.upvalues[e.info]
            if up.kind != .regular { name = up.name }
        default:
            return
        }
        if let name {
            let text = String(decoding: lex.strings.bytes(name), as: UTF8.self)
            throw lex.semanticError("attempt to assign to const variable '\(text)'")
        }
    }

    /// If variable `v` being assigned is also the table or key of an earlier target, copies
    /// it to a temporary that the earlier store uses instead (`check_conflict`).
    private mutating func checkConflict(_ base: Int, _ v: ExpDesc) throws(LuaSyntaxError) {
        let extra = fs.freeReg
        var conflict = false
        for i in base..<assignTargets.count where assignTargets[i].k.isIndexed {
            if assignTargets[i].k == .indexUp {
                if v.k == .upval && assignTargets[i].info == v.info {
                    conflict = true
                    assignTargets[i].k = .indexStr
                    assignTargets[i].info = extra
                }
            } else {
                if v.k == .local && assignTargets[i].info == v.info {
                    conflict = true
                    assignTargets[i].info = extra
                }
                if assignTargets[i].k == .indexed && v.k == .local && assignTargets[i].aux == v.info {
                    conflict = true
                    assignTargets[i].aux = extra
                }
            }
        }
        if conflict {
            if v.k == .local {
                codeABC(.move, extra, v.info, 0)
            } else {
                codeABC(.getUpval, extra, v.info, 0)
            }
            try reserveRegs(1)
        }
    }

    /// `restassign -> ',' suffixedexp restassign | '=' explist`; `assignTargets[base +
    /// nvars - 1]` is the target this level stores into, after the deeper levels stored theirs.
    private mutating func restAssign(_ base: Int, _ nvars: Int) throws(LuaSyntaxError) {
        try checkAssignable(assignTargets[base + nvars - 1])
        if try testNext(44) {
            try nextAssignTarget(base)
            try enterLevel()
            try restAssign(base, nvars + 1)
            leaveLevel()
            try storeTop(assignTargets[base + nvars - 1])
        } else {
            try assignExpList(assignTargets[base + nvars - 1], nvars)
        }
    }

    @inline(never)
    private mutating func checkAssignable(_ target: ExpDesc) throws(LuaSyntaxError) {
        if !target.k.isVar { throw lex.syntaxError("syntax error") }
        try checkReadonly(target)
    }

    /// Parses the next target of a multiple assignment and appends it to `lhs`.
    private mutating func nextAssignTarget(_ base: Int) throws(LuaSyntaxError) {
        var nv = ExpDesc(.void)
        try suffixedExp(&nv)
        if !nv.k.isIndexed { try checkConflict(base, nv) }
        assignTargets.append(nv)
    }

    /// `'=' explist`, storing into the last target; the others take values from the stack.
    private mutating func assignExpList(_ target: ExpDesc, _ nvars: Int) throws(LuaSyntaxError) {
        try checkNext(61)
        var e = ExpDesc(.void)
        let nexps = try expList(&e)
        if nexps != nvars {
            try adjustAssign(nvars, nexps, &e)
            try storeTop(target)
        } else {
            setOneRet(&e)
            try storeVar(target, &e)
        }
    }

    /// Stores the value on top of the register stack into `target`.
    @inline(never)
    private mutating func storeTop(_ target: ExpDesc) throws(LuaSyntaxError) {
        var e = ExpDesc(.nonReloc, fs.freeReg - 1)
        try storeVar(target, &e)
    }

    // MARK: Declarations

    private mutating func localFunc() throws(LuaSyntaxError) {
        let fvar = fs.nactvar
        try newLocalVar(try checkName())
        try adjustLocalVars(1)
        var b = ExpDesc(.void)
        try body(&b, isMethod: false, line: lex.lineNumber)
        // Debug information sees the variable only after the closure is built.
        fs.locVars[actvar[fs.firstLocal + fvar].pidx].startPC = fs.pc
    }

    /// `attrib -> ['<' NAME '>']`
    private mutating func localAttribute() throws(LuaSyntaxError) -> LuaVariableKind {
        guard try testNext(60) else { return .regular }
        let attr = lex.strings.bytes(try checkName())
        try checkNext(62)
        if attr == Array("const".utf8) { return .constant }
        if attr == Array("close".utf8) { return .toBeClosed }
        throw lex.semanticError("unknown attribute '\(String(decoding: attr, as: UTF8.self))'")
    }

    /// `stat -> LOCAL NAME attrib { ',' NAME attrib } ['=' explist]`
    private mutating func localStat() throws(LuaSyntaxError) {
        var toClose = -1
        var vidx = 0
        var nvars = 0
        repeat {
            vidx = try newLocalVar(try checkName())
            let kind = try localAttribute()
            actvar[fs.firstLocal + vidx].kind = kind
            if kind == .toBeClosed {
                if toClose != -1 { throw lex.semanticError("multiple to-be-closed variables in local list") }
                toClose = fs.nactvar + nvars
            }
            nvars += 1
        } while try testNext(44)
        var e = ExpDesc(.void)
        let nexps = try testNext(61) ? try expList(&e) : 0
        let last = fs.firstLocal + vidx
        if nvars == nexps && actvar[last].kind == .constant, let value = exp2const(e) {
            actvar[last].kind = .compileTimeConstant
            actvar[last].k = value
            try adjustLocalVars(nvars - 1)
            fs.nactvar += 1  // counted, but it has no register
        } else {
            try adjustAssign(nvars, nexps, &e)
            try adjustLocalVars(nvars)
        }
        if toClose != -1 {
            markToBeClosed()
            codeABC(.tbc, regLevel(toClose), 0, 0)
        }
    }

    /// `funcname -> NAME {fieldsel} [':' NAME]`; returns whether it names a method.
    private mutating func funcName(_ v: inout ExpDesc) throws(LuaSyntaxError) -> Bool {
        try singleVar(&v)
        while token == 46 { try fieldSel(&v) }
        if token == 58 {
            try fieldSel(&v)
            return true
        }
        return false
    }

    /// `funcstat -> FUNCTION funcname body`
    private mutating func funcStat(_ line: Int) throws(LuaSyntaxError) {
        try next()
        var v = ExpDesc(.void)
        let isMethod = try funcName(&v)
        var b = ExpDesc(.void)
        try body(&b, isMethod: isMethod, line: line)
        try checkReadonly(v)
        try storeVar(v, &b)
        fixLine(line)  // the definition "happens" in the first line
    }

    /// `stat -> RETURN [explist] [';']`
    private mutating func retStat() throws(LuaSyntaxError) {
        try next()  // skip RETURN
        var first = nvarstack()
        var nret: Int
        var e = ExpDesc(.void)
        if blockFollow(withUntil: true) || token == 59 {
            nret = 0
        } else {
            nret = try expList(&e)
            if e.k.hasMultRet {
                try setMultRet(&e)
                if e.k == .call && nret == 1 && !fs.blocks[fs.blocks.count - 1].insideTBC {
                    modifyInstruction(e.info) { $0.setOpcode(.tailCall) }
                }
                nret = -1
            } else if nret == 1 {
                first = try exp2anyreg(&e)
            } else {
                try exp2nextreg(&e)
            }
        }
        codeReturn(first, nret)
        _ = try testNext(59)
    }
}
