#!/usr/bin/env bash
# Runs every test: the Swift suite on SQLite, then again on PostgreSQL (installed and started here),
# then the browser and accessibility tests against a running server.
source "$(dirname "$0")/lib.sh"
require_swift
install_build_deps

log "Building and testing on SQLite"
swift build --build-tests
swift test --skip-build

log "Starting PostgreSQL"
export DATABASE_URL="$(start_postgres)"

log "Testing on PostgreSQL"
swift test --skip-build

log "Browser tests (Playwright + axe, Debian's Chromium)"
bash "$ROOT/scripts/browser-tests.sh"

log "All tests passed: Swift on SQLite and PostgreSQL, browser and accessibility"
