-- Shared by the bench scripts: reads the credentials file written by `bmet seed scale --bench-credentials`
-- and prints one machine-readable RESULT line when the run ends.
local M = {}

function M.load(kind)
  local items = {}
  local path = os.getenv("BENCH_CREDENTIALS")
  if not path then return items end
  for line in io.lines(path) do
    local k, secret, subject, extra = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t?(.*)$")
    if k == kind then table.insert(items, { secret = secret, subject = subject, extra = extra }) end
  end
  return items
end

function M.done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local non2xx = summary.errors.status
  local socket = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT rps=%.1f requests=%d seconds=%.2f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f non2xx=%d socket_errors=%d\n",
    summary.requests / seconds, summary.requests, seconds, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, non2xx, socket))
end

return M
