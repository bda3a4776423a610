/// The recursive-descent parser that drives code generation in one pass (lparser.c).
///
/// Like PUC there is no syntax tree: each grammar rule emits code through the generator as
/// soon as it knows enough. The current function's state is `fs`; enclosing functions wait
/// in `enclosing`, innermost last.
struct Parser {
    var lex: Lexer
    var fs: FuncState
    var enclosing: [FuncState] = []
    /// Active local variables of all open functions (`dyd->actvar`). Entries past
    /// `actvarCount` are dead but kept, because PUC's `movegotosout` still reads them when
    /// it computes register levels of gotos leaving a block, and the result must match.
    var actvar: [VarDesc] = []
    var actvarCount = 0
    /// Pending gotos (`dyd->gt`).
    var gotos: [LabelDesc] = []
    /// Active labels (`dyd->label`).
    var labels: [LabelDesc] = []
    /// Byte arrays of interned strings already handed to prototypes, by id.
    var stringBytes: [[UInt8]?] = []
    /// Targets of the multiple assignments being parsed (innermost last).
    var assignTargets: [ExpDesc] = []
    /// Constant cache shared by all functions (PUC's scanner table `ls->h`).
    var kcache = KCache()
    /// Nesting depth, counted like PUC's C-call counter (see `enterLevel`).
    var level: Int = Parser.baseLevel
    let source: [UInt8]

    /// PUC's LUAI_MAXCCALLS.
    static let maxCLevels = 200
    /// C levels already in use when luac's parser starts (its protected call of `pmain`).
    static let baseLevel = 1
    /// Most locals per function (MAXVARS).
    static let maxVars = 200
    /// Most registers per function (MAXREGS).
    static let maxRegs = 255
    /// Most upvalues per function (MAXUPVAL).
    static let maxUpvalues = 255
    /// Array items stored per SETLIST (LFIELDS_PER_FLUSH).
    static let fieldsPerFlush = 50
    /// Most debug records of locals per function (SHRT_MAX in `registerlocalvar`).
    static let maxDebugLocals = 32767
    /// Most pending gotos, and most active labels (SHRT_MAX in `newlabelentry`).
    static let maxLabels = 32767
    /// Unary operator priority.
    static let unaryPriority = 12

    init(lexer: Lexer, source: [UInt8]) {
        lex = lexer
        self.source = source
        fs = FuncState(lineDefined: 0, firstLocal: 0, firstLabel: 0)
    }

    // MARK: Token helpers

    @inline(__always) var token: Int32 { mutating get { lex.t.kind } }

    @inline(__always) mutating func next() throws(LuaSyntaxError) { try lex.next() }

    @inline(__always) mutating func testNext(_ c: Int32) throws(LuaSyntaxError) -> Bool {
        if lex.t.kind == c {
            try lex.next()
            return true
        }
        return false
    }

    mutating func errorExpected(_ c: Int32) -> LuaSyntaxError {
        lex.syntaxError("\(Lexer.tokenName(c)) expected")
    }

    @inline(__always) mutating func check(_ c: Int32) throws(LuaSyntaxError) {
        if lex.t.kind != c { throw errorExpected(c) }
    }

    @inline(__always) mutating func checkNext(_ c: Int32) throws(LuaSyntaxError) {
        try check(c)
        try lex.next()
    }

    /// Checks for `what` closing `who` opened at line `where`, as `check_match`.
    mutating func checkMatch(_ what: Int32, _ who: Int32, _ line: Int) throws(LuaSyntaxError) {
        if try testNext(what) { return }
        if line == lex.lineNumber { throw errorExpected(what) }
        throw lex.syntaxError(
            "\(Lexer.tokenName(what)) expected (to close \(Lexer.tokenName(who)) at line \(line))")
    }

    mutating func checkName() throws(LuaSyntaxError) -> Int32 {
        try check(Tk.name)
        let id = lex.t.id
        try lex.next()
        return id
    }

    mutating func errorLimit(_ limit: Int, _ what: String, lineDefined: Int? = nil) -> LuaSyntaxError {
        let line = lineDefined ?? fs.lineDefined
        let whereText = line == 0 ? "main function" : "function at line \(line)"
        return lex.syntaxError("too many \(what) (limit is \(limit)) in \(whereText)")
    }

    /// Counts one level of syntactic nesting. PUC counts these on the C-call counter and
    /// fails at LUAI_MAXCCALLS with a message without position; the same bound keeps this
    /// recursive-descent parser far from the end of any thread's stack.
    @inline(__always) mutating func enterLevel() throws(LuaSyntaxError) {
        level += 1
        if level >= Parser.maxCLevels { throw Parser.stackOverflow() }
    }

    /// PUC's `luaM_growvector` failure: a run-time error, so the message has no position.
    @inline(never)
    static func growError(_ what: String, _ limit: Int) -> LuaSyntaxError {
        LuaSyntaxError(messageBytes: Array("too many \(what) (limit is \(limit))".utf8), line: 0)
    }

    @inline(never)
    static func stackOverflow() -> LuaSyntaxError {
        LuaSyntaxError(messageBytes: Array("C stack overflow".utf8), line: 0)
    }

