import Testing
import GCArena
import TinyLispConfinedCore

/// Every failure is an error value with a kind and a message, never a crash.
@Suite struct ErrorTests {
    @Test func runtimeErrors() {
        #expect(error("undefined-thing") == LispError(.unboundVariable, "undefined-thing"))
        #expect(error("(car 5)") == LispError(.wrongType, "car: expected a pair, got the number 5"))
        #expect(error("(+ 1 'a)") == LispError(.wrongType, "+: expected a number, got a symbol"))
        #expect(error("(cons 1)") == LispError(.arity, "cons: expected 2 arguments, got 1"))
        #expect(error("(define (f x y) x) (f 1)") == LispError(.arity, "f: expected 2 arguments, got 1"))
        #expect(error("((lambda (a . r) a))") == LispError(.arity, "anonymous procedure: expected at least 1 argument, got 0"))
        #expect(error("(5 3)") == LispError(.wrongType, "attempt to call the number 5, which is not a procedure"))
        #expect(error("(error \"boom:\" 1 \"two\" 'three)") == LispError(.user, "boom: 1 \"two\" three"))
        #expect(error("(quotient 1 0)") == LispError(.arithmetic, "quotient: division by zero"))
        #expect(error("(* 9223372036854775807 2)") == LispError(.arithmetic, "integer overflow in *"))
        #expect(error("(set! nope 1)") == LispError(.unboundVariable, "set!: nope is not defined"))
        #expect(error("(letrec ((a b) (b 1)) a)") == LispError(.unboundVariable, "b used before its definition"))
        #expect(error("(apply + 1 2)") == LispError(.wrongType, "apply: expected a proper list, got the number 2"))
        #expect(error("(define l (list 1 2)) (set-cdr! (cdr l) l) (length l)")
                == LispError(.wrongType, "length: expected a proper list, got a circular list"))
    }

    @Test func malformedForms() {
        #expect(error("(if)")?.kind == .badForm)
        #expect(error("(if 1 2 3 4)")?.kind == .badForm)
        #expect(error("(let ((x)) x)") == LispError(.badForm, "let: a binding must be (name value)"))
        #expect(error("(lambda (1) 1)") == LispError(.badForm, "lambda: parameters must be symbols"))
        #expect(error("(lambda (x))") == LispError(.badForm, "lambda: empty body"))
        #expect(error("(quote)")?.kind == .badForm)
        #expect(error("(else)")?.kind == .badForm)
        #expect(error("(+ 1 . 2)") == LispError(.badForm, "improper argument list"))
    }

    @Test func syntaxErrors() {
        #expect(error("(+ 1 2") == LispError(.syntax, "line 1: unclosed '(' opened on line 1"))
        #expect(error("1 2)") == LispError(.syntax, "line 1: unexpected ')'"))
        #expect(error("\"abc") == LispError(.syntax, "line 1: unterminated string starting on line 1"))
        #expect(error("'") == LispError(.syntax, "line 1: quote at end of input"))
        #expect(error("(1 . )") == LispError(.syntax, "line 1: missing datum after '.'"))
        #expect(error("#x") == LispError(.syntax, "line 1: unknown syntax '#x'"))
        #expect(error("\n\n99999999999999999999") == LispError(.syntax, "line 3: integer '99999999999999999999' does not fit in 64 bits"))
        // A syntax error anywhere means nothing runs.
        #expect(run("(display 1) (").output == "")
    }

    @Test func theInterpreterRecoversAfterAnError() {
        let lisp = Interpreter(output: { _ in })
        #expect(lisp.evaluate("(define x 41) (car '()) (set! x 0)") ==
                .failure(LispError(.wrongType, "car: expected a pair, got ()")))
        // Forms before the error ran, forms after it did not.
        #expect(lisp.evaluate("(+ x 1)") == .success("42"))
    }

    @Test func runawayAllocationHitsTheMemoryLimitAsAnError() {
        let lisp = Interpreter(output: { _ in })
        lisp.arena.collectAll()
        lisp.arena.memoryLimit = lisp.arena.metrics.liveBytes + 1_000_000
        let result = lisp.evaluate("""
            (define (grow l) (grow (cons l l)))
            (grow '())
            """)
        guard case .failure(let e) = result else { Issue.record("expected an error"); return }
        #expect(e.kind == .memory)
        lisp.arena.memoryLimit = nil
        #expect(lisp.evaluate("(length (list 1 2 3))") == .success("3"))
        #expect(lisp.arena.verifyHeap().isValid)
    }
}
