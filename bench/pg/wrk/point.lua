-- Point query on an indexed field with a random value. Arguments after "--": <documents> <database> <from clause>
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
end

function init(args)
  ndocs = tonumber(args[1])
  path = "/databases/" .. args[2] .. "/queries"
  head = '{"Query":"' .. args[3] .. ' where Name = $n limit 1","QueryParameters":{"n":"name-'
  headers = { ["Content-Type"] = "application/json" }
  math.randomseed(os.time() * 1000 + (tid or 0))
end

function request()
  return wrk.format("POST", path, headers, head .. math.random(1, ndocs) .. '"}}')
end
