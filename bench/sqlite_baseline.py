#!/usr/bin/env python3
"""Raw SQLite durable single-row commits: the yardstick for hour-log writes through the API.

One connection, WAL, synchronous=FULL, one INSERT per transaction into a table shaped like hour_entries
(same columns, primary key and unique (apprentice_id, client_key) index), for a fixed time, on the disk given.
Prints one RESULT line.
"""
import argparse
import os
import sqlite3
import time
import uuid

parser = argparse.ArgumentParser()
parser.add_argument("--path", required=True)
parser.add_argument("--seconds", type=float, default=20)
args = parser.parse_args()

for suffix in ("", "-wal", "-shm"):
    if os.path.exists(args.path + suffix):
        os.remove(args.path + suffix)
db = sqlite3.connect(args.path, isolation_level=None)
mode = db.execute("PRAGMA journal_mode=WAL").fetchone()[0]
db.execute("PRAGMA synchronous=FULL")
sync = db.execute("PRAGMA synchronous").fetchone()[0]
db.execute("""CREATE TABLE hour_entries (
    id TEXT PRIMARY KEY, apprentice_id TEXT NOT NULL, entry_date TEXT NOT NULL, skill_set_code TEXT NOT NULL,
    minutes INTEGER NOT NULL, description TEXT NOT NULL, skill_codes TEXT NOT NULL, work_order TEXT, client_key TEXT NOT NULL,
    status TEXT NOT NULL, corrects_id TEXT, created_by_id TEXT NOT NULL, created_at REAL NOT NULL,
    UNIQUE (apprentice_id, client_key))""")
db.execute("CREATE INDEX hour_entries_apprentice_date ON hour_entries (apprentice_id, entry_date)")
db.execute("CREATE INDEX hour_entries_status ON hour_entries (status, apprentice_id)")
apprentice, user = str(uuid.uuid4()).upper(), str(uuid.uuid4()).upper()
count = 0
start = time.perf_counter()
deadline = start + args.seconds
while time.perf_counter() < deadline:
    db.execute("BEGIN")
    db.execute("INSERT INTO hour_entries VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
               (str(uuid.uuid4()).upper(), apprentice, "2026-01-05", "OS", 15, "Electrical safety check (bench)", "", None,
                f"raw-{count}", "pending", None, user, time.time()))
    db.execute("COMMIT")
    count += 1
elapsed = time.perf_counter() - start
db.close()
for suffix in ("", "-wal", "-shm"):
    if os.path.exists(args.path + suffix):
        os.remove(args.path + suffix)
print(f"RESULT rps={count / elapsed:.1f} commits={count} seconds={elapsed:.2f} journal_mode={mode} synchronous={sync}")
