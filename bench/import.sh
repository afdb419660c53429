#!/usr/bin/env bash
# Times `bmet import` of a whole program: writes the four CSV files of N apprentices with up to two years of weekday
# hours (bench/import-csv.py), imports them into an empty SQLite database with a release build, each step under /usr/bin/time -v, then checks the totals with
# `bmet verify aggregates`. Prints a table and writes it to bench/results/.
#
#   bench/import.sh                       # 10,000 apprentices (about 4.1 M hour rows)
#   bench/import.sh --apprentices 1000    # quicker
#
# Options: --apprentices N, --out DIR (CSV files, default /tmp/bmet-import-N, reused), --data DIR (default
# /tmp/bmet-import-data-N, emptied). BMET_BIN=path/to/bmet skips the build.
source "$(dirname "$0")/../scripts/lib.sh"

APPRENTICES=10000
OUT=""
DATA=""
while [ $# -gt 0 ]; do
  case "$1" in
    --apprentices) APPRENTICES="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --data) DATA="$2"; shift 2 ;;
    *) echo "Unknown option $1 (see the top of $0)" >&2; exit 2 ;;
  esac
done
OUT="${OUT:-/tmp/bmet-import-$APPRENTICES}"
DATA="${DATA:-/tmp/bmet-import-data-$APPRENTICES}"

apt_install python3 time sqlite3
if [ -n "${BMET_BIN:-}" ]; then
  BMET="$BMET_BIN"
else
  require_swift
  install_build_deps
  log "Building (release)"
  swift build -c release --product bmet
  BMET="$ROOT/.build/release/bmet"
fi

if [ ! -s "$OUT/hours.csv" ]; then
  log "Writing the CSV files of $APPRENTICES apprentices into $OUT"
  python3 "$ROOT/bench/import-csv.py" --apprentices "$APPRENTICES" --out "$OUT"
fi
HOUR_ROWS=$(( $(wc -l < "$OUT/hours.csv") - 1 ))

rm -rf "$DATA"; mkdir -p "$DATA"
export BMET_DATA_DIR="$DATA" BMET_BCRYPT_COST=4 BMET_BACKGROUND_JOBS=0
export DATABASE_URL="sqlite://$DATA/bmet.sqlite"
"$BMET" migrate --yes --log warning >/dev/null
"$BMET" standards load "$ROOT/standards/aami-bmet.json" --log warning >/dev/null
head -c 24 /dev/urandom | base64 | "$BMET" admin create --email bench.admin@import.example --name "Bench Admin" --password-stdin --log warning >/dev/null

ROWS=()
# step LABEL ROWS -- command…: wall time and peak resident memory of one command.
step() {
  local label="$1" rows="$2"; shift 3
  log "$label"
  if ! /usr/bin/time -v -o "$DATA/time.txt" "$@" --log warning; then cat "$DATA/time.txt"; echo "FAILED: $label" >&2; exit 1; fi
  local wall peak secs rate
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$DATA/time.txt")
  peak=$(awk -F': ' '/Maximum resident set size/ {printf "%d", $2 / 1024}' "$DATA/time.txt")
  secs=$(echo "$wall" | awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }')
  rate=$(awk -v r="$rows" -v s="$secs" 'BEGIN { if (s > 0) printf "%d", r / s; else print "-" }')
  echo "$label: $wall, $rate rows/s, peak $peak MB"
  ROWS+=("| $label | $rows | $wall | $rate | $peak MB |")
}
step "employers" "$(( $(wc -l < "$OUT/employers.csv") - 1 ))" -- "$BMET" import employers "$OUT/employers.csv"
step "people" "$(( $(wc -l < "$OUT/people.csv") - 1 ))" -- "$BMET" import people "$OUT/people.csv"
step "apprentices (+ progress summaries)" "$APPRENTICES" -- "$BMET" import apprentices "$OUT/apprentices.csv"
step "hours, dry run" "$HOUR_ROWS" -- "$BMET" import hours "$OUT/hours.csv" --dry-run
step "hours, import" "$HOUR_ROWS" -- "$BMET" import hours "$OUT/hours.csv"
step "hours, the same file again (nothing changes)" "$HOUR_ROWS" -- "$BMET" import hours "$OUT/hours.csv"
log "Checking the totals (bmet verify aggregates)"
VERIFY="$("$BMET" verify aggregates --log warning 2>&1 | tail -n 1)"
echo "$VERIFY"

mkdir -p "$ROOT/bench/results"
REPORT="$ROOT/bench/results/$(date +%Y%m%d-%H%M)-import-n$APPRENTICES.md"
{
  echo "# bmet import, $APPRENTICES apprentices ($(date -u +%Y-%m-%dT%H:%MZ), $(git -C "$ROOT" describe --always --dirty), SQLite)"
  echo
  echo "| File | Rows | Wall time | Rows/s | Peak RSS |"
  echo "|---|---|---|---|---|"
  printf '%s\n' "${ROWS[@]}"
  echo
  echo "bmet verify aggregates: $VERIFY"
} > "$REPORT"
cat "$REPORT"
