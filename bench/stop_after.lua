-- wrk script: each thread stops after `limit` responses (wrk -s stop_after.lua URL -- N).
local limit = 1000
local count = 0

function init(args)
  if args[1] then limit = tonumber(args[1]) end
end

function response(status, headers, body)
  count = count + 1
  if count >= limit then wrk.thread:stop() end
end
