#!/usr/bin/env bash
# Runs every test: the whole suite on SQLite, then again on PostgreSQL (installed and started here).
source "$(dirname "$0")/lib.sh"
require_swift

log "Building and testing on SQLite"
swift build --build-tests
swift test --skip-build

log "Starting PostgreSQL"
export DATABASE_URL="$(start_postgres)"

log "Testing on PostgreSQL"
swift test --skip-build

log "All tests passed on SQLite and PostgreSQL"
