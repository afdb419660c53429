#!/usr/bin/env bash
# The RAPIDS upload files checked by other code than ours: a Swift test exports the demo's batches (the demo as
# `bmet seed demo` leaves it, then with its incomplete registration fixed and another one changed), and frictionless
# (PyPI) validates every file against the project's table schemas in checks/rapids/schemas/ — the published layout's 42
# columns in order, codes, MM/DD/YYYY dates, length limits — with every id in the upload file found in its reference
# tab. A tampered copy must be refused. Expects a built test bundle (swift build --build-tests) unless BMET_BUILD=1.
source "$(dirname "$0")/lib.sh"
require_swift
if [ "${BMET_BUILD:-0}" = 1 ]; then
  install_build_deps
  swift build --build-tests
fi

apt_install python3-venv
VENV="$ROOT/.venv-rapids"
REQUIREMENTS="$ROOT/checks/rapids/requirements.txt"
if [ ! -x "$VENV/bin/python" ] || ! cmp -s "$REQUIREMENTS" "$VENV/.requirements.txt"; then
  log "Creating $VENV"
  rm -rf "$VENV"
  "$(command -v python3)" -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$REQUIREMENTS"
  cp "$REQUIREMENTS" "$VENV/.requirements.txt"
fi

FIXTURES="$(mktemp -d -t bmet-rapids.XXXXXX)"
trap 'rm -rf "$FIXTURES"' EXIT
BMET_RAPIDS_FIXTURES="$FIXTURES" swift test --skip-build --filter RapidsUploadFieldsTests.writeFixturesForFrictionless
for batch in "$FIXTURES"/batch-1 "$FIXTURES"/batch-2; do
  [ -f "$batch/apprentices.csv" ] || { echo "FAIL: the Swift test wrote no files to $batch" >&2; exit 1; }
  "$VENV/bin/python" "$ROOT/checks/rapids/check_upload.py" "$batch"
done
