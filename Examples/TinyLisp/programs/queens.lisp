; Counts the solutions of the 8-queens problem (92).
(define (ok? row dist placed)
  (or (null? placed)
      (and (not (= (car placed) (+ row dist)))
           (not (= (car placed) (- row dist)))
           (not (= (car placed) row))
           (ok? row (+ dist 1) (cdr placed)))))
(define (try-rows row n placed count)
  (if (> row n)
      count
      (try-rows (+ row 1) n placed
                (if (ok? row 1 placed) (+ count (queens n (cons row placed))) count))))
(define (queens n placed)
  (if (= (length placed) n) 1 (try-rows 1 n placed 0)))
(display (queens 8 '())) (newline)
