-- wrk script: bench/notify.lua, each connection waiting DELAY_MS before each request, for a load
-- below the maximum (bench/run's p99 at half load). Usage: wrk -s notify_paced.lua URL -- FILE THREADS DELAY_MS
dofile("bench/notify.lua")
local base_init = init
local pause = 0

function init(args)
  base_init(args)
  pause = tonumber(args[3])
end

function delay()
  return pause
end
