import Testing
import LuaCore

/// Large and deeply nested generated inputs compile, or fail with PUC's message; nothing
/// overflows the stack, even in debug builds on Swift Testing's worker threads.
@Suite struct StressTests {
    func compile(_ s: String) -> Result<LuaPrototype, LuaSyntaxError> {
        do {
            return .success(try LuaCompiler.compile(Array(s.utf8), chunkName: "=stress"))
        } catch {
            return .failure(error)
        }
    }

    @Test func tenThousandLines() throws {
        var src = "local t = {}\n"
        for i in 0..<10_000 {
            switch i % 5 {
            case 0: src += "t[\(i)] = function(a, b) return a * \(i) + b end\n"
            case 1: src += "if t[\(i - 1)] then t.x\(i % 97) = \"s\(i)\" .. \(i) end\n"
            case 2: src += "for j = 1, \(i) do t[j] = (t[j] or 0) + j // 3 end\n"
            case 3: src += "do local v = {\(i), \(i).5, 'k\(i)', x = \(i)} t[v] = v end\n"
            default: src += "do local a, b = \(i), \(i) * 2; t[a] = b < a and a or b end\n"
            }
        }
        let proto = try compile(src).get()
        #expect(proto.prototypes.count == 2000)
        #expect(proto.lineInfo.last == 10_001)
    }

    /// Nesting right below PUC's limit compiles; one level deeper fails like luac. The
    /// deepest accepted depths were measured with luac5.4 (see Scripts/record-compiler-fixtures.sh
    /// for the error text fixtures).
    static let nestings: [(String, @Sendable (Int) -> String, Int)] = [
        ("parens", { n in "x = " + String(repeating: "(", count: n) + "1" + String(repeating: ")", count: n) }, 196),
        ("blocks", { n in String(repeating: "do ", count: n) + String(repeating: " end", count: n) }, 198),
        ("tables", { n in "x = " + String(repeating: "{", count: n) + String(repeating: "}", count: n) }, 197),
        ("calls", { n in "x = " + String(repeating: "f(", count: n) + String(repeating: ")", count: n) }, 197),
        ("unary", { n in "x = " + String(repeating: "- ", count: n) + "1" }, 196),
        ("concat", { n in "x = 1" + String(repeating: " .. 1", count: n) }, 196),
        ("pow", { n in "x = 2" + String(repeating: " ^ 2", count: n) }, 196),
        ("ifs", { n in String(repeating: "if x then ", count: n) + String(repeating: " end", count: n) }, 197),
        ("functions", { n in "return " + String(repeating: "function() return ", count: n) + "1" + String(repeating: " end", count: n) }, 98),
        ("assign", { n in (0..<n).map { "a\($0)" }.joined(separator: ",") + " = 1" }, 197),
        ("indexing", { n in "x = " + String(repeating: "t[", count: n) + "1" + String(repeating: "]", count: n) }, 196),
    ]

    @Test(arguments: nestings.map(\.0))
    func nestingToTheLimitAndBeyond(_ kind: String) throws {
        let (_, make, deepestOK) = Self.nestings.first { $0.0 == kind }!
        #expect(throws: Never.self) { try compile(make(deepestOK)).get() }
        for n in [deepestOK + 1, deepestOK + 50, 10_000] {
            switch compile(make(n)) {
            case .success: Issue.record("\(kind) nested \(n) deep compiled")
            case .failure(let e): #expect(e.message == "C stack overflow")
            }
        }
    }

    @Test func manyLocalsAndRegistersFailCleanly() {
        let locals = "local " + (0..<300).map { "v\($0)" }.joined(separator: ", ")
        #expect(throws: LuaSyntaxError.self) { try compile(locals).get() }
        let wide = "return f(" + Array(repeating: "1", count: 400).joined(separator: ", ") + ")"
        #expect(throws: LuaSyntaxError.self) { try compile(wide).get() }
        let bigTable = "return {" + (0..<100_000).map(String.init).joined(separator: ",") + "}"
        #expect(throws: Never.self) { try compile(bigTable).get() }
    }

    @Test func randomBytesNeverCrash() {
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array("local function end if then else for in do while repeat until return goto ::x:: ( ) { } [ ] = == ~= < > .. ... , ; : . + - * / // % ^ # & | ~ << >> 1 0x1p 'a' \"b\" [[c]] -- x\n".utf8)
        for _ in 0..<300 {
            let n = Int.random(in: 0..<200, using: &rng)
            let bytes = (0..<n).map { _ in Bool.random(using: &rng) ? alphabet.randomElement(using: &rng)! : UInt8.random(in: 0...255, using: &rng) }
            _ = try? LuaCompiler.compile(bytes, chunkName: "=fuzz")
        }
    }
}

import Foundation

/// The nesting limit keeps the parser within a small stack, even unoptimized: every
/// nesting kind at its deepest accepted depth compiles on a thread with only 512 KiB.
@Suite struct SmallStackTests {
    final class Box: @unchecked Sendable {
        var failures: [String] = []
    }

    @Test func deepestNestingFitsIn512KiB() {
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            for (kind, make, deepest) in StressTests.nestings {
                for n in [deepest, deepest + 1] {
                    do throws(LuaSyntaxError) {
                        _ = try LuaCompiler.compile(Array(make(n).utf8), chunkName: "=deep")
                        if n > deepest { box.failures.append("\(kind) \(n) compiled") }
                    } catch {
                        if n <= deepest { box.failures.append("\(kind) \(n): \(error.message)") }
                    }
                }
            }
            done.signal()
        }
        // AddressSanitizer pads every frame with redzones (its stack-overflow report on
        // this test was the only finding of Scripts/test-sanitized.sh address), so a
        // sanitized run, which sets MOONLET_SANITIZER, gets eight times the stack.
        let sanitized = ProcessInfo.processInfo.environment["MOONLET_SANITIZER"] != nil
        thread.stackSize = (sanitized ? 8 : 1) * 512 * 1024
        thread.start()
        done.wait()
        #expect(box.failures.isEmpty, "\(box.failures)")
    }
}

/// Array limits that PUC enforces through `luaM_growvector` (a run-time error, hence no
/// position). Expected texts were checked against luac5.4 on the same generated inputs.
@Suite struct GrowLimitTests {
    func message(_ s: String) -> String? {
        do {
            _ = try LuaCompiler.compile(Array(s.utf8), chunkName: "=limits")
            return nil
        } catch {
            return error.message
        }
    }

    @Test func debugLocalRecords() {
        #expect(message(String(repeating: "do local x end\n", count: 32767)) == nil)
        #expect(message(String(repeating: "do local x end\n", count: 32768)) == "too many local variables (limit is 32767)")
    }

    @Test func functionsPerPrototype() {
        let make = { (n: Int) in "local t = {" + Array(repeating: "function() end", count: n).joined(separator: ",") + "}" }
        #expect(message(make(131071)) == nil)
        #expect(message(make(131072)) == "too many functions (limit is 131071)")
    }

    @Test func pendingGotos() {
        let src = (0..<32768).map { "goto l\($0)\n" }.joined() + (0..<32768).map { "::l\($0)::\n" }.joined()
        #expect(message(src) == "too many labels/gotos (limit is 32767)")
    }
}
