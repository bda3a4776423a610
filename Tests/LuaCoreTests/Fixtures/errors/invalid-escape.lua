x = "a\qb"
