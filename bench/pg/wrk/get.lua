-- GET one document by a random id. Arguments after "--": <documents> <database>
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
end

function init(args)
  ndocs = tonumber(args[1])
  prefix = "/databases/" .. args[2] .. "/docs?id=docs/"
  math.randomseed(os.time() * 1000 + (tid or 0))
end

function request()
  return wrk.format("GET", prefix .. math.random(1, ndocs))
end
