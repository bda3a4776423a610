import Testing
import GCArena
import TinyLispConfinedCore

/// Garbage is collected while programs run, and the heap stays consistent.
@Suite struct CollectionTests {
    @Test func millionsOfConsCellsInABoundedHeap() {
        let lisp = Interpreter(output: { _ in })
        var verified = 0
        var invalid: [String] = []
        lisp.afterSlice = { lisp in
            if lisp.statistics.slices % 8 == 0 {
                let report = lisp.arena.verifyHeap()
                verified += 1
                if !report.isValid { invalid += report.violations }
            }
        }
        // 2,000 reversals of a 1,000-element list (2M cells), plus 200,000 cells consed one
        // at a time by interpreted code; at most two lists are alive at any moment.
        let result = lisp.evaluate("""
            (define (iota n acc) (if (= n 0) acc (iota (- n 1) (cons n acc))))
            (define big (iota 1000 '()))
            (define (churn k last)
              (if (= k 0) (car last) (churn (- k 1) (reverse big))))
            (define (rebuild k n)
              (if (= k 0) n (rebuild (- k 1) (length (iota 1000 '())))))
            (list (churn 2000 big) (rebuild 200 0))
            """, sliceTransitions: 500)
        #expect(result == .success("(1000 1000)"))
        let m = lisp.arena.metrics
        let cell = 48  // a cons cell's block in release builds; larger with debug headers
        #expect(m.totalAllocatedBytes > 2_200_000 * cell)
        #expect(m.freedObjects > 2_000_000)
        #expect(m.cyclesCompleted >= 10)
        // About 2,000 live cells at a time: the peak is nowhere near what was allocated.
        #expect(lisp.statistics.peakHeapBytes < 2_000_000)
        #expect(verified > 10)
        #expect(invalid.isEmpty, "\(invalid.prefix(5))")
        lisp.arena.collectAll()
        #expect(lisp.arena.verifyHeap().isValid)
    }

    @Test func setCarOnOldCellsDuringIncrementalMarkingKeepsNewValuesAlive() {
        // Stress pacing and tiny slices: the collector runs between nearly every transition,
        // so `cells` is black while fresh (white) lists are stored into it. Without the
        // barrier in set-car! the verifier would see black-to-white edges, and the lists
        // would be freed under the program.
        let lisp = Interpreter(output: { _ in })
        lisp.arena.pacing = .stress
        var invalid: [String] = []
        var phases: Set<String> = []
        lisp.afterSlice = { lisp in
            phases.insert("\(lisp.arena.phase)")
            let report = lisp.arena.verifyHeap()
            if !report.isValid { invalid += report.violations }
        }
        let result = lisp.evaluate("""
            (define cells (list 0 0 0 0 0 0 0 0))
            (define (fill l i)
              (if (null? l) 'filled (begin (set-car! l (list i i i)) (fill (cdr l) (+ i 1)))))
            (define (garbage n) (if (= n 0) 'ok (begin (list 1 2 3 4) (garbage (- n 1)))))
            (define (churn k)
              (if (= k 0) cells (begin (fill cells k) (garbage 20) (churn (- k 1)))))
            (churn 300)
            """, sliceTransitions: 3)
        #expect(result == .success("((1 1 1) (2 2 2) (3 3 3) (4 4 4) (5 5 5) (6 6 6) (7 7 7) (8 8 8))"))
        #expect(invalid.isEmpty, "\(invalid.prefix(5))")
        #expect(phases.contains("propagating"))
        #expect(lisp.arena.metrics.cyclesCompleted > 10)
    }

    @Test func unreachableCyclesAreCollected() {
        let lisp = Interpreter(output: { _ in })
        lisp.arena.collectAll()
        let baseline = lisp.arena.metrics.objectCount
        let result = lisp.evaluate("""
            (define ring (list 1 2 3))
            (set-cdr! (cddr ring) ring)
            (define (walk l n) (if (= n 0) (car l) (walk (cdr l) (- n 1))))
            (walk ring 10)
            """)
        #expect(result == .success("2"))
        #expect(lisp.evaluate("ring") == .success("(1 2 3 ...)"))
        lisp.arena.collectAll()
        #expect(lisp.arena.metrics.objectCount > baseline)
        #expect(lisp.evaluate("(set! ring #f) (set! walk #f)") == .success(""))
        lisp.arena.collectAll()
        #expect(lisp.arena.metrics.objectCount == baseline)
        #expect(lisp.arena.verifyHeap().isValid)
    }

    @Test func closureCyclesThroughEnvironmentsAreCollected() {
        let lisp = Interpreter(output: { _ in })
        lisp.arena.collectAll()
        let baseline = lisp.arena.metrics.objectCount
        // Each call makes a frame holding a closure that holds the frame: a cycle.
        #expect(lisp.evaluate("""
            (define (make) (define (self) self) self)
            (define (many n) (if (= n 0) 'ok (begin (make) (many (- n 1)))))
            (many 10000)
            """) == .success("ok"))
        #expect(lisp.evaluate("(set! make #f) (set! many #f)") == .success(""))
        lisp.arena.collectAll()
        #expect(lisp.arena.metrics.objectCount == baseline)
        #expect(lisp.arena.verifyHeap().isValid)
    }

    @Test func theMachineIsTracedMidComputation() {
        // A full collection between every slice of a recursion 2,000 deep: the pending
        // frames and their values exist only in the root, and must all survive.
        let lisp = Interpreter(output: { _ in })
        lisp.afterSlice = { lisp in
            lisp.arena.collectAll()
        }
        let result = lisp.evaluate("""
            (define (build n) (if (= n 0) '() (cons (list n) (build (- n 1)))))
            (define l (build 2000))
            (list (length l) (car l) (list-ref l 1999))
            """, sliceTransitions: 50)
        #expect(result == .success("(2000 (2000) (1))"))
        #expect(lisp.arena.verifyHeap().isValid)
    }
}
