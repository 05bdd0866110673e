-- wrk script: sends the pre-signed partner top-ups from bench/sign_partner.py, each thread its own
-- slice, each once (a wrap-around would send retries, answered 200; the runner reports it).
-- Usage: wrk -s partner.lua URL -- FILE THREADS
local threads = {}
local requests = {}
local counter = 0

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  local nthreads = tonumber(args[2])
  local index = 0
  for line in io.lines(args[1]) do
    if index % nthreads == id then
      local path, auth, body = line:match("^(.-)\t(.-)\t(.*)$")
      requests[#requests + 1] = wrk.format("POST", path,
        { ["Content-Type"] = "application/json", ["Authorization"] = auth }, body)
    end
    index = index + 1
  end
end

function request()
  counter = counter + 1
  if counter > #requests then counter = 1 end
  return requests[counter]
end
