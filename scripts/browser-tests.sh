#!/usr/bin/env bash
# Runs the browser tests (checks/browser, pytest + Playwright + axe-core) against a real server with demo data.
#
# Installs what it needs: Debian's chromium (Playwright never downloads a browser) and the Python packages in
# checks/browser/requirements.txt, in a virtualenv at .venv-browser/. Builds bmet (debug) only when it is missing
# or older than its sources, starts it on a free loopback port with its own temporary data folder, runs pytest,
# and stops the server whatever happens. Extra arguments go to pytest (e.g. -k journey).
#
# The database is a fresh SQLite file of its own. With BMET_BROWSER_POSTGRES_URL (a PostgreSQL server URL whose user may
# create databases) it is a fresh PostgreSQL database instead, created here and dropped afterwards.
source "$(dirname "$0")/lib.sh"

VENV="$ROOT/.venv-browser"
REQUIREMENTS="$ROOT/checks/browser/requirements.txt"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

log "Browser-test prerequisites"
apt_install chromium fonts-liberation fonts-dejavu-core python3-venv ca-certificates curl
PYTHON="$(command -v python3)"
if [ ! -x "$VENV/bin/python" ] || ! cmp -s "$REQUIREMENTS" "$VENV/.requirements.txt"; then
  log "Creating $VENV"
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$REQUIREMENTS"
  cp "$REQUIREMENTS" "$VENV/.requirements.txt"
fi

# BMET_BROWSER_BIN=path/to/bmet tests a given binary instead (no build).
BMET="${BMET_BROWSER_BIN:-$ROOT/.build/debug/bmet}"
if [ -z "${BMET_BROWSER_BIN:-}" ] && { [ ! -x "$BMET" ] || [ -n "$(find Sources Package.swift Package.resolved -newer "$BMET" -type f -print -quit 2>/dev/null)" ]; }; then
  require_swift
  install_build_deps
  log "Building bmet (debug)"
  swift build --product bmet
fi

PORT="${BMET_BROWSER_PORT:-$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')}"
DATA_DIR="$(mktemp -d -t bmet-browser.XXXXXX)"
SERVER_LOG="$DATA_DIR/server.log"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$DATA_DIR"
  if [ -n "$PG_DATABASE" ]; then psql "$BMET_BROWSER_POSTGRES_URL" -qc "DROP DATABASE IF EXISTS $PG_DATABASE WITH (FORCE)" >/dev/null 2>&1 || true; fi
}
PG_DATABASE=""
trap cleanup EXIT
trap 'exit 130' INT TERM

export BMET_DATA_DIR="$DATA_DIR"
export BMET_BASE_URL="http://127.0.0.1:$PORT"
# The outbox dispatcher runs, and mail lands as files the tests read like an inbox.
export BMET_BACKGROUND_JOBS=1
export BMET_MAIL_DIR="$DATA_DIR/mail"
export BMET_BCRYPT_COST=4
export LOG_LEVEL="${LOG_LEVEL:-info}"  # the server log stays in a file; its tail is shown on failure
unset DATABASE_URL  # always a fresh database of its own
if [ -n "${BMET_BROWSER_POSTGRES_URL:-}" ]; then
  apt_install postgresql-client
  PG_DATABASE="bmet_browser_$$"
  psql "$BMET_BROWSER_POSTGRES_URL" -qc "CREATE DATABASE $PG_DATABASE" >/dev/null
  export DATABASE_URL="${BMET_BROWSER_POSTGRES_URL%/*}/$PG_DATABASE"
  log "On PostgreSQL: database $PG_DATABASE"
fi

log "Starting bmet with demo data at $BMET_BASE_URL"
"$BMET" migrate --yes >"$DATA_DIR/setup.log" 2>&1 || { cat "$DATA_DIR/setup.log"; exit 1; }
"$BMET" seed demo >>"$DATA_DIR/setup.log" 2>&1 || { cat "$DATA_DIR/setup.log"; exit 1; }
"$BMET" serve --hostname 127.0.0.1 --port "$PORT" >"$SERVER_LOG" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
  curl -fsS -o /dev/null "$BMET_BASE_URL/health" 2>/dev/null && break
  kill -0 "$SERVER_PID" 2>/dev/null || { echo "bmet serve exited:" >&2; cat "$SERVER_LOG" >&2; exit 1; }
  sleep 0.2
done
curl -fsS -o /dev/null "$BMET_BASE_URL/health" || { echo "bmet did not answer /health:" >&2; tail -n 50 "$SERVER_LOG" >&2; exit 1; }

log "Running the browser tests"
# On failure the server log's last lines are printed by conftest.py before pytest's closing summary line.
BMET_BROWSER_BASE_URL="$BMET_BASE_URL" BMET_BROWSER_SERVER_LOG="$SERVER_LOG" BMET_BROWSER_MAIL_DIR="$BMET_MAIL_DIR" \
  "$VENV/bin/python" -m pytest "$ROOT/checks/browser" -p no:cacheprovider "$@"
