import Testing
import TinyLispConfinedCore

/// Programs with expected results worked out by hand.
@Suite struct LanguageTests {
    @Test func arithmetic() {
        #expect(value("(+ 1 2 3)") == "6")
        #expect(value("(- 10 4 3)") == "3")
        #expect(value("(- 5)") == "-5")
        #expect(value("(*)") == "1")
        #expect(value("(quotient 17 5)") == "3")
        #expect(value("(remainder -7 2)") == "-1")
        #expect(value("(modulo -7 2)") == "1")
        #expect(value("(< 1 2 3)") == "#t")
        #expect(value("(< 1 3 2)") == "#f")
        #expect(value("(= 4 4 4)") == "#t")
        #expect(value("(>= 3 3 1)") == "#t")
    }

    @Test func factorialOf20() {
        let source = """
        (define (fact n) (if (= n 0) 1 (* n (fact (- n 1)))))
        (fact 20)
        """
        #expect(value(source) == "2432902008176640000")
    }

    @Test func fibonacciOf20() {
        let source = """
        (define (fib n) (if (< n 2) n (+ (fib (- n 1)) (fib (- n 2)))))
        (fib 20)
        """
        #expect(value(source) == "6765")
    }

    @Test func listOperations() {
        #expect(value("(list 1 2 3)") == "(1 2 3)")
        #expect(value("(cons 1 2)") == "(1 . 2)")
        #expect(value("(cons 1 (cons 2 3))") == "(1 2 . 3)")
        #expect(value("(car '(a b c))") == "a")
        #expect(value("(cdr '(a b c))") == "(b c)")
        #expect(value("(cadr '(a b c))") == "b")
        #expect(value("(length '(a b c d))") == "4")
        #expect(value("(length '())") == "0")
        #expect(value("(append '(1 2) '(3) '() '(4 5))") == "(1 2 3 4 5)")
        #expect(value("(append)") == "()")
        #expect(value("(reverse '(1 2 3))") == "(3 2 1)")
        #expect(value("(map (lambda (x) (* x x)) '(1 2 3 4))") == "(1 4 9 16)")
        #expect(value("(filter (lambda (x) (< x 3)) '(1 5 2 7 0))") == "(1 2 0)")
        #expect(value("(fold-left + 0 '(1 2 3 4 5))") == "15")
        #expect(value("(list-ref '(a b c) 2)") == "c")
        #expect(value("(assq 'b '((a 1) (b 2)))") == "(b 2)")
        #expect(value("(apply + 1 2 '(3 4))") == "10")
        #expect(value("(apply list '())") == "()")
        #expect(value("(apply apply (list + (list 1 2)))") == "3")
        #expect(value("(null? '())") == "#t")
        #expect(value("(pair? '())") == "#f")
        #expect(value("(pair? '(1))") == "#t")
    }

    @Test func equality() {
        #expect(value("(eq? 'a 'a)") == "#t")
        #expect(value("(eq? '(1) '(1))") == "#f")
        #expect(value("(equal? '(1 (2 \"x\") 3) (list 1 (list 2 \"x\") 3))") == "#t")
        #expect(value("(equal? '(1 2) '(1 3))") == "#f")
        #expect(value("(let ((l '(1 2))) (eq? l l))") == "#t")
        #expect(value("(eq? 100 100)") == "#t")
        #expect(value("(not 0)") == "#f")
        #expect(value("(not #f)") == "#t")
    }

    @Test func closuresAndCounters() {
        let source = """
        (define (make-counter)
          (let ((n 0))
            (lambda () (set! n (+ n 1)) n)))
        (define a (make-counter))
        (define b (make-counter))
        (a) (a) (b)
        (list (a) (b))
        """
        #expect(value(source) == "(3 2)")
        let adders = """
        (define (adder k) (lambda (x) (+ x k)))
        (map (adder 10) '(1 2 3))
        """
        #expect(value(adders) == "(11 12 13)")
    }

    @Test func specialForms() {
        #expect(value("(if #f 1 2)") == "2")
        #expect(value("(if '() 1 2)") == "1")
        #expect(value("(let ((x 1) (y 2)) (+ x y))") == "3")
        #expect(value("(let ((x 1)) (let ((x 2) (y x)) y))") == "1")
        #expect(value("(let* ((x 1) (y (+ x 1))) (* x y))") == "2")
        #expect(value("""
            (letrec ((ev? (lambda (n) (if (= n 0) #t (od? (- n 1)))))
                     (od? (lambda (n) (if (= n 0) #f (ev? (- n 1))))))
              (list (ev? 10) (od? 7) (ev? 3)))
            """) == "(#t #t #f)")
        #expect(value("(let loop ((i 0) (acc '())) (if (= i 3) acc (loop (+ i 1) (cons i acc))))") == "(2 1 0)")
        #expect(value("(cond ((= 1 2) 'a) ((= 1 1) 'b) (else 'c))") == "b")
        #expect(value("(cond ((= 1 2) 'a) (else 'c))") == "c")
        #expect(value("(cond (7))") == "7")
        #expect(value("(and 1 2 3)") == "3")
        #expect(value("(and 1 #f 3)") == "#f")
        #expect(value("(and)") == "#t")
        #expect(value("(or #f 2 3)") == "2")
        #expect(value("(or)") == "#f")
        #expect(value("(begin 1 2 3)") == "3")
        #expect(value("(define x 5) (set! x (* x 2)) x") == "10")
        #expect(value("((lambda args args) 1 2 3)") == "(1 2 3)")
        #expect(value("((lambda (a . rest) (list a rest)) 1 2 3)") == "(1 (2 3))")
        #expect(value("(define (f) (define a 1) (define (g) (+ a 1)) (g)) (f)") == "2")
        #expect(value("'(quote x)") == "'x")
        #expect(value("''a") == "'a")
    }

    @Test func readerAndPrinter() {
        #expect(value("; a comment\n  -42 ; another") == "-42")
        #expect(value("\"a\\tb\\n\\\"c\\\\\"") == "\"a\\tb\\n\\\"c\\\\\"")
        #expect(value("'(a . (b . (c . ())))") == "(a b c)")
        #expect(value("'(1 . 2)") == "(1 . 2)")
        #expect(value("'(#t #f () \"s\")") == "(#t #f () \"s\")")
        #expect(value("car") == "#<builtin car>")
        #expect(value("(define (sq x) (* x x)) sq") == "#<procedure sq>")
        #expect(value("(define x 1)") == "")
        let out = run("(display \"hi \") (display '(1 \"two\")) (newline) (write \"q\")").output
        #expect(out == "hi (1 two)\n\"q\"")
        #expect(value("(string-append \"ab\" (number->string 12) (symbol->string 'cd))") == "\"ab12cd\"")
    }

    @Test func valuesOfEachTopLevelForm() {
        var seen: [String] = []
        let lisp = Interpreter(output: { _ in })
        _ = lisp.evaluate("(define x 2) (* x 3) 'done", onValue: { seen.append($0) })
        #expect(seen == ["", "6", "done"])
        // Definitions persist across calls.
        #expect(lisp.evaluate("(+ x 1)") == .success("3"))
    }
}
