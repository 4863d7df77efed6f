-- wrk script of bench/soak.sh (wrk -s soak.lua URL -- LIMIT DIR): each thread
-- stops after LIMIT responses and then writes DIR/done.<thread> with its count
-- and the number of responses that were not 200, so the script can end wrk
-- (SIGINT prints the totals) instead of waiting out -d.
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("id", next_id)
end

local limit, dir, count, bad = 1000, ".", 0, 0

function init(args)
  if args[1] then limit = tonumber(args[1]) end
  if args[2] then dir = args[2] end
end

function response(status, headers, body)
  count = count + 1
  if status ~= 200 then bad = bad + 1 end
  if count == limit then
    local f = io.open(dir .. "/done." .. id, "w")
    f:write(count, " ", bad, "\n")
    f:close()
    wrk.thread:stop()
  end
end
