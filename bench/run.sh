#!/usr/bin/env bash
# The benchmark suite: generates national data (or reuses it), starts a release build of the server on it, and measures
# every figure of docs/PERFORMANCE.md beside its baseline, back to back, on this machine. Prints a table and writes it
# to bench/results/.
#
#   bench/run.sh                      # the full run: 20,000 apprentices (about 10 million hour entries)
#   bench/run.sh --apprentices 2000   # a quicker run on less data
#
# Options: --apprentices N, --employers M (default N/20), --seed S, --duration SECONDS (each wrk run, default 30),
# --data DIR (default /tmp/bmet-bench-N; reused when it already holds data for N), --fresh (regenerate), --port P.
source "$(dirname "$0")/../scripts/lib.sh"
BENCH_DIR="$ROOT/bench"
export BENCH_DIR

APPRENTICES=20000
EMPLOYERS=""
SEED=2026
DURATION=30
DATA=""
FRESH=0
PORT=8181
while [ $# -gt 0 ]; do
  case "$1" in
    --apprentices) APPRENTICES="$2"; shift 2 ;;
    --employers) EMPLOYERS="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --data) DATA="$2"; shift 2 ;;
    --fresh) FRESH=1; shift ;;
    --port) PORT="$2"; shift 2 ;;
    *) echo "Unknown option $1 (see the top of $0)" >&2; exit 2 ;;
  esac
done
EMPLOYERS="${EMPLOYERS:-$(( APPRENTICES / 20 > 0 ? APPRENTICES / 20 : 1 ))}"
DATA="${DATA:-/tmp/bmet-bench-$APPRENTICES}"

require_swift
install_build_deps
apt_install wrk curl python3 procps sqlite3

if [ -n "${BMET_BIN:-}" ]; then
  BMET="$BMET_BIN" # a release binary built beforehand (swift build -c release --product bmet)
else
  log "Building (release)"
  swift build -c release --product bmet
  BMET="$ROOT/.build/release/bmet"
fi

# The server and commands run against the scratch data directory only, never ./data.
export BMET_DATA_DIR="$DATA"
export DATABASE_URL="sqlite://$DATA/bmet.sqlite"
export BMET_BASE_URL="http://127.0.0.1:$PORT"
export BMET_BACKGROUND_JOBS=0
export LOG_LEVEL=warning
CREDENTIALS="$DATA/credentials.tsv"
export BENCH_CREDENTIALS="$CREDENTIALS"
mkdir -p "$DATA"

if [ "$FRESH" = 1 ] || [ ! -s "$DATA/seed.log" ] || [ ! -f "$DATA/bmet.sqlite" ]; then
  log "Generating $APPRENTICES apprentices at $EMPLOYERS employers into $DATA"
  rm -f "$DATA"/bmet.sqlite* "$DATA/seed.log" "$CREDENTIALS"
  "$BMET" migrate --yes --log warning >/dev/null
  GEN_START=$(date +%s)
  "$BMET" seed scale --apprentices "$APPRENTICES" --employers "$EMPLOYERS" --seed "$SEED" --bench-credentials "$CREDENTIALS" --no-baseline --log warning \
    | tee "$DATA/seed.log"
  echo "wall: $(( $(date +%s) - GEN_START )) s" >> "$DATA/seed.log"
  log "Baseline: an independent raw load of the same rows into the same schema (Python sqlite3.executemany)"
  python3 "$BENCH_DIR/bulk_load_baseline.py" --source "$DATA/bmet.sqlite" --target "$DATA/raw-load.sqlite" | tee "$DATA/raw-load.txt"
  rm -f "$DATA"/raw-load.sqlite*
  log "Checking the generated totals (bmet verify aggregates)"
  start=$(date +%s)
  if "$BMET" verify aggregates --log warning > "$DATA/verify.log" 2>&1; then VERIFY="clean"; else VERIFY="DRIFT (see $DATA/verify.log)"; fi
  echo "$VERIFY (checked in $(( $(date +%s) - start )) s)" > "$DATA/verify.result"
  tail -n 1 "$DATA/verify.log"
else
  log "Reusing the data in $DATA (--fresh regenerates it)"
