-- POST /api/v1/approvals: a mentor approves one pending entry per request (the entries the write run stored), so each
-- request is a durable commit that also updates the apprentice's running totals.
-- BENCH_ENTRIES lists "entry-id<TAB>apprentice-id" lines; the mentor token comes from the credentials file.
package.path = os.getenv("BENCH_DIR") .. "/wrk/?.lua;" .. package.path
local common = require("common")
local entries = {}
local counter = 0
local thread_count = 0

function setup(thread)
  thread:set("thread_id", thread_count)
  thread:set("thread_total", 0)
  thread_count = thread_count + 1
end

function init(args)
  local mentors = {}
  for _, t in ipairs(common.load("mentor-token")) do mentors[t.subject] = t.secret end
  -- Each thread takes every other entry, so no entry is approved twice.
  local index = 0
  for line in io.lines(os.getenv("BENCH_ENTRIES")) do
    local entry, apprentice = line:match("^([^\t]+)\t([^\t]+)$")
    if entry and mentors[apprentice] and index % 2 == (thread_id or 0) then
      table.insert(entries, { id = entry, token = mentors[apprentice] })
    end
    index = index + 1
  end
end

function request()
  counter = counter + 1
  local e = entries[(counter - 1) % #entries + 1]
  return wrk.format("POST", "/api/v1/approvals", { ["Authorization"] = "Bearer " .. e.token, ["Content-Type"] = "application/json" },
    string.format('{"decision":"approve","entryIDs":["%s"]}', e.id))
end

-- Stop once every entry had its request: approving one twice would only be skipped, not written.
function response(status, headers, body)
  if counter >= #entries then wrk.thread:stop() end
end

done = common.done
