-- POST /api/v1/apprentices/{id}/hours: one quarter hour per request, as the apprentice (bearer token), on one of the
-- last 28 days, with a client key unique to this run, so every request stores a new validated, committed entry.
package.path = os.getenv("BENCH_DIR") .. "/wrk/?.lua;" .. package.path
local common = require("common")
local tokens
local counter = 0
local thread_count = 0
local run_id

function setup(thread)
  thread:set("thread_id", thread_count)
  thread_count = thread_count + 1
end

function init(args)
  tokens = common.load("apprentice-token")
  run_id = os.getenv("BENCH_RUN") or tostring(os.time())
end

function request()
  counter = counter + 1
  local n = #tokens
  local t = tokens[(counter + (thread_id or 0) * 31) % n + 1]
  local days_back = math.floor(counter / n) % 28 + 1
  local date = os.date("!%Y-%m-%d", os.time() - days_back * 86400)
  local body = string.format(
    '{"entries":[{"date":"%s","skillSetCode":"OS","hours":"0.25","description":"Electrical safety check (bench)","clientKey":"bench-%s-%d-%d"}]}',
    date, run_id, thread_id or 0, counter)
  return wrk.format("POST", "/api/v1/apprentices/" .. t.subject .. "/hours",
    { ["Authorization"] = "Bearer " .. t.secret, ["Content-Type"] = "application/json" }, body)
end

done = common.done
