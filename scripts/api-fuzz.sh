#!/usr/bin/env bash
# Property-based API tests: schemathesis (PyPI) generates requests from Resources/openapi.json for every operation,
# as each role (program admin, employer admin, mentor, apprentice, instruction provider's staff) against a server with the demo data, and fails on
# any server error (5xx), any status code the operation does not document, any response that does not match its
# documented schema, any request the document calls invalid that is still accepted (negative_data_rejection: 0
# accepted-but-invalid), and a method a path does not take answered other than 405 with a true Allow header.
# Bounded: a fixed seed and a few dozen examples per operation, about 90 s for all four roles on two cores.
source "$(dirname "$0")/lib.sh"

BMET="${BMET_BIN:-$ROOT/.build/debug/bmet}"
if [ ! -x "$BMET" ]; then
  require_swift
  install_build_deps
  swift build --product bmet
fi

apt_install python3-venv curl
VENV="$ROOT/.venv-api-fuzz"
REQUIREMENTS="$ROOT/checks/api-fuzz/requirements.txt"
if [ ! -x "$VENV/bin/schemathesis" ] || ! cmp -s "$REQUIREMENTS" "$VENV/.requirements.txt"; then
  log "Creating $VENV"
  rm -rf "$VENV"
  "$(command -v python3)" -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$REQUIREMENTS"
  cp "$REQUIREMENTS" "$VENV/.requirements.txt"
fi

WORK="$(mktemp -d -t bmet-fuzz.XXXXXX)"
PORT="${BMET_FUZZ_PORT:-18093}"
BASE="http://127.0.0.1:$PORT"
# Its own SQLite data folder, whatever DATABASE_URL says: the run writes fuzzed data.
( unset DATABASE_URL
  export BMET_DATA_DIR="$WORK/data" BMET_BCRYPT_COST=4 BMET_BACKGROUND_JOBS=0
  "$BMET" migrate --yes >/dev/null
  "$BMET" seed demo >/dev/null
  exec "$BMET" serve --port "$PORT" >"$WORK/serve.log" 2>&1 ) &
SERVER_PID=$!
trap 'kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 150); do curl -fs "$BASE/health" >/dev/null 2>&1 && break; sleep 0.2; done
curl -fs "$BASE/health" >/dev/null || { cat "$WORK/serve.log"; echo "FAIL: the server did not start" >&2; exit 1; }

log "API fuzzing: tokens for each role"
"$VENV/bin/python" "$ROOT/checks/api-fuzz/tokens.py" "$BASE" demo-password-2026 \
  programAdmin=admin@demo.bmet.example employerAdmin=hr@gulfcoast.demo.bmet.example \
  mentor=mentor@gulfcoast.demo.bmet.example apprentice=apprentice@gulfcoast.demo.bmet.example \
  instructionProvider=instructor@hccs.demo.bmet.example >"$WORK/tokens.txt"

while read -r role token; do
  log "API fuzzing as $role: no server errors, invalid input refused, every status and response as documented"
  timeout 170 "$VENV/bin/schemathesis" run "$BASE/api/openapi.json" --url "$BASE" -H "Authorization: Bearer $token" \
    --checks not_a_server_error,status_code_conformance,response_schema_conformance,negative_data_rejection,unsupported_method,allow_header_conformance --phases examples,coverage,fuzzing \
    --max-examples "${BMET_FUZZ_EXAMPLES:-25}" --seed 1 --no-color >"$WORK/$role.txt" 2>&1 \
    || { cat "$WORK/$role.txt"; echo "FAIL: schemathesis found problems as $role" >&2; exit 1; }
  grep -E "generated|passed in|warnings? in" "$WORK/$role.txt" | tail -n 2
done <"$WORK/tokens.txt"
if grep -q "Unhandled error\|Request failed" "$WORK/serve.log"; then
  grep "Unhandled error\|Request failed" "$WORK/serve.log" | head -n 5
  echo "FAIL: the server logged internal errors during the run" >&2; exit 1
fi
log "API fuzzing passed"
