-- wrk script for bench/mixed.sh: 90% public checks, 9% reports, 1% console reads.
-- PHONES: a file of phone numbers to check (one per line); SESSION: the officer's
-- session cookie. Each report carries its own Idempotency-Key.
local phones = {}
local counter = 0
local session = os.getenv("SESSION") or ""

function init(args)
  for line in io.lines(os.getenv("PHONES")) do phones[#phones + 1] = line end
  math.randomseed(os.time() + (tonumber(tostring({}):match("0x(%x+)"), 16) or 0) % 100000)
end

function request()
  counter = counter + 1
  local roll = math.random(100)
  if roll <= 90 then
    local phone = phones[math.random(#phones)]
    return wrk.format("GET", "/api/v1/check?q=" .. phone)
  elseif roll <= 99 then
    local key = string.format("mixed-%d-%d-%d", os.time(), math.random(1e9), counter)
    local body = '{"channel":"call","narrative":"Người gọi xưng công an bảo chuyển tiền để xác minh tài khoản.","amount_lost_vnd":5000000,"identifiers":[{"kind":"phone","value":"' .. phones[math.random(#phones)] .. '"}]}'
    return wrk.format("POST", "/api/v1/reports",
      { ["Content-Type"] = "application/json", ["Idempotency-Key"] = key }, body)
  else
    return wrk.format("GET", "/console?status=all", { ["Cookie"] = session })
  end
end

local statuses = {}
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  io.write(string.format("requests %d in %.1f s: %.0f/s; p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.1f ms\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000))
  io.write(string.format("errors: connect %d, read %d, write %d, timeout %d, non-2xx/3xx %d\n",
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout,
    summary.errors.status))
end
