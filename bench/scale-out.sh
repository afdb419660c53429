#!/usr/bin/env bash
# PostgreSQL scale-out: two `bmet serve` instances behind nginx on one PostgreSQL database.
# Checks that a session made through one instance works through the other and that background jobs (the e-mail
# outbox) run on both without sending anything twice, then runs the progress-read benchmark through nginx with
# one instance and with two. Prints a table and writes it to bench/results/.
#
#   bench/scale-out.sh                      # 20,000 apprentices (generated once into database bmet_bench_<N>)
#   bench/scale-out.sh --apprentices 2000   # quicker
#
# Options: --apprentices N, --seed S, --duration SECONDS (default 30), --fresh (regenerate the database).
source "$(dirname "$0")/../scripts/lib.sh"
BENCH_DIR="$ROOT/bench"
export BENCH_DIR

APPRENTICES=20000
SEED=2026
DURATION=30
FRESH=0
while [ $# -gt 0 ]; do
  case "$1" in
    --apprentices) APPRENTICES="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --fresh) FRESH=1; shift ;;
    *) echo "Unknown option $1 (see the top of $0)" >&2; exit 2 ;;
  esac
done
EMPLOYERS=$(( APPRENTICES / 20 > 0 ? APPRENTICES / 20 : 1 ))
WORK="/tmp/bmet-scale-out-$APPRENTICES"
PORTS=(8281 8282)
NGINX_PORT=8290

require_swift
install_build_deps
apt_install wrk curl postgresql-client
command -v nginx >/dev/null 2>&1 || apt_install nginx

if [ -n "${BMET_BIN:-}" ]; then
  BMET="$BMET_BIN" # a release binary built beforehand (swift build -c release --product bmet)
else
  log "Building (release)"
  swift build -c release --product bmet
  BMET="$ROOT/.build/release/bmet"
fi

SERVER_URL="$(start_postgres)"
DB_NAME="bmet_bench_$APPRENTICES"
ADMIN_URL="$SERVER_URL"
export DATABASE_URL="${SERVER_URL%/*}/$DB_NAME"
export BMET_DB_POOL=4
export LOG_LEVEL=warning
mkdir -p "$WORK"
CREDENTIALS="$WORK/credentials.tsv"
export BENCH_CREDENTIALS="$CREDENTIALS"

exists="$(psql "$ADMIN_URL" -qAtc "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")"
if [ "$FRESH" = 1 ] || [ "$exists" != 1 ] || [ ! -s "$CREDENTIALS" ]; then
  log "Generating $APPRENTICES apprentices into PostgreSQL database $DB_NAME"
  psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)" -c "CREATE DATABASE $DB_NAME"
  BMET_DATA_DIR="$WORK" "$BMET" migrate --yes --log warning >/dev/null
  BMET_DATA_DIR="$WORK" "$BMET" seed scale --apprentices "$APPRENTICES" --employers "$EMPLOYERS" --seed "$SEED" \
    --bench-credentials "$CREDENTIALS" --log warning | tee "$WORK/seed.log"
else
  log "Reusing database $DB_NAME (--fresh regenerates it)"
fi

PIDS=()
NGINX_PID=""
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  if [ -n "$NGINX_PID" ]; then kill "$NGINX_PID" 2>/dev/null || true; wait "$NGINX_PID" 2>/dev/null || true; fi
}
trap cleanup EXIT

# Each instance has its own data directory and mail folder; the database is the only thing they share.
for i in 0 1; do
  mkdir -p "$WORK/instance$i/mail"
  rm -f "$WORK/instance$i/mail/"*
  BMET_DATA_DIR="$WORK/instance$i" BMET_MAIL_DIR="$WORK/instance$i/mail" BMET_BACKGROUND_JOBS=1 BMET_TRUST_PROXY=1 \
    BMET_BASE_URL="http://127.0.0.1:$NGINX_PORT" \
    "$BMET" serve --hostname 127.0.0.1 --port "${PORTS[$i]}" --log warning > "$WORK/instance$i.log" 2>&1 &
  PIDS+=($!)
done
for port in "${PORTS[@]}"; do
  for _ in $(seq 1 500); do curl -fs -o /dev/null "http://127.0.0.1:$port/health" && break; sleep 0.02; done
done

start_nginx() { # ports…
  mkdir -p "$WORK/nginx/logs"
  {
    echo "worker_processes 1; pid $WORK/nginx/nginx.pid; error_log $WORK/nginx/logs/error.log warn; daemon off;"
    echo "events { worker_connections 1024; }"
    echo "http { access_log off;"
    echo "  upstream bmet { least_conn; keepalive 64;"
    for port in "$@"; do echo "    server 127.0.0.1:$port;"; done
    echo "  }"
    echo "  server { listen 127.0.0.1:$NGINX_PORT;"
    echo "    location / { proxy_pass http://bmet; proxy_http_version 1.1; proxy_set_header Connection \"\";"
    echo "      proxy_set_header Host \$host; proxy_set_header X-Forwarded-For \$remote_addr; } } }"
  } > "$WORK/nginx/nginx.conf"
  if [ -n "$NGINX_PID" ]; then kill "$NGINX_PID"; wait "$NGINX_PID" 2>/dev/null || true; fi
  nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" &
  NGINX_PID=$!
  for _ in $(seq 1 200); do curl -fs -o /dev/null "http://127.0.0.1:$NGINX_PORT/health" && break; sleep 0.02; done
}

