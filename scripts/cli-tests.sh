#!/usr/bin/env bash
# The operator's commands end to end on a fresh database with the demo data: `bmet audit verify` passes, then names
# the row altered by hand in the database; `bmet backup` and `bmet restore` bring back what the change overwrote;
# `bmet verify aggregates` finds no drift. SQLite by default; with DATABASE_URL naming a PostgreSQL server, a fresh
# database on it, backed up as the README says (bmet backup for the files, pg_dump/pg_restore for the database).
source "$(dirname "$0")/lib.sh"

BMET="${BMET_BIN:-$ROOT/.build/debug/bmet}"
if [ ! -x "$BMET" ]; then
  require_swift
  install_build_deps
  swift build --product bmet
fi

WORK="$(mktemp -d -t bmet-cli.XXXXXX)"
export BMET_DATA_DIR="$WORK/data" BMET_BCRYPT_COST=4 BMET_BACKGROUND_JOBS=0
fail() { echo "FAIL: $*" >&2; exit 1; }

SERVER_URL="${DATABASE_URL:-}"
if [[ "$SERVER_URL" == postgres* ]]; then
  apt_install postgresql-client
  NAME="bmet_cli_$$"
  psql "$SERVER_URL" -qc "CREATE DATABASE $NAME"
  export DATABASE_URL="${SERVER_URL%/*}/$NAME"
  trap 'psql "$SERVER_URL" -qc "DROP DATABASE IF EXISTS $NAME WITH (FORCE)" >/dev/null; rm -rf "$WORK"' EXIT
  sql() { psql "$DATABASE_URL" -qtAc "$1"; }
  KIND="PostgreSQL"
else
  apt_install sqlite3
  unset DATABASE_URL
  trap 'rm -rf "$WORK"' EXIT
  sql() { sqlite3 "$BMET_DATA_DIR/bmet.sqlite" "$1"; }
  KIND="SQLite"
fi

log "CLI ($KIND): migrate (a one-line summary, then nothing to do) and seed the demo data"
"$BMET" migrate --yes >"$WORK/migrate.txt" 2>&1 || { cat "$WORK/migrate.txt"; fail "migrate failed"; }
grep -q "^Applied [0-9]* migrations; the database is up to date" "$WORK/migrate.txt" || { cat "$WORK/migrate.txt"; fail "migrate printed no summary"; }
[ "$(grep -c . "$WORK/migrate.txt")" -le 2 ] || { cat "$WORK/migrate.txt"; fail "migrate printed more than a summary"; }
# Into files first: grep -q closing the pipe early would fail the pipeline (pipefail).
"$BMET" migrate --yes >"$WORK/migrate2.txt" 2>&1
grep -q "The database is up to date" "$WORK/migrate2.txt" || { cat "$WORK/migrate2.txt"; fail "a second migrate did not say the database is up to date"; }
"$BMET" serve --help >"$WORK/serve-help.txt" 2>&1 || true
grep -q "BMET_ROOT" "$WORK/serve-help.txt" || { cat "$WORK/serve-help.txt"; fail "bmet serve --help does not say where the files are found"; }
"$BMET" seed demo >/dev/null

log "CLI ($KIND): bmet audit verify passes on the demo data"
"$BMET" audit verify | tee "$WORK/verify1.txt"
grep -q "The audit log is intact" "$WORK/verify1.txt" || fail "audit verify did not report an intact chain"
rows="$(sql 'SELECT COUNT(*) FROM audit_log')"
[ "$rows" -ge 3 ] || fail "the demo data wrote only $rows audit rows"

log "CLI ($KIND): back up, then change the database by hand"
"$BMET" backup "$WORK/backup" | tail -n 1
if [ "$KIND" = PostgreSQL ]; then pg_dump --format=custom --file "$WORK/backup/bmet.pgdump" "$DATABASE_URL"; fi
sql "UPDATE audit_log SET summary = summary || ' (edited by hand)' WHERE seq = 2"

log "CLI ($KIND): bmet audit verify names the altered row and exits 1"
if "$BMET" audit verify >"$WORK/verify2.txt" 2>&1; then cat "$WORK/verify2.txt"; fail "audit verify accepted an altered row"; fi
cat "$WORK/verify2.txt"
grep -q "Row 2 was altered" "$WORK/verify2.txt" || fail "audit verify did not name row 2"

log "CLI ($KIND): restore refuses while a server holds the data folder"
apt_install curl
PORT="${BMET_CLI_PORT:-18089}"
"$BMET" serve --port "$PORT" >"$WORK/serve.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && break; sleep 0.2; done
if "$BMET" restore "$WORK/backup" --yes >"$WORK/restore-live.txt" 2>&1; then
  kill "$SERVER_PID"; cat "$WORK/restore-live.txt"; fail "restore ran while the server was running"
fi
grep -q "Stop every server first" "$WORK/restore-live.txt" || { kill "$SERVER_PID"; cat "$WORK/restore-live.txt"; fail "restore did not say why it refused"; }
ls "$BMET_DATA_DIR" | grep -q before-restore- && { kill "$SERVER_PID"; fail "the refused restore moved data aside"; }
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true

log "CLI ($KIND): restore the backup; the chain is whole again"
"$BMET" restore "$WORK/backup" | tail -n 2
"$BMET" restore "$WORK/backup" --yes | tail -n 2
if [ "$KIND" = PostgreSQL ]; then pg_restore --clean --if-exists --no-owner --dbname "$DATABASE_URL" "$WORK/backup/bmet.pgdump"; fi
"$BMET" audit verify >"$WORK/verify3.txt" || { cat "$WORK/verify3.txt"; fail "the restored audit log does not verify"; }
grep -q "The audit log is intact" "$WORK/verify3.txt" || fail "audit verify did not report an intact chain after the restore"
[ "$(sql 'SELECT COUNT(*) FROM audit_log')" = "$rows" ] || fail "the restored audit log has a different number of rows"
"$BMET" verify aggregates | tail -n 1

