; A small workload mixing calls, closures and allocation.
;   tinylisp --stats Examples/TinyLisp/programs/bench.lisp

; 1. Naive recursion: fib 25 makes 242,785 calls.
(define (fib n) (if (< n 2) n (+ (fib (- n 1)) (fib (- n 2)))))
(display "fib 25 = ") (display (fib 25)) (newline)

; 2. A tail-recursive loop of a million iterations, in constant space.
(define (loop i acc) (if (= i 0) acc (loop (- i 1) (+ acc i))))
(display "sum 1..1e6 = ") (display (loop 1000000 0)) (newline)

; 3. List churn: 1,000 times, build a 1,000-element list, map over it, sum it.
(define (iota n acc) (if (= n 0) acc (iota (- n 1) (cons n acc))))
(define (churn k total)
  (if (= k 0)
      total
      (churn (- k 1) (+ total (fold-left + 0 (map (lambda (x) (* 2 x)) (iota 1000 '())))))))
(display "churn = ") (display (churn 1000 0)) (newline)
