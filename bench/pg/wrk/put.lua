-- Durable upsert of one ~1 KB document with a random id (same shape as the loaded documents: the Name stays,
-- City and Age change). Arguments after "--": <documents> <database> <bio text>
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
end

function init(args)
  ndocs = tonumber(args[1])
  prefix = "/databases/" .. args[2] .. "/docs?id=docs/"
  bio = args[3]
  headers = { ["Content-Type"] = "application/json" }
  math.randomseed(os.time() * 1000 + (tid or 0))
end

function request()
  local k = math.random(1, ndocs)
  local body = '{"Name":"name-' .. k .. '","City":"city-' .. math.random(0, 49) .. '","Age":' .. math.random(18, 79)
      .. ',"Email":"user' .. k .. '@example.com","Active":true,"Tags":["put","bench"],"Bio":"' .. bio
      .. '","@metadata":{"@collection":"Docs"}}'
  return wrk.format("PUT", prefix .. k, headers, body)
end