    @inline(__always) mutating func leaveLevel() { level -= 1 }

    // MARK: Variables

    /// Declares a new local (not yet active) and returns its index in the function.
    @discardableResult
    mutating func newLocalVar(_ name: Int32) throws(LuaSyntaxError) -> Int {
        if actvarCount + 1 - fs.firstLocal > Parser.maxVars {
            throw errorLimit(Parser.maxVars, "local variables")
        }
        if actvarCount < actvar.count {
            actvar[actvarCount] = VarDesc(name: name)
        } else {
            actvar.append(VarDesc(name: name))
        }
        actvarCount += 1
        return actvarCount - 1 - fs.firstLocal
    }

    /// The register level just above the variables below compiler index `nvar` (`reglevel`).
    mutating func regLevel(_ nvar: Int) -> Int {
        var n = nvar
        while n > 0 {
            n -= 1
            let vd = actvar[fs.firstLocal + n]
            if vd.kind != .compileTimeConstant { return vd.ridx + 1 }
        }
        return 0
    }

    /// Number of registers used by active locals (`luaY_nvarstack`).
    @inline(__always) mutating func nvarstack() -> Int { regLevel(fs.nactvar) }

    /// Activates the last `nvars` declared variables (`adjustlocalvars`).
    mutating func adjustLocalVars(_ nvars: Int) throws(LuaSyntaxError) {
        var reg = nvarstack()
        for _ in 0..<nvars {
            if fs.locVars.count >= Parser.maxDebugLocals {
                throw Parser.growError("local variables", Parser.maxDebugLocals)
            }
            let vidx = fs.nactvar
            fs.nactvar += 1
            let i = fs.firstLocal + vidx
            actvar[i].ridx = reg
            reg += 1
            fs.locVars.append(LocVarDesc(name: actvar[i].name, startPC: fs.pc, endPC: 0))
            actvar[i].pidx = fs.locVars.count - 1
        }
    }

    /// Ends the scope of variables above `toLevel` (`removevars`).
    mutating func removeVars(_ toLevel: Int) {
        let n = fs.nactvar - toLevel
        while fs.nactvar > toLevel {
            fs.nactvar -= 1
            let vd = actvar[fs.firstLocal + fs.nactvar]
            if vd.kind != .compileTimeConstant { fs.locVars[vd.pidx].endPC = fs.pc }
        }
        actvarCount -= n
    }

    /// Resolves `name` in function `depth` (index into enclosing + current), like
    /// `singlevaraux`; sets `v` to a local, upvalue, constant, or void for a global.
    mutating func singleVarAux(_ depth: Int, _ name: Int32, _ v: inout ExpDesc, base: Bool) throws(LuaSyntaxError) {
        if depth < 0 {
            v = ExpDesc(.void)
            return
        }
        let isCurrent = depth == enclosing.count
        let firstLocal = isCurrent ? fs.firstLocal : enclosing[depth].firstLocal
        // Search active locals, innermost first.
        var i = (isCurrent ? fs.nactvar : enclosing[depth].nactvar) - 1
        while i >= 0 {
            let vd = actvar[firstLocal + i]
            if vd.name == name {
                if vd.kind == .compileTimeConstant {
                    v = ExpDesc(.const, firstLocal + i)
                } else {
                    v = ExpDesc(.local, vd.ridx)
                    v.aux = i
                    if !base {
                        if isCurrent { fs.markUpval(level: i) } else { enclosing[depth].markUpval(level: i) }
                    }
                }
                return
            }
            i -= 1
        }
        var idx = isCurrent ? Parser.findUpvalue(fs.upvalues, name) : Parser.findUpvalue(enclosing[depth].upvalues, name)
        if idx < 0 {
            try singleVarAux(depth - 1, name, &v, base: false)
            guard v.k == .local || v.k == .upval else { return }
            idx = try newUpvalue(depth, name, v)
        }
        v = ExpDesc(.upval, idx)
    }

    @inline(__always)
    private static func findUpvalue(_ ups: [UpvalDesc], _ name: Int32) -> Int {
        var j = 0
        while j < ups.count {
            if ups[j].name == name { return j }
            j += 1
        }
        return -1
    }

    /// Adds an upvalue to function `depth` capturing `v` from the function just outside it.
    private mutating func newUpvalue(_ depth: Int, _ name: Int32, _ v: ExpDesc) throws(LuaSyntaxError) -> Int {
        let kind: LuaVariableKind
        if v.k == .local {
            kind = actvar[enclosing[depth - 1].firstLocal + v.aux].kind
        } else {
            kind = enclosing[depth - 1].upvalues[v.info].kind
        }
        let desc = UpvalDesc(name: name, inStack: v.k == .local, index: v.info, kind: kind)
        if depth == enclosing.count {
            if fs.upvalues.count + 1 > Parser.maxUpvalues {
                throw errorLimit(Parser.maxUpvalues, "upvalues", lineDefined: fs.lineDefined)
            }
            fs.upvalues.append(desc)
            return fs.upvalues.count - 1
        }
        if enclosing[depth].upvalues.count + 1 > Parser.maxUpvalues {
            throw errorLimit(Parser.maxUpvalues, "upvalues", lineDefined: enclosing[depth].lineDefined)
        }
        enclosing[depth].upvalues.append(desc)
        return enclosing[depth].upvalues.count - 1
    }

