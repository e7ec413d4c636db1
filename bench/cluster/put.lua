-- wrk script: PUT a ~1 KB document with a fresh id per request (ids never repeat across threads).
local threads = 0
function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end
function init(args)
  n = 0
  body = '{"Name":"doc","Bio":"' .. string.rep("x", 900) .. '","@metadata":{"@collection":"Docs"}}'
  headers = { ["Content-Type"] = "application/json" }
end
function request()
  n = n + 1
  return wrk.format("PUT", "/databases/default/docs?id=bench/" .. tid .. "-" .. n, headers, body)
end
