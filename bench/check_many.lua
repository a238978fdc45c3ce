-- wrk script for bench/check.sh: public checks of many distinct phone numbers, taken
-- in turn from PHONES (one per line), so each thread cycles through all of them.
local phones = {}
local next_phone = 0

function init(args)
  for line in io.lines(os.getenv("PHONES")) do phones[#phones + 1] = line end
  next_phone = math.random(#phones)
end

function request()
  next_phone = next_phone % #phones + 1
  return wrk.format("GET", "/api/v1/check?q=" .. phones[next_phone])
end
