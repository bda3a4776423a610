/// Blocks, labels and gotos with Lua 5.4's visibility rules (lparser.c's enterblock,
/// leaveblock, createlabel, solvegotos and friends).
extension Parser {
    mutating func enterBlock(isLoop: Bool) {
        let insideTBC = fs.blocks.last?.insideTBC ?? false
        fs.blocks.append(BlockCnt(firstLabel: labels.count, firstGoto: gotos.count, nactvar: fs.nactvar,
                                  isLoop: isLoop, insideTBC: insideTBC))
    }

    mutating func leaveBlock() throws(LuaSyntaxError) {
        let bl = fs.blocks[fs.blocks.count - 1]
        let hasPrevious = fs.blocks.count > 1
        var hasClose = false
        let stackLevel = regLevel(bl.nactvar)
        // The block's locals leave scope before the loop's `break` label is created, so a
        // `break` that must close something closes from the level outside the block,
        // including a generic `for`'s to-be-closed value (Lua 5.4.6; 5.4.4 closed only from
        // the level of the loop's control variables).
        removeVars(bl.nactvar)
        if bl.isLoop {
            hasClose = try createLabel(StringInterner.Fixed.breakLabel, line: 0, last: false)
        }
        if !hasClose && hasPrevious && bl.upval {
            codeABC(.close, stackLevel, 0, 0)
        }
        fs.blocks.removeLast()
        fs.freeReg = stackLevel
        labels.removeLast(labels.count - bl.firstLabel)
        if hasPrevious {
            moveGotosOut(bl)
        } else if bl.firstGoto < gotos.count {
            throw undefinedGoto(gotos[bl.firstGoto])
        }
    }

    /// Adjusts pending gotos of a closing block to the enclosing block (`movegotosout`).
    mutating func moveGotosOut(_ bl: BlockCnt) {
        let blockLevel = regLevel(bl.nactvar)
        for i in bl.firstGoto..<gotos.count {
            if regLevel(gotos[i].nactvar) > blockLevel {
                gotos[i].close = gotos[i].close || bl.upval
            }
            gotos[i].nactvar = bl.nactvar
        }
    }

    mutating func undefinedGoto(_ gt: LabelDesc) -> LuaSyntaxError {
        if gt.name == StringInterner.Fixed.breakLabel {
            return lex.semanticError("break outside loop at line \(gt.line)")
        }
        let name = String(decoding: lex.strings.bytes(gt.name), as: UTF8.self)
        return lex.semanticError("no visible label '\(name)' for <goto> at line \(gt.line)")
    }

    /// Finds an active label of the current function named `name`.
    mutating func findLabel(_ name: Int32) -> Int? {
        var i = fs.firstLabel
        while i < labels.count {
            if labels[i].name == name { return i }
            i += 1
        }
        return nil
    }

    @discardableResult
    mutating func newGotoEntry(_ name: Int32, line: Int, pc: Int) throws(LuaSyntaxError) -> Int {
        if gotos.count >= Parser.maxLabels { throw Parser.growError("labels/gotos", Parser.maxLabels) }
        gotos.append(LabelDesc(name: name, pc: pc, line: line, nactvar: fs.nactvar, close: false))
        return gotos.count - 1
    }

    /// Resolves pending goto `g` to `label` and removes it from the list (`solvegoto`).
    mutating func solveGoto(_ g: Int, _ label: LabelDesc) throws(LuaSyntaxError) {
        let gt = gotos[g]
        if gt.nactvar < label.nactvar {
            let varName = actvar[fs.firstLocal + gt.nactvar].name
            let gname = String(decoding: lex.strings.bytes(gt.name), as: UTF8.self)
            let vname = String(decoding: lex.strings.bytes(varName), as: UTF8.self)
            throw lex.semanticError("<goto \(gname)> at line \(gt.line) jumps into the scope of local '\(vname)'")
        }
        try patchList(gt.pc, label.pc)
        gotos.remove(at: g)
    }

    /// Solves pending gotos of the current block that target `label`; returns whether any
    /// of them needs to close upvalues (`solvegotos`).
    mutating func solveGotos(_ label: LabelDesc) throws(LuaSyntaxError) -> Bool {
        var i = fs.blocks[fs.blocks.count - 1].firstGoto
        var needsClose = false
        while i < gotos.count {
            if gotos[i].name == label.name {
                needsClose = needsClose || gotos[i].close
                try solveGoto(i, label)
            } else {
                i += 1
            }
        }
        return needsClose
    }

    /// Creates a label here, solving pending gotos to it; `last` says the label ends its
    /// block, so locals are already out of scope (`createlabel`).
    @discardableResult
    mutating func createLabel(_ name: Int32, line: Int, last: Bool) throws(LuaSyntaxError) -> Bool {
        let pc = getLabel()
        var label = LabelDesc(name: name, pc: pc, line: line, nactvar: fs.nactvar, close: false)
        if last { label.nactvar = fs.blocks[fs.blocks.count - 1].nactvar }
        if labels.count >= Parser.maxLabels { throw Parser.growError("labels/gotos", Parser.maxLabels) }
        labels.append(label)
        if try solveGotos(label) {
            codeABC(.close, nvarstack(), 0, 0)
            return true
        }
        return false
    }

    /// Marks the current block as holding a to-be-closed variable (`marktobeclosed`).
    mutating func markToBeClosed() {
        let i = fs.blocks.count - 1
        fs.blocks[i].upval = true
        fs.blocks[i].insideTBC = true
        fs.needClose = true
    }
}
