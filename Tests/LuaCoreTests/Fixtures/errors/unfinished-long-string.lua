x = [[abc

