/// Expression rules: operators by precedence climbing, primary and suffixed expressions,
/// calls, table constructors and function bodies.
///
/// Each rule keeps its stack frame small on purpose: nesting depth is bounded by
/// `enterLevel`, and the bound must stay safe even in debug builds on secondary threads.
extension Parser {
    /// State of a table constructor being parsed (`ConsControl`).
    struct ConsControl {
        /// The last list item read, not yet stored.
        var v = ExpDesc(.void)
        /// Register holding the table.
        var tableReg: Int
        /// Where the NEWTABLE instruction is.
        var newTablePC: Int
        /// Number of record fields.
        var nh = 0
        /// Number of array items already stored.
        var na = 0
        /// Number of array items pending in registers.
        var tostore = 0
    }

    mutating func expr(_ v: inout ExpDesc) throws(LuaSyntaxError) {
        _ = try subexpr(&v, 0)
    }

    /// `subexpr -> (simpleexp | unop subexpr) { binop subexpr }`, reading operators with
    /// left priority above `limit`; returns the first operator it did not take.
    mutating func subexpr(_ v: inout ExpDesc, _ limit: Int) throws(LuaSyntaxError) -> BinOpr? {
        try enterLevel()
        if let uop = UnOpr.from(token: token) {
            let line = lex.lineNumber
            try next()
            _ = try subexpr(&v, Parser.unaryPriority)
            try prefix(uop, &v, line)
        } else {
            try simpleExp(&v)
        }
        var op = BinOpr.from(token: token)
        while let o = op, BinOpr.priority[o.rawValue].left > limit {
            op = try binaryTail(o, &v)
        }
        leaveLevel()
        return op
    }

    /// Reads the right operand of `o` and combines it with `v`.
    private mutating func binaryTail(_ o: BinOpr, _ v: inout ExpDesc) throws(LuaSyntaxError) -> BinOpr? {
        var v2 = ExpDesc(.void)
        let line = lex.lineNumber
        try next()
        try infix(o, &v)
        let nextOp = try subexpr(&v2, BinOpr.priority[o.rawValue].right)
        try posfix(o, &v, &v2, line)
        return nextOp
    }

    /// Literals, `...`, constructors, function definitions, or a suffixed expression.
    ///
    /// This and the other rules on the recursion path only dispatch; the work happens in
    /// helpers that return before the next level starts, so debug-build frames stay small.
    mutating func simpleExp(_ v: inout ExpDesc) throws(LuaSyntaxError) {
        switch lex.t.kind {
        case Tk.flt, Tk.int, Tk.string, Tk.nil, Tk.true, Tk.false, Tk.dots:
            try literal(&v)
        case 123:  // '{'
            try constructor(&v)
        case Tk.function:
            try functionExp(&v)
        default:
            try suffixedExp(&v)
        }
    }

    @inline(never)
    private mutating func literal(_ v: inout ExpDesc) throws(LuaSyntaxError) {
        switch lex.t.kind {
        case Tk.flt: v = ExpDesc.float(lex.t.fval)
        case Tk.int: v = ExpDesc.integer(lex.t.ival)
        case Tk.string: v = ExpDesc(.kstr, Int(lex.t.id))
        case Tk.nil: v = ExpDesc(.nil)
        case Tk.true: v = ExpDesc(.true)
        case Tk.false: v = ExpDesc(.false)
        default:  // '...'
            if !fs.isVararg { throw lex.syntaxError("cannot use '...' outside a vararg function") }
            v = ExpDesc(.vararg, codeABC(.vararg, 0, 0, 1))
        }
        try next()
    }

    private mutating func functionExp(_ v: inout ExpDesc) throws(LuaSyntaxError) {
        try next()
        try body(&v, isMethod: false, line: lex.lineNumber)
    }

    /// `primaryexp -> NAME | '(' expr ')'`
    mutating func primaryExp(_ v: inout ExpDesc) throws(LuaSyntaxError) {
        switch token {
        case 40:  // '('
            let line = lex.lineNumber
            try next()
            try expr(&v)
            try checkMatch(41, 40, line)
            dischargeVars(&v)
        case Tk.name:
            try singleVar(&v)
        default:
            throw lex.syntaxError("unexpected symbol")
        }
    }

