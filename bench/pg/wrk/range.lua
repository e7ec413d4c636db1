-- Filter + range + order by + limit 25 with a random city and a random 6-year age window.
-- Arguments after "--": <documents> <database> <from clause>
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
end

function init(args)
  path = "/databases/" .. args[2] .. "/queries"
  head = '{"Query":"' .. args[3] .. ' where City = $c and Age between $lo and $hi order by Age limit 25",'
      .. '"QueryParameters":{"c":"city-'
  headers = { ["Content-Type"] = "application/json" }
  math.randomseed(os.time() * 1000 + (tid or 0))
end

function request()
  local lo = math.random(18, 74)
  return wrk.format("POST", path, headers,
      head .. math.random(0, 49) .. '","lo":' .. lo .. ',"hi":' .. (lo + 5) .. '}}')
end
