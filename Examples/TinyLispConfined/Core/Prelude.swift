/// Library procedures written in TinyLisp itself. They run on the same machine as user
/// code: `map` recurses without a tail call, so long lists deepen the continuation stack,
/// not the Swift stack.
let prelude = """
(define (map f l)
  (if (null? l) '() (cons (f (car l)) (map f (cdr l)))))
(define (for-each f l)
  (if (null? l) #t (begin (f (car l)) (for-each f (cdr l)))))
(define (filter keep? l)
  (cond ((null? l) '())
        ((keep? (car l)) (cons (car l) (filter keep? (cdr l))))
        (else (filter keep? (cdr l)))))
(define (fold-left f acc l)
  (if (null? l) acc (fold-left f (f acc (car l)) (cdr l))))
(define (list-tail l k)
  (if (= k 0) l (list-tail (cdr l) (- k 1))))
(define (list-ref l k) (car (list-tail l k)))
(define (assq key alist)
  (cond ((null? alist) #f)
        ((eq? key (car (car alist))) (car alist))
        (else (assq key (cdr alist)))))
(define (abs n) (if (< n 0) (- n) n))
"""
