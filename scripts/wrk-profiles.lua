-- wrk script for the public profile API benchmark (docs/benchmarks.md):
-- each request asks for the profile of a random subject from a file of USCCs,
-- one per line (export them with the command given in docs/benchmarks.md).
local codes = {}
local file = os.getenv("CODES") or "codes.txt"
for line in io.lines(file) do
  if #line == 18 then codes[#codes + 1] = line end
end
if #codes == 0 then error("no codes in " .. file) end
math.randomseed(os.time())

request = function()
  return wrk.format("GET", "/api/v1/credit/subjects/" .. codes[math.random(#codes)])
end

done = function(summary, latency, requests)
  io.write(string.format("requests=%d errors=%d rps=%.0f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f\n",
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
