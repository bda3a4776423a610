/// Control-flow statements: if, while, repeat, numeric and generic for, goto, labels and
/// break.
extension Parser {
    /// `cond -> exp`; returns the jump list taken when the condition is false.
    private mutating func cond() throws(LuaSyntaxError) -> Int {
        var v = ExpDesc(.void)
        try expr(&v)
        if v.k == .nil { v.k = .false }  // all falses are equal here
        try goIfTrue(&v)
        return v.f
    }

    mutating func gotoStat() throws(LuaSyntaxError) {
        try next()  // skip 'goto'
        let line = lex.lineNumber
        let name = try checkName()
        if let lb = findLabel(name) {
            // A backward jump, resolved here.
            let labelLevel = regLevel(labels[lb].nactvar)
            if nvarstack() > labelLevel { codeABC(.close, labelLevel, 0, 0) }
            try patchList(jump(), labels[lb].pc)
        } else {
            // A forward jump, resolved when the label is declared.
            try newGotoEntry(name, line: line, pc: jump())
        }
    }

    /// `break` is `goto break`, the label that loops create at their end.
    mutating func breakStat() throws(LuaSyntaxError) {
        let line = lex.lineNumber
        try next()
        try newGotoEntry(StringInterner.Fixed.breakLabel, line: line, pc: jump())
    }

    /// `label -> '::' NAME '::'`
    mutating func labelStat(_ line: Int) throws(LuaSyntaxError) {
        try next()  // skip '::'
        let name = try checkName()
        try checkNext(Tk.dbcolon)
        while token == 59 || token == Tk.dbcolon { try statement() }  // skip other no-ops
        if let lb = findLabel(name) {
            let text = String(decoding: lex.strings.bytes(name), as: UTF8.self)
            throw lex.semanticError("label '\(text)' already defined on line \(labels[lb].line)")
        }
        try createLabel(name, line: line, last: blockFollow(withUntil: false))
    }

    /// `whilestat -> WHILE cond DO block END`
    mutating func whileStat(_ line: Int) throws(LuaSyntaxError) {
        try next()
        let whileInit = getLabel()
        let condExit = try cond()
        enterBlock(isLoop: true)
        try checkNext(Tk.do)
        try block()
        try jumpTo(whileInit)
        try checkMatch(Tk.end, Tk.while, line)
        try leaveBlock()
        try patchToHere(condExit)
    }

    /// `repeatstat -> REPEAT block UNTIL cond`; the condition sees the block's locals.
    mutating func repeatStat(_ line: Int) throws(LuaSyntaxError) {
        let repeatInit = getLabel()
        enterBlock(isLoop: true)
        enterBlock(isLoop: false)
        try next()
        try statList()
        try checkMatch(Tk.until, Tk.repeat, line)
        var condExit = try cond()
        let scope = fs.blocks[fs.blocks.count - 1]
        try leaveBlock()
        if scope.upval {
            // Repeating must close the upvalues created by the body.
            let exit = jump()
            try patchToHere(condExit)
            codeABC(.close, regLevel(scope.nactvar), 0, 0)
            condExit = jump()
            try patchToHere(exit)
        }
        try patchList(condExit, repeatInit)
        try leaveBlock()
    }

    /// Evaluates an expression into the next register.
    private mutating func exp1() throws(LuaSyntaxError) {
        var e = ExpDesc(.void)
        try expr(&e)
        try exp2nextreg(&e)
    }

    /// Sets the Bx jump of a for-loop instruction (`fixforjump`).
    private mutating func fixForJump(_ pc: Int, _ dest: Int, back: Bool) throws(LuaSyntaxError) {
        var offset = dest - (pc + 1)
        if back { offset = -offset }
        if offset > LuaInstruction.maxBx { throw lex.syntaxError("control structure too long") }
        modifyInstruction(pc) { $0.setBx(offset) }
    }