    /// `suffixedexp -> primaryexp { '.' NAME | '[' exp ']' | ':' NAME funcargs | funcargs }`
    mutating func suffixedExp(_ v: inout ExpDesc) throws(LuaSyntaxError) {
        let line = lex.lineNumber
        try primaryExp(&v)
        while true {
            switch lex.t.kind {
            case 46:  // '.'
                try fieldSel(&v)
            case 91:  // '['
                try indexSuffix(&v)
            case 58:  // ':'
                try methodPrefix(&v)
                try funcArgs(&v, line)
            case 40, Tk.string, 123:  // '(' STRING '{'
                try exp2nextreg(&v)
                try funcArgs(&v, line)
            default:
                return
            }
        }
    }

    private mutating func indexSuffix(_ v: inout ExpDesc) throws(LuaSyntaxError) {
        try exp2anyregup(&v)
        var key = ExpDesc(.void)
        try yindex(&key)
        try indexed(&v, &key)
    }

    /// `':' NAME`, emitting SELF.
    @inline(never)
    private mutating func methodPrefix(_ v: inout ExpDesc) throws(LuaSyntaxError) {
        try next()
        var key = ExpDesc(.kstr, Int(try checkName()))
        try codeSelf(&v, &key)
    }

    /// `fieldsel -> ['.' | ':'] NAME`
    mutating func fieldSel(_ v: inout ExpDesc) throws(LuaSyntaxError) {
        try exp2anyregup(&v)
        try next()
        var key = ExpDesc(.kstr, Int(try checkName()))
        try indexed(&v, &key)
    }

    /// `index -> '[' expr ']'`
    mutating func yindex(_ v: inout ExpDesc) throws(LuaSyntaxError) {
        try next()
        try expr(&v)
        try exp2val(&v)
        try checkNext(93)
    }

    /// `explist -> expr { ',' expr }`; returns the number of expressions.
    mutating func expList(_ v: inout ExpDesc) throws(LuaSyntaxError) -> Int {
        var n = 1
        try expr(&v)
        while try testNext(44) {
            try exp2nextreg(&v)
            try expr(&v)
            n += 1
        }
        return n
    }

    /// Parses call arguments and emits CALL for the function in `f` (`funcargs`).
    mutating func funcArgs(_ f: inout ExpDesc, _ line: Int) throws(LuaSyntaxError) {
        var args = ExpDesc(.void)
        switch lex.t.kind {
        case 40:  // '('
            try parenArgs(&args, line)
        case 123:
            try constructor(&args)
        case Tk.string:
            args = ExpDesc(.kstr, Int(lex.t.id))
            try next()
        default:
            throw lex.syntaxError("function arguments expected")
        }
        try finishCall(&f, &args, line)
    }

    private mutating func parenArgs(_ args: inout ExpDesc, _ line: Int) throws(LuaSyntaxError) {
        try next()
        if lex.t.kind != 41 {
            _ = try expList(&args)
            if args.k.hasMultRet { try setMultRet(&args) }
        }
        try checkMatch(41, 40, line)
    }

    @inline(never)
    private mutating func finishCall(_ f: inout ExpDesc, _ args: inout ExpDesc, _ line: Int) throws(LuaSyntaxError) {
        let base = f.info
        let nparams: Int
        if args.k.hasMultRet {
            nparams = -1
        } else {
            if args.k != .void { try exp2nextreg(&args) }
            nparams = fs.freeReg - (base + 1)
        }
        f = ExpDesc(.call, codeABC(.call, base, nparams + 1, 2))
        fixLine(line)
        fs.freeReg = base + 1
    }

    // MARK: Constructors

    /// `constructor -> '{' [ field { sep field } [sep] ] '}'`
    mutating func constructor(_ t: inout ExpDesc) throws(LuaSyntaxError) {
        let line = lex.lineNumber
        var cc = try openConstructor(&t)
        while lex.t.kind != 125 {
            try closeListField(&cc)
            try field(&cc)
            if try !testNext(44), try !testNext(59) { break }
        }
        try closeConstructor(&cc, line)
    }

    /// Emits NEWTABLE (sizes patched later) and reserves the table's register.
    @inline(never)
    private mutating func openConstructor(_ t: inout ExpDesc) throws(LuaSyntaxError) -> ConsControl {
        let pc = codeABC(.newTable, 0, 0, 0)
        code(LuaInstruction(raw: 0))  // room for the EXTRAARG
        let cc = ConsControl(tableReg: fs.freeReg, newTablePC: pc)
        t = ExpDesc(.nonReloc, fs.freeReg)
        try reserveRegs(1)
        try checkNext(123)
        return cc
    }