    /// Parses a name and resolves it, globals becoming `_ENV.name` (`singlevar`).
    mutating func singleVar(_ v: inout ExpDesc) throws(LuaSyntaxError) {
        let name = try checkName()
        try singleVarAux(enclosing.count, name, &v, base: true)
        if v.k == .void {
            try singleVarAux(enclosing.count, StringInterner.Fixed.env, &v, base: true)
            // `_ENV` may be a compile-time constant (`local _ENV <const> = ...`): index it
            // from a register, as any other non-upvalue.
            try exp2anyregup(&v)
            var key = ExpDesc(.kstr, Int(name))
            try indexed(&v, &key)
        }
    }

    /// Adjusts `nexps` values (the last one `e`) to `nvars` (`adjust_assign`).
    mutating func adjustAssign(_ nvars: Int, _ nexps: Int, _ e: inout ExpDesc) throws(LuaSyntaxError) {
        let needed = nvars - nexps
        if e.k.hasMultRet {
            let extra = max(needed + 1, 0)
            try setReturns(&e, extra)
        } else {
            if e.k != .void { try exp2nextreg(&e) }
            if needed > 0 { codeNil(fs.freeReg, needed) }
        }
        if needed > 0 {
            try reserveRegs(needed)
        } else {
            fs.freeReg += needed
        }
    }

    // MARK: Functions

    /// Starts compiling a nested function (`open_func` after `addprototype`).
    mutating func openFunction(lineDefined: Int) {
        let child = FuncState(lineDefined: lineDefined, firstLocal: actvarCount, firstLabel: labels.count)
        enclosing.append(fs)
        fs = child
        enterBlock(isLoop: false)
    }

    /// Finishes the current function and returns its prototype (`close_func`).
    mutating func closeFunction() throws(LuaSyntaxError) -> LuaPrototype {
        codeReturn(nvarstack(), 0)
        try leaveBlock()
        try finish()
        let proto = makePrototype()
        if let outer = enclosing.popLast() { fs = outer }
        return proto
    }

    /// The bytes of interned string `id`, shared by every prototype of the chunk.
    mutating func sharedBytes(_ id: Int32) -> [UInt8] {
        let i = Int(id)
        if i >= stringBytes.count {
            stringBytes.append(contentsOf: repeatElement(nil, count: i + 1 - stringBytes.count))
        }
        if let bytes = stringBytes[i] { return bytes }
        let bytes = lex.strings.bytes(id)
        stringBytes[i] = bytes
        return bytes
    }

    private mutating func makePrototype() -> LuaPrototype {
        var constants: [LuaConstant] = []
        constants.reserveCapacity(fs.constants.count)
        for k in fs.constants {
            switch k {
            case .nil: constants.append(.nil)
            case .bool(let b): constants.append(.boolean(b))
            case .int(let i): constants.append(.integer(i))
            case .float(let d): constants.append(.float(d))
            case .string(let id): constants.append(.string(sharedBytes(id)))
            }
        }
        var upvalues: [LuaUpvalueDescriptor] = []
        upvalues.reserveCapacity(fs.upvalues.count)
        for u in fs.upvalues {
            upvalues.append(LuaUpvalueDescriptor(name: sharedBytes(u.name), inStack: u.inStack,
                                                 index: UInt8(truncatingIfNeeded: u.index), kind: u.kind))
        }
        var locals: [LuaLocalVariableInfo] = []
        locals.reserveCapacity(fs.locVars.count)
        for v in fs.locVars {
            locals.append(LuaLocalVariableInfo(name: sharedBytes(v.name), startPC: Int32(v.startPC), endPC: Int32(v.endPC)))
        }
        return LuaPrototype(
            code: fs.code,
            constants: constants,
            prototypes: fs.prototypes,
            upvalues: upvalues,
            lineInfo: fs.lineInfo,
            localVariables: locals,
            numParams: UInt8(truncatingIfNeeded: fs.numParams),
            isVararg: fs.isVararg,
            maxStackSize: UInt8(truncatingIfNeeded: fs.maxStackSize),
            source: source,
            lineDefined: Int32(truncatingIfNeeded: fs.lineDefined),
            lastLineDefined: Int32(truncatingIfNeeded: fs.lastLineDefined))
    }

    /// Compiles the main function: a vararg function with the single upvalue `_ENV`.
    mutating func mainFunction() throws(LuaSyntaxError) -> LuaPrototype {
        enterBlock(isLoop: false)
        setVararg(0)
        fs.upvalues.append(UpvalDesc(name: StringInterner.Fixed.env, inStack: true, index: 0, kind: .regular))
        try next()
        try statList()
        try check(Tk.eos)
        return try closeFunction()
    }

    mutating func setVararg(_ nparams: Int) {
        fs.isVararg = true
        codeABC(.varargPrep, nparams, 0, 0)
    }
}