fi
VERIFY_LINE="$(cat "$DATA/verify.result" 2>/dev/null || echo "not run")"
seed_value() { grep -E "^$1:" "$DATA/seed.log" | sed -E 's/.*= ([0-9.]+) rows\/s.*/\1/'; }
GEN_RATE="$(seed_value "generator total")"
BASE_RATE="$(grep '^RESULT' "$DATA/raw-load.txt" | sed -E 's/.* rps=([0-9.]+).*/\1/')"
GEN_WALL="$(grep -E '^wall:' "$DATA/seed.log" | awk '{print $2}')"
GEN_ROWS="$(grep -E '^generator:' "$DATA/seed.log" | awk '{print $2}')"
ENTRIES="$(grep -E '^ +hour_entries ' "$DATA/seed.log" | awk '{print $2}')"
ASSESSMENTS="$(grep -E '^ +skill_assessments ' "$DATA/seed.log" | awk '{print $2}')"
SQLITE_MODE="$(grep -E '^SQLite:' "$DATA/seed.log" || true)"

SERVER_PID=""
stop_server() { if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""; fi; }
trap stop_server EXIT

# Start-up to ready: from exec to the first 200 from /health, on the existing database. Three starts; the median counts.
# (Runs in this shell, not a subshell, so SERVER_PID stays known and every server is stopped.)
STARTUP_LAST=0
start_server() {
  if curl -fs -o /dev/null "http://127.0.0.1:$PORT/health"; then echo "Port $PORT is already serving; stop that server first." >&2; exit 1; fi
  local t0 t1
  t0=$(date +%s%N)
  "$BMET" serve --hostname 127.0.0.1 --port "$PORT" --log warning > "$DATA/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 3000); do
    if curl -fs -o /dev/null "http://127.0.0.1:$PORT/health"; then break; fi
    sleep 0.005
  done
  t1=$(date +%s%N)
  STARTUP_LAST=$(( (t1 - t0) / 1000000 ))
}
log "Start-up to ready"
STARTS=()
for _ in 1 2 3; do start_server; STARTS+=("$STARTUP_LAST"); stop_server; done
STARTUP_MS="$(printf '%s\n' "${STARTS[@]}" | sort -n | sed -n 2p)"
echo "start-up: ${STARTS[*]} ms (median $STARTUP_MS ms)"
start_server

result() { grep '^RESULT' "$1" | sed -E "s/.* $2=([^ ]+).*/\1/"; }
run_wrk() { # name connections script url
  local out="$DATA/wrk-$1.txt"
  wrk -t2 -c"$2" -d"${DURATION}s" --latency -s "$BENCH_DIR/wrk/$3" "$4" > "$out" 2>&1
  grep '^RESULT' "$out"
}

# Peak resident memory of the server while a command runs (sampled every 0.2 s), in MB.
PEAK_KB=0
sample_rss() {
  while kill -0 "$SERVER_PID" 2>/dev/null; do
    local kb
    kb=$(awk '/^VmRSS/ {print $2}' "/proc/$SERVER_PID/status" 2>/dev/null || echo 0)
    echo "$kb"
    sleep 0.2
  done
}

log "Writes: raw SQLite durable single-row commits, then hour entries through the API"
python3 "$BENCH_DIR/sqlite_baseline.py" --path "$DATA/raw-baseline.sqlite" --seconds "$DURATION" | tee "$DATA/raw-sqlite.txt"
RAW_RATE="$(result "$DATA/raw-sqlite.txt" rps)"
export BENCH_RUN="$(date +%s)"
run_wrk writes 8 log-hours.lua "http://127.0.0.1:$PORT"
WRITE_RATE="$(result "$DATA/wrk-writes.txt" rps)"; WRITE_ERR="$(result "$DATA/wrk-writes.txt" non2xx)"
WRITE_P99="$(result "$DATA/wrk-writes.txt" p99_ms)"
# The entries just logged, for the mentors to approve.
export BENCH_ENTRIES="$DATA/bench-entries.tsv"
sqlite3 -separator $'\t' "$DATA/bmet.sqlite" \
  "SELECT id, apprentice_id FROM hour_entries WHERE client_key LIKE 'bench-$BENCH_RUN-%' AND status = 'pending'" > "$BENCH_ENTRIES"
log "Approvals through the API (each one a commit that updates the running totals), $(wc -l < "$BENCH_ENTRIES") entries"
run_wrk approvals 8 approve.lua "http://127.0.0.1:$PORT"
APPROVE_RATE="$(result "$DATA/wrk-approvals.txt" rps)"; APPROVE_ERR="$(result "$DATA/wrk-approvals.txt" non2xx)"
APPROVE_P99="$(result "$DATA/wrk-approvals.txt" p99_ms)"