log "Sessions across instances: sign in through instance 1, use the session through instance 2"
JAR="$WORK/cookies.txt"; rm -f "$JAR"
PASSWORD="${BMET_DEMO_PASSWORD:-scale-password-2026}"
csrf="$(curl -s -c "$JAR" -b "$JAR" "http://127.0.0.1:${PORTS[0]}/login" | sed -nE 's/.*name="_csrf" value="([^"]+)".*/\1/p' | head -n 1)"
login_code="$(curl -s -o /dev/null -w '%{http_code}' -c "$JAR" -b "$JAR" --data-urlencode "_csrf=$csrf" \
  --data-urlencode "email=hr0@scale.bmet.example" --data-urlencode "password=$PASSWORD" "http://127.0.0.1:${PORTS[0]}/login")"
other="$(curl -s -w '\n%{http_code}' -b "$JAR" "http://127.0.0.1:${PORTS[1]}/dashboard")"
if [ "$login_code" = 303 ] && [ "$(tail -n 1 <<< "$other")" = 200 ] && grep -q "Welcome" <<< "$other"; then
  SESSIONS="works (login via :${PORTS[0]} → 303, /dashboard via :${PORTS[1]} → 200 as the same user)"
else
  SESSIONS="FAILED (login $login_code, other instance $(tail -n 1 <<< "$other"))"
fi
echo "$SESSIONS"

log "Background jobs across instances: 40 e-mails queued, both instances dispatching"
psql "$DATABASE_URL" -qc "INSERT INTO outbox_messages (id, recipient, subject, body, status, attempts, next_attempt_at, created_at)
  SELECT gen_random_uuid(), 'scale-out-' || n || '@scale.bmet.example', 'Scale-out check ' || n, 'Sent once, by one instance.',
         'pending', 0, now(), now() FROM generate_series(1, 40) AS n"
for _ in $(seq 1 60); do
  left="$(psql "$DATABASE_URL" -qAtc "SELECT COUNT(*) FROM outbox_messages WHERE subject LIKE 'Scale-out check %' AND status <> 'sent'")"
  [ "$left" = 0 ] && break
  sleep 1
done
sent0=$(grep -l "Scale-out check" "$WORK/instance0/mail/"* 2>/dev/null | wc -l)
sent1=$(grep -l "Scale-out check" "$WORK/instance1/mail/"* 2>/dev/null | wc -l)
if [ "$left" = 0 ] && [ $(( sent0 + sent1 )) = 40 ]; then
  JOBS="works (40 queued, 40 sent exactly once: $sent0 by instance 1, $sent1 by instance 2)"
else
  JOBS="FAILED ($left unsent, files: $sent0 + $sent1 for 40 messages)"
fi
echo "$JOBS"

result() { grep '^RESULT' "$1" | sed -E "s/.* $2=([^ ]+).*/\1/"; }
bench_reads() { # name
  wrk -t2 -c32 -d"${DURATION}s" --latency -s "$BENCH_DIR/wrk/progress.lua" "http://127.0.0.1:$NGINX_PORT" > "$WORK/wrk-$1.txt" 2>&1
  grep '^RESULT' "$WORK/wrk-$1.txt"
}
log "Progress reads through nginx: one instance"
start_nginx "${PORTS[0]}"
bench_reads one
log "Progress reads through nginx: two instances"
start_nginx "${PORTS[0]}" "${PORTS[1]}"
bench_reads two

ONE="$(result "$WORK/wrk-one.txt" rps)"; TWO="$(result "$WORK/wrk-two.txt" rps)"
MACHINE="$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2 / 1048576}' /proc/meminfo), $(psql "$ADMIN_URL" -qAtc 'SHOW server_version'), $(nginx -v 2>&1)"
OUT="$BENCH_DIR/results/$(date -u +%Y%m%d-%H%M)-scale-out-n$APPRENTICES.md"
{
  echo "# Scale-out run $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "Machine: $MACHINE. PostgreSQL database of $APPRENTICES apprentices (seed $SEED); nginx least_conn in front; wrk 2 threads, 32 connections, ${DURATION} s."
  echo
  echo "| Check | Result |"
  echo "|---|---|"
  echo "| Session made through one instance, used through the other | $SESSIONS |"
  echo "| Background jobs (e-mail outbox) on both instances | $JOBS |"
  echo "| Progress reads, 1 instance behind nginx | $ONE req/s, p99 $(result "$WORK/wrk-one.txt" p99_ms) ms, non-2xx $(result "$WORK/wrk-one.txt" non2xx) |"
  echo "| Progress reads, 2 instances behind nginx | $TWO req/s, p99 $(result "$WORK/wrk-two.txt" p99_ms) ms, non-2xx $(result "$WORK/wrk-two.txt" non2xx) |"
  echo "| 2 instances / 1 instance | $(python3 -c "import sys; print(f'{float(sys.argv[2]) / float(sys.argv[1]):.2f}×')" "$ONE" "$TWO") |"
} > "$OUT"
log "Results ($OUT)"
cat "$OUT"
