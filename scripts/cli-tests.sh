#!/usr/bin/env bash
# The operator's commands end to end, on a fresh SQLite data folder with the demo data:
# `bmet audit verify` passes, then names the row altered by hand in the database; `bmet backup` and
# `bmet restore` bring back what a later change overwrote; `bmet verify aggregates` finds no drift.
source "$(dirname "$0")/lib.sh"
apt_install sqlite3

BMET="${BMET_BIN:-$ROOT/.build/debug/bmet}"
if [ ! -x "$BMET" ]; then
  require_swift
  install_build_deps
  swift build --product bmet
fi

WORK="$(mktemp -d -t bmet-cli.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
export BMET_DATA_DIR="$WORK/data" BMET_BCRYPT_COST=4 BMET_BACKGROUND_JOBS=0
unset DATABASE_URL
DB="$BMET_DATA_DIR/bmet.sqlite"
fail() { echo "FAIL: $*" >&2; exit 1; }

log "CLI: migrate and seed the demo data"
"$BMET" migrate --yes >/dev/null
"$BMET" seed demo >/dev/null

log "CLI: bmet audit verify passes on the demo data"
"$BMET" audit verify | tee "$WORK/verify1.txt"
grep -q "The audit log is intact" "$WORK/verify1.txt" || fail "audit verify did not report an intact chain"
rows="$(sqlite3 "$DB" 'SELECT COUNT(*) FROM audit_log')"
[ "$rows" -ge 3 ] || fail "the demo data wrote only $rows audit rows"

log "CLI: back up, then change the database"
"$BMET" backup "$WORK/backup" | tail -n 1
sqlite3 "$DB" "UPDATE audit_log SET summary = summary || ' (edited by hand)' WHERE seq = 2"

log "CLI: bmet audit verify names the altered row and exits 1"
if "$BMET" audit verify >"$WORK/verify2.txt" 2>&1; then cat "$WORK/verify2.txt"; fail "audit verify accepted an altered row"; fi
cat "$WORK/verify2.txt"
grep -q "Row 2 was altered" "$WORK/verify2.txt" || fail "audit verify did not name row 2"

log "CLI: restore the backup; the chain is whole again"
"$BMET" restore "$WORK/backup" | tail -n 2
"$BMET" restore "$WORK/backup" --yes | tail -n 2
"$BMET" audit verify >"$WORK/verify3.txt" || fail "the restored audit log does not verify"
grep -q "The audit log is intact" "$WORK/verify3.txt" || fail "audit verify did not report an intact chain after the restore"
[ "$(sqlite3 "$DB" 'SELECT COUNT(*) FROM audit_log')" = "$rows" ] || fail "the restored audit log has a different number of rows"
"$BMET" verify aggregates | tail -n 1

log "CLI checks passed"
