do goto l end
