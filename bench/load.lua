-- wrk script for bench/run. Environment:
--   BENCH_METHOD  GET or POST (default POST)
--   BENCH_PATHS   file with one request path a line; each thread walks it round-robin from a
--                 random start, so load spreads over many conversations (no single hot row)
--   BENCH_BODY    file holding the request body (POST)
--   BENCH_AUTH    value of the Authorization header (e.g. "Basic …"), optional
--   BENCH_OUT     file the summary is written to as JSON
local method = os.getenv("BENCH_METHOD") or "POST"
local paths = {}
local index = 1
local body = nil
local headers = {}

function init(args)
  for line in io.lines(os.getenv("BENCH_PATHS")) do
    if #line > 0 then paths[#paths + 1] = line end
  end
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
  index = math.random(#paths)
  local bodyFile = os.getenv("BENCH_BODY")
  if bodyFile and #bodyFile > 0 then
    local f = assert(io.open(bodyFile, "rb"))
    body = f:read("*a")
    f:close()
    headers["Content-Type"] = "application/json"
  end
  local auth = os.getenv("BENCH_AUTH")
  if auth and #auth > 0 then headers["Authorization"] = auth end
end

function request()
  local path = paths[index]
  index = index % #paths + 1
  return wrk.format(method, path, headers, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  local out = string.format(
    '{"requests":%d,"duration_us":%d,"bytes":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}}',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, latency.mean, e.connect, e.read, e.write, e.status, e.timeout)
  local f = assert(io.open(os.getenv("BENCH_OUT"), "w"))
  f:write(out)
  f:close()
end
