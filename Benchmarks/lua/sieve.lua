-- Sieve of Eratosthenes over boolean arrays, repeated for several limits, with prime-gap statistics.
-- Usage: lua sieve.lua [n]   (default 2000000; sieves n, n-1000, n-2000, ... ten times)
local n = tonumber(arg and arg[1]) or 2000000

local function sieve(limit)
  local composite = {}
  for i = 1, limit do composite[i] = false end
  local i = 2
  while i * i <= limit do
    if not composite[i] then
      for j = i * i, limit, i do composite[j] = true end
    end
    i = i + 1
  end
  return composite
end

local totalCount, checksum = 0, 0
local count, maxGap, lastPrime, sum = 0, 0, 2, 0
for round = 0, 9 do
  local limit = n - 1000 * round
  local comp = sieve(limit)
  local c = 0
  for p = 2, limit do
    if not comp[p] then
      c = c + 1
      if round == 0 then
        sum = sum + p
        if p - lastPrime > maxGap then maxGap = p - lastPrime end
        lastPrime = p
      end
    end
  end
  if round == 0 then count = c end
  totalCount = totalCount + c
  checksum = (checksum * 31 + c) % 1000000007
end
print(string.format("primes below %d: %d  sum %d  largest %d  max gap %d  all rounds %d  checksum %d",
  n, count, sum, lastPrime, maxGap, totalCount, checksum))
