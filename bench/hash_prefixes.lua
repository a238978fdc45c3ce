-- wrk script for bench/partners.sh: hash-prefix lookups with a partner key (KEY), each
-- request a random 4-byte prefix (almost all miss, as real lookups of unlisted
-- identifiers do), or, with PREFIXES set, prefixes taken in turn from that file.
local prefixes = {}
local n = 0

function init(args)
  math.randomseed(os.time() + math.random(1000))
  local file = os.getenv("PREFIXES")
  if file and file ~= "" then
    for line in io.lines(file) do prefixes[#prefixes + 1] = line end
    n = math.random(#prefixes)
  end
end

function request()
  local prefix
  if #prefixes > 0 then
    n = n % #prefixes + 1
    prefix = prefixes[n]
  else
    prefix = string.format("%08x", math.random(0, 0x7fffffff) * 2 + math.random(0, 1))
  end
  return wrk.format("GET", "/api/v1/partner/hashes/" .. prefix,
    { ["Authorization"] = "Bearer " .. os.getenv("KEY") })
end
