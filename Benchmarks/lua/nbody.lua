-- N-body simulation of the Jovian planets (symplectic integrator), energy printed before and after.
-- Usage: lua nbody.lua [steps]   (default 1000000)
local steps = tonumber(arg and arg[1]) or 1000000

local PI = math.pi
local SOLAR_MASS = 4 * PI * PI
local DAYS = 365.24

local function body(x, y, z, vx, vy, vz, mass)
  return { x = x, y = y, z = z, vx = vx * DAYS, vy = vy * DAYS, vz = vz * DAYS, mass = mass * SOLAR_MASS }
end

local bodies = {
  body(0, 0, 0, 0, 0, 0, 1),
  body(4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
       1.66007664274403694e-03, 7.69901118419740425e-03, -6.90460016972063023e-05, 9.54791938424326609e-04),
  body(8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
       -2.76742510726862411e-03, 4.99852801234917238e-03, 2.30417297573763929e-05, 2.85885980666130812e-04),
  body(1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
       2.96460137564761618e-03, 2.37847173959480950e-03, -2.96589568540237556e-05, 4.36624404335156298e-05),
  body(1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
       2.68067772490389322e-03, 1.62824170038242295e-03, -9.51592254519715870e-05, 5.15138902046611451e-05),
}

local function offsetMomentum(bs)
  local px, py, pz = 0.0, 0.0, 0.0
  for i = 1, #bs do
    local b = bs[i]
    px = px + b.vx * b.mass
    py = py + b.vy * b.mass
    pz = pz + b.vz * b.mass
  end
  bs[1].vx = -px / SOLAR_MASS
  bs[1].vy = -py / SOLAR_MASS
  bs[1].vz = -pz / SOLAR_MASS
end

local function energy(bs)
  local e = 0.0
  local nb = #bs
  for i = 1, nb do
    local b = bs[i]
    e = e + 0.5 * b.mass * (b.vx * b.vx + b.vy * b.vy + b.vz * b.vz)
    for j = i + 1, nb do
      local c = bs[j]
      local dx, dy, dz = b.x - c.x, b.y - c.y, b.z - c.z
      e = e - b.mass * c.mass / math.sqrt(dx * dx + dy * dy + dz * dz)
    end
  end
  return e
end

local function advance(bs, nb, dt)
  for i = 1, nb do
    local b = bs[i]
    local bx, by, bz, bm = b.x, b.y, b.z, b.mass
    local bvx, bvy, bvz = b.vx, b.vy, b.vz
    for j = i + 1, nb do
      local c = bs[j]
      local dx, dy, dz = bx - c.x, by - c.y, bz - c.z
      local d2 = dx * dx + dy * dy + dz * dz
      local mag = dt / (d2 * math.sqrt(d2))
      local cm = c.mass * mag
      bvx = bvx - dx * cm
      bvy = bvy - dy * cm
      bvz = bvz - dz * cm
      bm = bm -- keep register pressure comparable to the classic version
      local bmm = b.mass * mag
      c.vx = c.vx + dx * bmm
      c.vy = c.vy + dy * bmm
      c.vz = c.vz + dz * bmm
    end
    b.vx, b.vy, b.vz = bvx, bvy, bvz
    b.x = bx + dt * bvx
    b.y = by + dt * bvy
    b.z = bz + dt * bvz
  end
end

offsetMomentum(bodies)
print(string.format("%.9f", energy(bodies)))
local nb = #bodies
for _ = 1, steps do advance(bodies, nb, 0.01) end
print(string.format("%.9f", energy(bodies)))
