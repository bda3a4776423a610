// Calling a Lua function held by the host (mlua's `Function::call`), with typed arguments
// and typed results through parameter packs:
//
//     let area = try lua.globals.get("area", as: LuaFunction.self)
//     let a = try area.call(3, 4, returning: Double.self)
//     let (q, r) = try divmod.call(17, 5, returning: (Int, Int).self)
//
// From inside a synchronous host function the state is busy running Lua, so a call there
// throws a misuse error (return `.call(...)` instead, or use an async host function).

extension LuaFunction {
    /// Calls the function with host values, returning all its results.
    @discardableResult
    public func call(arguments: [LuaHostValue], limits: LuaLimits = LuaLimits()) throws(LuaScriptError) -> [LuaHostValue] {
        try reference.state().call(value, arguments, limits: limits)
    }

    /// Calls the function with any convertible Swift values, returning all its results.
    @discardableResult
    public func call<each A: LuaHostConvertible>(_ arguments: repeat each A) throws(LuaScriptError) -> [LuaHostValue] {
        let lua = try reference.state()
        return try lua.call(value, try lua.hostArguments(repeat each arguments))
    }

    /// Calls the function and converts its results to the Swift types of `returning`
    /// (missing results are nil; extra ones are dropped).
    public func call<each A: LuaHostConvertible, each R: LuaHostConvertible>(
        _ arguments: repeat each A, returning: (repeat each R).Type
    ) throws(LuaScriptError) -> (repeat each R) {
        let lua = try reference.state()
        // Arguments and results in inline lists: no array per call (up to four of each).
        var list = HostValueList()
        for a in repeat each arguments { list.append(try a.toHost(lua)) }
        var budget = LimitBudget.unlimited
        let results: HostValueList
        if let r = try lua.callFirstSlice(value, list, budget: &budget) {
            results = r
        } else {
            results = HostValueList(try lua.finishCall(budget: &budget))
        }
        // Read in place (a cursor holding a copy of the list cost a copy and a destroy).
        var next = 0
        return (repeat try results.convert(&next, to: (each R).self, lua))
    }

    /// Calls the function with ``Lua/callAsync(_:_:limits:)`` (its host functions may await).
    @discardableResult
    public nonisolated(nonsending) func callAsync(arguments: [LuaHostValue], limits: LuaLimits = LuaLimits()) async throws(LuaScriptError) -> [LuaHostValue] {
        try await reference.state().callAsync(value, arguments, limits: limits)
    }
}

extension Lua {
    /// Converts a pack of Swift values to host values.
    func hostArguments<each A: LuaHostConvertible>(_ arguments: repeat each A) throws(LuaScriptError) -> [LuaHostValue] {
        var list: [LuaHostValue] = []
        for a in repeat each arguments { list.append(try a.toHost(self)) }
        return list
    }
}
