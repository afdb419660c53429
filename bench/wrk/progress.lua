-- GET /api/v1/apprentices/{id}/progress, each request as the next apprentice with their own bearer token.
package.path = os.getenv("BENCH_DIR") .. "/wrk/?.lua;" .. package.path
local common = require("common")
local tokens
local counter = 0
local thread_count = 0

function setup(thread)
  thread:set("thread_id", thread_count)
  thread_count = thread_count + 1
end

function init(args)
  tokens = common.load("apprentice-token")
  counter = (thread_id or 0) * 97
end

function request()
  counter = counter + 1
  local t = tokens[counter % #tokens + 1]
  return wrk.format("GET", "/api/v1/apprentices/" .. t.subject .. "/progress", { ["Authorization"] = "Bearer " .. t.secret })
end

done = common.done