log "Reads: the trivial endpoint, then apprentice progress, 32 connections each"
run_wrk health 32 plain.lua "http://127.0.0.1:$PORT/health"
HEALTH_RATE="$(result "$DATA/wrk-health.txt" rps)"
sample_rss > "$DATA/rss.txt" &
SAMPLER=$!
run_wrk progress 32 progress.lua "http://127.0.0.1:$PORT"
kill "$SAMPLER" 2>/dev/null || true
PROGRESS_RATE="$(result "$DATA/wrk-progress.txt" rps)"; PROGRESS_ERR="$(result "$DATA/wrk-progress.txt" non2xx)"
PROGRESS_P99="$(result "$DATA/wrk-progress.txt" p99_ms)"
RSS_MB="$(sort -n "$DATA/rss.txt" | tail -n 1 | awk '{printf "%.0f", $1 / 1024}')"

# Pages: 20 sequential loads after two warm-ups; median and slowest, in ms.
page_times() { # cookie path
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: bmet_session=$1" "http://127.0.0.1:$PORT$2")
  if [ "$code" = 404 ]; then echo "not-available"; return; fi
  if [ "$code" != 200 ]; then echo "http-$code"; return; fi
  curl -s -o /dev/null -H "Cookie: bmet_session=$1" "http://127.0.0.1:$PORT$2"
  for _ in $(seq 1 20); do
    curl -s -o /dev/null -w '%{time_total}\n' -H "Cookie: bmet_session=$1" "http://127.0.0.1:$PORT$2"
  done | sort -n | awk '{ t[NR] = $1 * 1000 } END { printf "%.0f %.0f", t[int((NR + 1) / 2)], t[NR] }'
}
log "Pages: the employer cohort page and the program outcomes page"
EMPLOYER_COOKIE="$(awk -F'\t' '$1 == "employer-session" {print $2}' "$CREDENTIALS")"
SPONSOR_COOKIE="$(awk -F'\t' '$1 == "sponsor-session" {print $2}' "$CREDENTIALS")"
COHORT="$(page_times "$EMPLOYER_COOKIE" /dashboard)"
COHORT_SIZE="$(sqlite3 "$DATA/bmet.sqlite" "SELECT COUNT(*) FROM apprentices a JOIN employers e ON e.id = a.employer_id WHERE e.name = (SELECT MIN(name) FROM employers) AND a.status IN ('probation','active','suspended')")"
OUTCOMES="$(page_times "$SPONSOR_COOKIE" /reports/outcomes)"
SPONSOR="$(page_times "$SPONSOR_COOKIE" /dashboard)"
LIST="$(page_times "$SPONSOR_COOKIE" /apprentices)"
MENTOR_COOKIE="$(awk -F'\t' '$1 == "mentor-session" {print $2}' "$CREDENTIALS")"
QUEUE="$(page_times "$MENTOR_COOKIE" /approvals)"
# Peak resident set over the server's whole life: writes, reads and every page above.
HWM_MB="$(awk '/^VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$SERVER_PID/status")"
stop_server

# --- The table ---
pct() { python3 -c "import sys; a, b = float(sys.argv[1] or 0), float(sys.argv[2] or 0); print(f'{a / b * 100:.0f}%' if b else 'n/a')" "$1" "$2"; }
verdict() { python3 -c "import sys; print('met' if eval(sys.argv[1]) else 'MISSED')" "$1"; }
page_cell() { case "$1" in not-available) echo "not available (route not in this build)";; http-*) echo "$1";; *) set -- $1; echo "median $1 ms, slowest $2 ms";; esac; }
page_verdict() { case "$1" in not-available|http-*) echo "n/a";; *) set -- $1; verdict "$1 < 150 and $2 < 400";; esac; }

