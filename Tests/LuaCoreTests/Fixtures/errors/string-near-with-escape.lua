x = "a\tb" "c"
