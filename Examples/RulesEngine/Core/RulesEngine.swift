import GCArena
import LuaCore
import LuaStdlib

// A pricing-rules engine: orders are Swift values exposed to Lua as userdata; rules are
// untrusted Lua scripts run in a sandbox under fuel and time limits; a rule may await a
// Swift async lookup (a stand-in for a database call) and call back into Lua from it.

/// An order as the host keeps it.
public struct Order: LuaUserdataConvertible, Sendable {
    public var customer: String
    public var total: Double
    public var tags: [String] = []
    public static var needsTrace: Bool { false }
    public func trace(_ tracer: inout Tracer) {}

    public init(customer: String, total: Double) {
        self.customer = customer
        self.total = total
    }
}

/// Runs every rule over every order; collects what happened as text.
public final class RulesEngine {
    let lua = Lua.sandboxed()
    var log: [String] = []

    public init() throws {
        try lua.registerUserdata(Order.self, name: "Order") { t in
            t.property("customer", get: { $0.customer })
            t.property("total", get: { $0.total }, set: { $0.total = max(0, $1) })
            t.mutatingMethod("tag") { (o: inout Order, tag: String) in o.tags.append(tag) }
            t.method("tagList") { (o: Order) -> String in o.tags.joined(separator: ",") }
            t.toString { "Order(\($0.customer), \($0.total))" }
        }
        // A slow lookup: the rule's Lua thread suspends while it runs.
        try lua.registerAsync("tierOf") { (customer: String) async throws -> String in
            try await Task.sleep(for: .milliseconds(1))
            return customer.hasPrefix("a") ? "gold" : "silver"
        }
        // An async helper that calls back into Lua: apply `f` to each tag.
        try lua.registerAsync("eachTag") { (order: LuaHostValue, f: LuaFunction) async throws -> Int in
            let tags = try await f.call(order, "list", returning: LuaTableRef?.self)
            var count = 0
            for tag in try tags?.sequence(of: String.self) ?? [] {
                try await f.call(order, tag)
                count += 1
            }
            return count
        }
        try lua.register("newOrder") { (customer: String, total: Double) -> Order in Order(customer: customer, total: total) }
        try lua.run("config = {goldDiscount = 10, bulkThreshold = 100}")
    }

    /// Loads a rule: a chunk that returns a function `(order) -> ()`.
    public func rule(named name: String, _ source: String) throws -> (name: String, function: LuaFunction) {
        let f = try lua.load(Array(source.utf8), chunkName: "=" + name)
        guard let rule = try lua.call(f, [], limits: LuaLimits(fuel: 10_000)).first?.function else {
            throw LuaScriptError(kind: .runtime, message: "\(name) did not return a function")
        }
        return (name, rule)
    }

    /// Applies the rules to the orders in turn and returns the log.
    ///
    /// Each rule gets `fuel` instructions and `timeout` of wall-clock time, which includes the
    /// time it spends suspended in async lookups.
    public func run(
        orders: [Order], rules: [(name: String, function: LuaFunction)],
        fuel: Int = 200_000, timeout: Duration = .seconds(30)
    ) async throws -> [String] {
        let limits = LuaLimits(fuel: fuel, timeout: timeout)
        let newOrder = try lua.globals.get("newOrder", as: LuaFunction.self)
        let show = try lua.eval("function(o) return tostring(o) .. ' [' .. o:tagList() .. ']' end", as: LuaFunction.self)
        for order in orders {
            let handle = try await newOrder.call(order.customer, order.total).first ?? .nil
            for rule in rules {
                do {
                    try await lua.callAsync(rule.function.value, [handle], limits: limits)
                } catch {
                    log.append("  \(rule.name) stopped (\(error.kind)): \(error.message)")
                }
            }
            log.append(try await show.call(handle, returning: String.self))
        }
        return log
    }
}

/// The demo the `rules-engine` executable prints and the tests check.
///
/// `timeout` bounds each rule's wall-clock time; a loaded machine (a parallel test run) can
/// delay the async lookups' resumption, so tests pass a bound that only a hang would exceed.
public func rulesEngineDemo(timeout: Duration = .seconds(30)) async throws -> String {
    let engine = try RulesEngine()
    let rules = [
        try engine.rule(named: "tiers", """
            return function(order)
                if tierOf(order.customer) == "gold" then
                    order.total = order.total * (100 - config.goldDiscount) / 100
                    order:tag("gold")
                end
            end
            """),
        try engine.rule(named: "bulk", """
            return function(order)
                if order.total >= config.bulkThreshold then order:tag("bulk") end
            end
            """),
        try engine.rule(named: "audit", """
            return function(order)
                local n = eachTag(order, function(o, tag)
                    if tag == "list" then return {"checked"} end
                    o:tag(tag .. "-seen")
                end)
            end
            """),
        try engine.rule(named: "runaway", """
            return function(order) while true do end end
            """),
        try engine.rule(named: "nosy", """
            return function(order) return io.open("/etc/passwd") end
            """),
    ]
    let orders = [Order(customer: "ada", total: 200), Order(customer: "bob", total: 50)]
    return try await engine.run(orders: orders, rules: rules, timeout: timeout).joined(separator: "\n") + "\n"
}
