#!/usr/bin/env bash
# Sets up and runs the platform with demo data at http://localhost:8080 (SQLite in ./data by default;
# set DATABASE_URL=postgres://… to use PostgreSQL instead).
source "$(dirname "$0")/lib.sh"
require_swift
install_build_deps
apt_install ca-certificates curl

log "Building (release; the first build takes several minutes)"
swift build -c release --product bmet
BMET="$ROOT/.build/release/bmet"

log "Migrating the database"
"$BMET" migrate --yes

log "Loading demo data"
"$BMET" seed demo

log "Starting the platform at ${BMET_BASE_URL:-http://localhost:8080} (Ctrl-C stops it)"
exec "$BMET" serve --hostname "${BMET_HOST:-0.0.0.0}" --port "${BMET_PORT:-8080}"