log "CLI ($KIND): bmet import: a dry run with an error, a real import, a re-import that changes nothing, an undo"
SAMPLES="$ROOT/docs/import-samples"
AS="--as admin@demo.bmet.example"
sed 's/,OH,43215,/,OH,9999,/' "$SAMPLES/employers.csv" >"$WORK/employers-bad.csv"
if "$BMET" import employers "$WORK/employers-bad.csv" --dry-run $AS >"$WORK/import-bad.txt" 2>&1; then cat "$WORK/import-bad.txt"; fail "a dry run of a bad file succeeded"; fi
grep -q "row 3, zip:" "$WORK/import-bad.txt" || { cat "$WORK/import-bad.txt"; fail "the dry run did not name row 3's zip"; }
employers_before="$(sql 'SELECT COUNT(*) FROM employers')"
"$BMET" import employers "$SAMPLES/employers.csv" --dry-run $AS >"$WORK/import-dry.txt" 2>&1 || { cat "$WORK/import-dry.txt"; fail "the dry run of the sample failed"; }
grep -q "2 to import" "$WORK/import-dry.txt" || { cat "$WORK/import-dry.txt"; fail "the dry run did not count 2 employers"; }
[ "$(sql 'SELECT COUNT(*) FROM employers')" = "$employers_before" ] || fail "the dry run stored employers"
for kind in employers people apprentices hours credentials skills; do
  "$BMET" import "$kind" "$SAMPLES/$kind.csv" $AS >"$WORK/import-$kind.txt" 2>&1 || { cat "$WORK/import-$kind.txt"; fail "importing $kind failed"; }
  grep -q "Imported $kind.csv as batch" "$WORK/import-$kind.txt" || { cat "$WORK/import-$kind.txt"; fail "importing $kind printed no batch"; }
done
[ "$(sql "SELECT COUNT(*) FROM skill_assessments WHERE observed LIKE 'Imported%'")" = "$(($(grep -c . "$SAMPLES/skills.csv") - 1))" ] || fail "the skills import stored another number of assessments"
hours_rows="$(sql "SELECT COUNT(*) FROM hour_entries WHERE client_key LIKE 'import:%'")"
[ "$hours_rows" = "$(($(grep -c . "$SAMPLES/hours.csv") - 1))" ] || fail "the hours import stored $hours_rows entries"
"$BMET" verify aggregates >"$WORK/import-verify.txt" 2>&1 || { cat "$WORK/import-verify.txt"; fail "verify aggregates found drift after the import"; }
"$BMET" import hours "$SAMPLES/hours.csv" $AS >"$WORK/import-again.txt" 2>&1 || { cat "$WORK/import-again.txt"; fail "re-importing hours failed"; }
grep -q "all $hours_rows rows were imported before; nothing was changed" "$WORK/import-again.txt" || { cat "$WORK/import-again.txt"; fail "the re-import changed something"; }
[ "$(sql "SELECT COUNT(*) FROM hour_entries WHERE client_key LIKE 'import:%'")" = "$hours_rows" ] || fail "the re-import added entries"
"$BMET" import list >"$WORK/import-list.txt" 2>&1
batch="$(awk '$3 == "hours" { print $1; exit }' "$WORK/import-list.txt")"
[ -n "$batch" ] || { cat "$WORK/import-list.txt"; fail "bmet import list shows no hours import"; }
"$BMET" import undo "$batch" $AS >"$WORK/import-undo.txt" 2>&1 || { cat "$WORK/import-undo.txt"; fail "undo failed"; }
[ "$(sql "SELECT COUNT(*) FROM hour_entries WHERE client_key LIKE 'import:%'")" = 0 ] || fail "the undo left imported hours"
"$BMET" verify aggregates >"$WORK/import-verify2.txt" 2>&1 || { cat "$WORK/import-verify2.txt"; fail "verify aggregates found drift after the undo"; }

log "CLI ($KIND): a copy of the binary with its resources, started from another folder, serves every kind of page"
INSTALL="$WORK/install"
mkdir -p "$INSTALL/bin"
cp "$BMET" "$INSTALL/bin/bmet"
cp -R "$ROOT/Resources" "$ROOT/Public" "$ROOT/standards" "$INSTALL/"
COPY_PORT=$((PORT + 1))
(cd / && exec "$INSTALL/bin/bmet" serve --port "$COPY_PORT" >"$WORK/serve-copy.log" 2>&1) &
COPY_PID=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$COPY_PORT/health" >/dev/null 2>&1 && break; sleep 0.2; done
for path in / /program /apply /login /verify /css/app.css /api/openapi.json; do
  code="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$COPY_PORT$path")"
  [ "$code" = 200 ] || { kill "$COPY_PID"; tail -n 20 "$WORK/serve-copy.log"; fail "the copied binary answered $path with $code"; }
done
kill "$COPY_PID"; wait "$COPY_PID" 2>/dev/null || true
if (cd / && BMET_ROOT=/nonexistent "$INSTALL/bin/bmet" migrate --yes >"$WORK/root.txt" 2>&1); then fail "a wrong BMET_ROOT was accepted"; fi
grep -q "BMET_ROOT is /nonexistent" "$WORK/root.txt" || { cat "$WORK/root.txt"; fail "a wrong BMET_ROOT was not named"; }

log "CLI checks passed ($KIND)"
