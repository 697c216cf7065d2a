-- wrk script: each request asks for a random question id from a file.
-- Usage: wrk ... -s bench/random_ids.lua URL -- IDS_FILE PATH_TEMPLATE
-- PATH_TEMPLATE holds {id}, e.g. /v1/questions/{id}/latest; an optional
-- HEADER ("Name: value") goes with every request.
local ids = {}
local template = "/"
local headers = {}

function init(args)
  for line in io.lines(args[1]) do
    ids[#ids + 1] = line
  end
  template = args[2]
  if args[3] then
    local name, value = args[3]:match("^([^:]+):%s*(.*)$")
    headers[name] = value
  end
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end

function request()
  local id = ids[math.random(#ids)]
  local path = template:gsub("{id}", id)
  return wrk.format("GET", path, headers)
end
