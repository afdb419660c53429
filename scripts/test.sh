#!/usr/bin/env bash
# Runs every test: the Swift suite on in-memory SQLite and on a SQLite file, the independent Python verifier of the signed credentials, the
# RAPIDS upload files validated with frictionless (scripts/rapids-check.sh), the operator
# commands end to end (scripts/cli-tests.sh), the API fuzzed from its OpenAPI document (scripts/api-fuzz.sh), the Swift
# suite again on PostgreSQL (installed and started here), then the browser and accessibility tests against a
# running server.
source "$(dirname "$0")/lib.sh"
require_swift
install_build_deps

log "Building and testing on SQLite"
swift build --build-tests
swift test --skip-build

log "Testing again on a SQLite file (WAL, the dedicated writer connection and group commit, as bmet serve runs)"
BMET_TEST_SQLITE=file swift test --skip-build

log "Credentials: an independent verifier (Python, PyJWT + cryptography) checks the VC-JWTs the Swift library signs"
apt_install python3-venv
VC_VENV="$ROOT/.venv-credentials"
VC_REQUIREMENTS="$ROOT/checks/credentials/requirements.txt"
if [ ! -x "$VC_VENV/bin/python" ] || ! cmp -s "$VC_REQUIREMENTS" "$VC_VENV/.requirements.txt"; then
  log "Creating $VC_VENV"
  rm -rf "$VC_VENV"
  "$(command -v python3)" -m venv "$VC_VENV"
  "$VC_VENV/bin/pip" install --quiet --disable-pip-version-check -r "$VC_REQUIREMENTS"
  cp "$VC_REQUIREMENTS" "$VC_VENV/.requirements.txt"
fi
VC_FIXTURES="$(mktemp -d -t bmet-vc.XXXXXX)"
trap 'rm -rf "$VC_FIXTURES"' EXIT
BMET_VC_FIXTURES="$VC_FIXTURES" swift test --skip-build --filter PythonFixtureExport
BMET_VC_FIXTURES="$VC_FIXTURES" "$VC_VENV/bin/python" -m pytest "$ROOT/checks/credentials" -p no:cacheprovider

log "RAPIDS upload files: frictionless validates the demo's export against the project's table schemas of the published layout"
bash "$ROOT/scripts/rapids-check.sh"

log "Operator commands end to end: audit verify (intact, then an altered row), backup and restore, verify aggregates"
bash "$ROOT/scripts/cli-tests.sh"

log "API fuzzing (schemathesis) as every role: no server errors, invalid input refused, every status and response as documented"
bash "$ROOT/scripts/api-fuzz.sh"

log "Starting PostgreSQL"
export DATABASE_URL="$(start_postgres)"

log "Testing on PostgreSQL"
swift test --skip-build
bash "$ROOT/scripts/cli-tests.sh"

log "Browser tests (Playwright + axe, Debian's Chromium)"
bash "$ROOT/scripts/browser-tests.sh"

log "The life-cycle browser tests again, with the server on PostgreSQL (queue filters, outcomes, probation job in SQL)"
BMET_BROWSER_POSTGRES_URL="$DATABASE_URL" bash "$ROOT/scripts/browser-tests.sh" -k life_cycle

log "All tests passed: Swift on SQLite and PostgreSQL, credentials (Python verifier), RAPIDS files (frictionless), API fuzzing, browser and accessibility"
