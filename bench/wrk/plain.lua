-- A plain GET of the URL given to wrk (the trivial endpoint), with the RESULT line.
package.path = os.getenv("BENCH_DIR") .. "/wrk/?.lua;" .. package.path
local common = require("common")
done = common.done
