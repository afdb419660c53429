#!/usr/bin/env python3
"""Independent raw bulk load: the yardstick for `bmet seed scale`.

Creates an empty database with the generated one's exact schema (every table and index, read from sqlite_master),
then loads the same rows, table by table in creation order (parents first), with Python's sqlite3.executemany in
transactions of about --rows-per-transaction rows, WAL and synchronous=FULL, foreign keys on — as the app writes.
Only the executemany and commit calls are timed; reading the rows from the generated file is not.
Prints one RESULT line: rows, seconds, rows/s.
"""
import argparse
import os
import sqlite3
import sys
import time

parser = argparse.ArgumentParser()
parser.add_argument("--source", required=True, help="the database bmet seed scale wrote")
parser.add_argument("--target", required=True, help="scratch file for the raw load (replaced)")
parser.add_argument("--rows-per-transaction", type=int, default=100_000)
args = parser.parse_args()

for suffix in ("", "-wal", "-shm"):
    if os.path.exists(args.target + suffix):
        os.remove(args.target + suffix)
source = sqlite3.connect(f"file:{args.source}?mode=ro", uri=True)
target = sqlite3.connect(args.target, isolation_level=None)
target.execute("PRAGMA journal_mode=WAL")
target.execute("PRAGMA synchronous=FULL")
target.execute("PRAGMA foreign_keys=ON")

objects = source.execute(
    "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid").fetchall()
tables = [name for kind, name, _, _ in objects if kind == "table"]
for kind, _, _, sql in objects:
    if kind in ("table", "index"):
        target.execute(sql)

total_rows = 0
timed = 0.0
done_tables = 0
for table in tables:
    columns = [row[1] for row in source.execute(f'PRAGMA table_info("{table}")')]
    if not columns:
        continue
    insert = f'INSERT INTO "{table}" ({", ".join(chr(34) + c + chr(34) for c in columns)}) VALUES ({", ".join("?" for _ in columns)})'
    cursor = source.execute(f'SELECT * FROM "{table}" ORDER BY rowid')
    while True:
        batch = cursor.fetchmany(args.rows_per_transaction)
        if not batch:
            break
        started = time.perf_counter()
        target.execute("BEGIN")
        target.executemany(insert, batch)
        target.execute("COMMIT")
        timed += time.perf_counter() - started
        total_rows += len(batch)
        sys.stderr.write(f"\r\033[K{table}: {total_rows} rows loaded, {total_rows / max(timed, 1e-9):.0f} rows/s")
    done_tables += 1
sys.stderr.write("\n")
print(f"RESULT rows={total_rows} seconds={timed:.1f} rps={total_rows / max(timed, 1e-9):.0f}")
