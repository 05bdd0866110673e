-- wrk script for the confirm endpoint: cycles over seeded numbers (+2547xxxxxxxx).
local n = 0
function request()
  n = n + 1
  return wrk.format("GET", string.format("/v1/lines/+2547%08d/confirm", 1 + (n * 7919) % 1000000))
end