    /// `forbody -> DO block`
    private mutating func forBody(_ base: Int, _ line: Int, _ nvars: Int, isGeneric: Bool) throws(LuaSyntaxError) {
        try checkNext(Tk.do)
        let prep = codeABx(isGeneric ? .tForPrep : .forPrep, base, 0)
        enterBlock(isLoop: false)
        try adjustLocalVars(nvars)
        try reserveRegs(nvars)
        try block()
        try leaveBlock()
        try fixForJump(prep, getLabel(), back: false)
        if isGeneric {
            codeABC(.tForCall, base, 0, nvars)
            fixLine(line)
        }
        let endFor = codeABx(isGeneric ? .tForLoop : .forLoop, base, 0)
        try fixForJump(endFor, prep + 1, back: true)
        fixLine(line)
    }

    /// `fornum -> NAME = exp, exp [, exp] forbody`
    private mutating func forNum(_ varName: Int32, _ line: Int) throws(LuaSyntaxError) {
        let base = fs.freeReg
        for _ in 0..<3 { try newLocalVar(StringInterner.Fixed.forState) }
        try newLocalVar(varName)
        try checkNext(61)
        try exp1()
        try checkNext(44)
        try exp1()
        if try testNext(44) {
            try exp1()
        } else {
            codeInt(fs.freeReg, 1)
            try reserveRegs(1)
        }
        try adjustLocalVars(3)
        try forBody(base, line, 1, isGeneric: false)
    }

    /// `forlist -> NAME {, NAME} IN explist forbody`; the fourth hidden variable is the
    /// to-be-closed value.
    private mutating func forList(_ indexName: Int32) throws(LuaSyntaxError) {
        let base = fs.freeReg
        var nvars = 5
        for _ in 0..<4 { try newLocalVar(StringInterner.Fixed.forState) }
        try newLocalVar(indexName)
        while try testNext(44) {
            try newLocalVar(try checkName())
            nvars += 1
        }
        try checkNext(Tk.in)
        let line = lex.lineNumber
        var e = ExpDesc(.void)
        let nexps = try expList(&e)
        try adjustAssign(4, nexps, &e)
        try adjustLocalVars(4)
        markToBeClosed()
        try checkStack(3)  // room to call the generator
        try forBody(base, line, nvars - 4, isGeneric: true)
    }

    /// `forstat -> FOR (fornum | forlist) END`
    mutating func forStat(_ line: Int) throws(LuaSyntaxError) {
        enterBlock(isLoop: true)
        try next()
        let varName = try checkName()
        switch token {
        case 61: try forNum(varName, line)
        case 44, Tk.in: try forList(varName)
        default: throw lex.syntaxError("'=' or 'in' expected")
        }
        try checkMatch(Tk.end, Tk.for, line)
        try leaveBlock()
    }

    /// `test_then_block -> [IF | ELSEIF] cond THEN block`
    private mutating func testThenBlock(_ escapeList: inout Int) throws(LuaSyntaxError) {
        try next()
        var v = ExpDesc(.void)
        try expr(&v)
        try checkNext(Tk.then)
        let jf: Int
        if token == Tk.break {
            // 'if x then break': jump out directly when the condition holds.
            let line = lex.lineNumber
            try goIfFalse(&v)
            try next()
            enterBlock(isLoop: false)
            try newGotoEntry(StringInterner.Fixed.breakLabel, line: line, pc: v.t)
            while try testNext(59) {}
            if blockFollow(withUntil: false) {
                try leaveBlock()
                return
            }
            jf = jump()
        } else {
            try goIfTrue(&v)
            enterBlock(isLoop: false)
            jf = v.f
        }
        try statList()
        try leaveBlock()
        if token == Tk.else || token == Tk.elseif {
            try concatJumps(&escapeList, jump())
        }
        try patchToHere(jf)
    }

    /// `ifstat -> IF cond THEN block {ELSEIF cond THEN block} [ELSE block] END`
    mutating func ifStat(_ line: Int) throws(LuaSyntaxError) {
        var escapeList = noJump
        try testThenBlock(&escapeList)
        while token == Tk.elseif { try testThenBlock(&escapeList) }
        if try testNext(Tk.else) { try block() }
        try checkMatch(Tk.end, Tk.if, line)
        try patchToHere(escapeList)
    }
}
