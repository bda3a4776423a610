import Testing
import GCArena
import TinyLispConfinedCore

/// The machine keeps its continuation in the arena, not on the Swift stack.
@Suite struct EvaluatorLimitsTests {
    @Test func tailRecursiveLoopOfAMillionIterationsRunsInConstantSpace() {
        let lisp = Interpreter(output: { _ in })
        let result = lisp.evaluate("""
            (define (loop i acc) (if (= i 0) acc (loop (- i 1) (+ acc 2))))
            (loop 1000000 0)
            """)
        #expect(result == .success("2000000"))
        // A tail call pushes no frame: the continuation never grows with the loop.
        #expect(lisp.statistics.maxContinuationDepth < 10)
        // Each iteration allocates a frame (about 120 bytes): 100+ MB over the loop, yet
        // the heap stays small because the collector runs between slices.
        let m = lisp.arena.metrics
        #expect(m.totalAllocatedBytes > 100_000_000)
        #expect(m.cyclesCompleted > 50)
        #expect(lisp.statistics.peakHeapBytes < 2_000_000)
    }

    @Test func namedLetAndDoLoopsAreTailCallsToo() {
        let lisp = Interpreter(output: { _ in })
        let result = lisp.evaluate("""
            (let loop ((i 0))
              (cond ((= i 100000) 'done)
                    (else (and #t (or #f (begin (loop (+ i 1))))))))
            """)
        #expect(result == .success("done"))
        #expect(lisp.statistics.maxContinuationDepth < 10)
    }

    @Test func deepNonTailRecursionDoesNotOverflowTheSwiftStack() {
        let lisp = Interpreter(output: { _ in })
        let result = lisp.evaluate("""
            (define (count n) (if (= n 0) 0 (+ 1 (count (- n 1)))))
            (count 100000)
            """)
        #expect(result == .success("100000"))
        #expect(lisp.statistics.maxContinuationDepth >= 100_000)
        // The prelude's map is not tail recursive either.
        #expect(lisp.evaluate("""
            (define (iota n acc) (if (= n 0) acc (iota (- n 1) (cons n acc))))
            (length (map (lambda (x) (* 2 x)) (iota 100000 '())))
            """) == .success("100000"))
    }

    @Test func deeplyNestedDataIsReadAndMeasuredWithoutRecursion() {
        let depth = 50_000
        let source = "(length '" + String(repeating: "(", count: depth) + String(repeating: ")", count: depth) + ")"
        #expect(value(source) == "1")
        // Printing cuts off very deep nesting instead of recursing without bound.
        let printed = value("'" + String(repeating: "(", count: 5_000) + String(repeating: ")", count: 5_000))
        #expect(printed == String(repeating: "(", count: 1000) + "..." + String(repeating: ")", count: 1000))
    }
}
