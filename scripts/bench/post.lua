-- wrk script: POST the body in $BODY_FILE, and print one line wrk's caller can parse.
local file = assert(io.open(os.getenv("BODY_FILE"), "rb"))
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = os.getenv("CONTENT_TYPE") or "application/json"

local failures = 0
response = function(status, headers, body)
  if status ~= 200 then failures = failures + 1 end
end

done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format("rps=%.1f p50_ms=%.2f p99_ms=%.2f non200=%d errors=%d\n",
    summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    failures, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
