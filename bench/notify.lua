-- wrk script: sends the pre-signed sandbox notifications from bench/sign.py, each thread its own
-- slice, each notification once (it wraps around to duplicates only if the file runs out, which
-- the runner reports). Usage: wrk -s notify.lua URL -- FILE THREADS
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
      local body, signature = line:match("^(.-)\t(.*)$")
      requests[#requests + 1] = wrk.format("POST", "/v1/payments/sandbox/notify",
        { ["Content-Type"] = "application/json", ["Baohao-Signature"] = signature }, body)
    end
    index = index + 1
  end
end

function request()
  counter = counter + 1
  if counter > #requests then counter = 1; wrapped = true end
  return requests[counter]
end