MACHINE="$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2 / 1048576}' /proc/meminfo), $(uname -sr), $(swift --version 2>/dev/null | head -n 1 | sed 's/ (.*//')"
STAMP="$(date -u +%Y-%m-%dT%H:%MZ)"
OUT="$BENCH_DIR/results/$(date -u +%Y%m%d-%H%M)-n$APPRENTICES.md"
{
  echo "# Benchmark run $STAMP"
  echo
  echo "Machine: $MACHINE. Data: $APPRENTICES apprentices, $EMPLOYERS employers, seed $SEED; $GEN_ROWS rows ($ENTRIES hour entries, $ASSESSMENTS assessments)."
  echo "$SQLITE_MODE. \`bmet verify aggregates\` on the generated data: $VERIFY_LINE. Each wrk run: ${DURATION} s, 2 threads."
  echo
  echo "| Figure | Measured | Baseline (same run) | Ratio | Target | Verdict |"
  echo "|---|---|---|---|---|---|"
  echo "| Generator load rate (load and progress summaries) | ${GEN_RATE} rows/s | independent raw load (Python executemany, same schema and indexes) ${BASE_RATE} rows/s | $(pct "$GEN_RATE" "$BASE_RATE") | ≥ 25% | $(verdict "${GEN_RATE:-0} >= 0.25 * ${BASE_RATE:-1}") |"
  echo "| Generator, whole run | ${GEN_WALL:-?} s | | | < 900 s at 20,000 | $(verdict "${GEN_WALL:-99999} < 900") |"
  echo "| Hour-log writes, API (8 conn.) | ${WRITE_RATE} req/s, p99 ${WRITE_P99} ms, non-2xx ${WRITE_ERR} | raw SQLite WAL+FULL single-row commits ${RAW_RATE}/s | $(pct "$WRITE_RATE" "$RAW_RATE") | ≥ 50% | $(verdict "${WRITE_RATE:-0} >= 0.5 * ${RAW_RATE:-1} and ${WRITE_ERR:-1} == 0") |"
  echo "| Hour approvals, API (8 conn.; aggregates updated) | ${APPROVE_RATE} req/s, p99 ${APPROVE_P99} ms, non-2xx ${APPROVE_ERR} | raw SQLite WAL+FULL single-row commits ${RAW_RATE}/s | $(pct "$APPROVE_RATE" "$RAW_RATE") | ≥ 40% | $(verdict "${APPROVE_RATE:-0} >= 0.4 * ${RAW_RATE:-1} and ${APPROVE_ERR:-1} == 0") |"
  echo "| Progress reads, API (32 conn.) | ${PROGRESS_RATE} req/s, non-2xx ${PROGRESS_ERR} | /health ${HEALTH_RATE} req/s | $(pct "$PROGRESS_RATE" "$HEALTH_RATE") | ≥ 30% | $(verdict "${PROGRESS_RATE:-0} >= 0.3 * ${HEALTH_RATE:-1} and ${PROGRESS_ERR:-1} == 0") |"
  echo "| Progress reads p99 (32 conn.) | ${PROGRESS_P99} ms | | | < 20 ms | $(verdict "${PROGRESS_P99:-999} < 20") |"
  echo "| Employer cohort page (/dashboard, $COHORT_SIZE apprentices) | $(page_cell "$COHORT") | | | median < 150 ms, slowest < 400 ms | $(page_verdict "$COHORT") |"
  echo "| Sponsor dashboard (/dashboard, first page of employers, whole-program counts) | $(page_cell "$SPONSOR") | | | median < 150 ms, slowest < 400 ms | $(page_verdict "$SPONSOR") |"
  echo "| Apprentice list (/apprentices as the sponsor, first page) | $(page_cell "$LIST") | | | median < 150 ms, slowest < 400 ms | $(page_verdict "$LIST") |"
  echo "| Approvals queue (/approvals as a mentor) | $(page_cell "$QUEUE") | | | median < 150 ms, slowest < 400 ms | $(page_verdict "$QUEUE") |"
  echo "| Program outcomes page (/reports/outcomes) | $(page_cell "$OUTCOMES") | | | median < 150 ms, slowest < 400 ms | $(page_verdict "$OUTCOMES") |"
  echo "| Server memory, whole suite | peak RSS ${HWM_MB} MB (VmHWM; sampled during reads ${RSS_MB} MB) | | | < 150 MB | $(verdict "${HWM_MB:-999} < 150") |"
  echo "| Start-up to ready (existing database) | ${STARTUP_MS} ms (runs: ${STARTS[*]}) | | | < 1000 ms | $(verdict "${STARTUP_MS:-9999} < 1000") |"
} > "$OUT"
log "Results ($OUT)"
cat "$OUT"