    @inline(never)
    private mutating func closeConstructor(_ cc: inout ConsControl, _ line: Int) throws(LuaSyntaxError) {
        try checkMatch(125, 123, line)
        try lastListField(&cc)
        setTableSize(cc.newTablePC, cc.tableReg, cc.na, cc.nh)
    }

    private mutating func field(_ cc: inout ConsControl) throws(LuaSyntaxError) {
        switch token {
        case Tk.name:
            if try lex.peek() != 61 {
                try listField(&cc)
            } else {
                try recField(&cc)
            }
        case 91:
            try recField(&cc)
        default:
            try listField(&cc)
        }
    }

    private mutating func listField(_ cc: inout ConsControl) throws(LuaSyntaxError) {
        try expr(&cc.v)
        cc.tostore += 1
    }

    /// `recfield -> (NAME | '[' exp ']') = exp`
    private mutating func recField(_ cc: inout ConsControl) throws(LuaSyntaxError) {
        let reg = fs.freeReg
        var key = ExpDesc(.void)
        if token == Tk.name {
            key = ExpDesc(.kstr, Int(try checkName()))
        } else {
            try yindex(&key)
        }
        cc.nh += 1
        try checkNext(61)
        var tab = ExpDesc(.nonReloc, cc.tableReg)
        try indexed(&tab, &key)
        var val = ExpDesc(.void)
        try expr(&val)
        try storeVar(tab, &val)
        fs.freeReg = reg
    }

    private mutating func closeListField(_ cc: inout ConsControl) throws(LuaSyntaxError) {
        if cc.v.k == .void { return }
        try exp2nextreg(&cc.v)
        cc.v.k = .void
        if cc.tostore == Parser.fieldsPerFlush {
            setList(cc.tableReg, cc.na, cc.tostore)
            cc.na += cc.tostore
            cc.tostore = 0
        }
    }

    private mutating func lastListField(_ cc: inout ConsControl) throws(LuaSyntaxError) {
        if cc.tostore == 0 { return }
        if cc.v.k.hasMultRet {
            try setMultRet(&cc.v)
            setList(cc.tableReg, cc.na, -1)
            cc.na -= 1  // the open item's count is unknown
        } else {
            if cc.v.k != .void { try exp2nextreg(&cc.v) }
            setList(cc.tableReg, cc.na, cc.tostore)
        }
        cc.na += cc.tostore
    }

    // MARK: Function bodies

    /// `body -> '(' parlist ')' block END`; leaves the closure in the next register.
    mutating func body(_ e: inout ExpDesc, isMethod: Bool, line: Int) throws(LuaSyntaxError) {
        if fs.prototypes.count >= LuaInstruction.maxBx {  // CLOSURE's Bx must address it
            throw Parser.growError("functions", LuaInstruction.maxBx)
        }
        openFunction(lineDefined: line)
        try checkNext(40)
        if isMethod {
            try newLocalVar(StringInterner.Fixed.selfName)
            try adjustLocalVars(1)
        }
        try parList()
        try checkNext(41)
        try statList()
        fs.lastLineDefined = lex.lineNumber
        try checkMatch(Tk.end, Tk.function, line)
        let proto = try closeFunction()
        fs.prototypes.append(proto)
        e = ExpDesc(.reloc, codeABx(.closure, 0, fs.prototypes.count - 1))
        try exp2nextreg(&e)
    }

    /// `parlist -> [ {NAME ','} (NAME | '...') ]`
    private mutating func parList() throws(LuaSyntaxError) {
        var nparams = 0
        var isVararg = false
        if token != 41 {
            repeat {
                switch token {
                case Tk.name:
                    try newLocalVar(try checkName())
                    nparams += 1
                case Tk.dots:
                    try next()
                    isVararg = true
                default:
                    throw lex.syntaxError("<name> or '...' expected")
                }
                if isVararg { break }
            } while try testNext(44)
        }
        try adjustLocalVars(nparams)
        fs.numParams = fs.nactvar
        if isVararg { setVararg(fs.numParams) }
        try reserveRegs(fs.nactvar)
    }
}
