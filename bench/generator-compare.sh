#!/usr/bin/env bash
# Generates the same data with each binary given, back to back, each followed by the independent raw load of its rows
# (bench/bulk_load_baseline.py), and deletes it afterwards.   N=2000 bench/generator-compare.sh OLD_BMET NEW_BMET
# Each argument is a binary, optionally with `bmet seed scale` flags: "BMET --random-ids --cache-mib 16" compares the
# older load (random ids, the server's page cache) with the default one in the same build.
set -u
cd "$(dirname "$0")/.."
N=${N:-2000}
for spec in "$@"; do
  read -r -a cmd <<< "$spec"; bin="${cmd[0]}"
  D="/tmp/bmet-generator-compare-$N"; rm -rf "$D"; mkdir -p "$D"
  export BMET_DATA_DIR="$D" DATABASE_URL="sqlite://$D/bmet.sqlite" BMET_BACKGROUND_JOBS=0
  "$bin" migrate --yes --log warning > /dev/null
  echo "== $spec"
  "$bin" seed scale --apprentices "$N" --employers $((N / 20)) --seed 2026 --no-baseline --log warning "${cmd[@]:1}" 2>&1 | tr '\r' '\n' \
    | grep -E "^SQLite|^generator|progress summaries computed|building indexes [0-9]+/[0-9]+$" | tail -5
  python3 bench/bulk_load_baseline.py --source "$D/bmet.sqlite" --target "$D/raw.sqlite" | grep RESULT
  rm -rf "$D"
done
