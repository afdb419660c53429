#!/usr/bin/env bash
# Measures one release binary on data `bench/run.sh` generated, without regenerating it: raw SQLite commits, hour-log
# writes, approvals (with the server's CPU per request), /health, progress reads, the pages, peak RSS. Run it once per
# binary, back to back, to compare two builds on the same data and the same machine state.
#   bench/compare.sh BMET_BINARY DATA_DIR [SECONDS]      (NOPAGES=1 skips the pages; PORT sets the port, default 8199)
set -u
BMET=$1; DATA=$2; SECS=${3:-8}; PORT=${PORT:-8199}
B="$(cd "$(dirname "$0")" && pwd)"
cd "$B/.."
export BMET_DATA_DIR="$DATA" DATABASE_URL="sqlite://$DATA/bmet.sqlite" BMET_BASE_URL="http://127.0.0.1:$PORT" BMET_BACKGROUND_JOBS=0 LOG_LEVEL=warning
export BENCH_CREDENTIALS="$DATA/credentials.tsv" BENCH_DIR=$B
"$BMET" serve --hostname 127.0.0.1 --port "$PORT" --log warning > "$DATA/compare-server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null' EXIT
for _ in $(seq 1 500); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/health" && break; sleep 0.02; done
ticks() { awk '{print $14 + $15}' "/proc/$PID/stat"; }
wrk_run() { wrk -t2 -c"$1" -d"${SECS}s" --latency -s "$B/wrk/$2" "$3" 2>&1 | grep RESULT; }
per_request() { python3 -c "import sys; t, r = float(sys.argv[1]), float(sys.argv[2]); print(f'{t * 10 / r:.2f} ms of CPU per request' if r else 'n/a')" "$1" "$2"; }
requests() { sed -E 's/.* requests=([0-9]+).*/\1/' <<< "$1"; }

echo "raw commits $(python3 "$B/sqlite_baseline.py" --path "$DATA/raw-baseline.sqlite" --seconds "$SECS" | grep RESULT)"
export BENCH_RUN=$(date +%s)
t0=$(ticks); W=$(wrk_run 8 log-hours.lua "http://127.0.0.1:$PORT"); t1=$(ticks)
echo "writes $W"; echo "writes $(per_request $((t1 - t0)) "$(requests "$W")")"
export BENCH_ENTRIES="$DATA/compare-entries.tsv"
sqlite3 -separator $'\t' "$DATA/bmet.sqlite" \
  "SELECT id, apprentice_id FROM hour_entries WHERE client_key LIKE 'bench-$BENCH_RUN-%' AND status = 'pending'" > "$BENCH_ENTRIES"
t0=$(ticks); A=$(wrk_run 8 approve.lua "http://127.0.0.1:$PORT"); t1=$(ticks)
echo "approvals ($(wc -l < "$BENCH_ENTRIES") entries) $A"; echo "approvals $(per_request $((t1 - t0)) "$(requests "$A")")"
echo "health $(wrk_run 32 plain.lua "http://127.0.0.1:$PORT/health")"
echo "progress $(wrk_run 32 progress.lua "http://127.0.0.1:$PORT")"
if [ -z "${NOPAGES:-}" ]; then
  page() { # cookie path: 2 warm-ups, 20 loads
    for _ in 1 2; do curl -s -o /dev/null -H "Cookie: bmet_session=$1" "http://127.0.0.1:$PORT$2"; done
    for _ in $(seq 1 20); do curl -s -o /dev/null -w '%{time_total}\n' -H "Cookie: bmet_session=$1" "http://127.0.0.1:$PORT$2"; done \
      | sort -n | awk '{ t[NR] = $1 * 1000 } END { printf "median %.0f ms, slowest %.0f ms", t[int((NR + 1) / 2)], t[NR] }'
  }
  cookie() { awk -F'\t' -v r="$1" '$1 == r {print $2}' "$BENCH_CREDENTIALS"; }
  echo "outcomes $(page "$(cookie sponsor-session)" /reports/outcomes)"
  echo "sponsor dashboard $(page "$(cookie sponsor-session)" /dashboard)"
  echo "cohort $(page "$(cookie employer-session)" /dashboard)"
  echo "apprentice list $(page "$(cookie sponsor-session)" /apprentices)"
  echo "approvals queue $(page "$(cookie mentor-session)" /approvals)"
fi
echo "peak RSS $(awk '/^VmHWM/ {printf "%.0f MB", $2 / 1024}' "/proc/$PID/status")"
