#!/usr/bin/env python3
"""Writes the four import CSV files (employers, people, apprentices, hours) for N apprentices with up to two years of
weekday hours each, in the shape of docs/import-samples, for timing `bmet import` (docs/PERFORMANCE.md).

    python3 bench/import-csv.py --apprentices 1000 --out /tmp/bmet-import-1000
"""
import argparse, csv, datetime, os

p = argparse.ArgumentParser()
p.add_argument("--apprentices", type=int, default=1000)
p.add_argument("--days", type=int, default=720, help="how far back the earliest start is (the program runs 24 months)")
p.add_argument("--out", default="/tmp/bmet-import")
a = p.parse_args()
os.makedirs(a.out, exist_ok=True)
today = datetime.date.today()
sets = ["OS", "MF", "II", "PM", "TR", "CV", "DC", "IT", "TP", "CS"]
places = [("Cleveland", "OH", "44114"), ("Houston", "TX", "77030"), ("Denver", "CO", "80202"), ("Atlanta", "GA", "30303"), ("Seattle", "WA", "98101")]
employers = max(1, a.apprentices // 20)
mentors_per = 11  # the standards allow 2 apprentices per mentor; 20 apprentices per employer need 10

def writer(name, header):
    f = open(os.path.join(a.out, name), "w", newline="", encoding="utf-8")
    w = csv.writer(f, lineterminator="\r\n"); w.writerow(header); return f, w

f, w = writer("employers.csv", ["employer_ref", "name", "address_line1", "address_line2", "city", "state", "zip", "phone"])
for e in range(employers):
    city, state, zip_ = places[e % len(places)]
    w.writerow([f"E{e}", f"{city} Bench Hospital {e}", f"{100 + e} Main St", "", city, state, zip_, ""])
f.close()
f, w = writer("people.csv", ["person_ref", "employer_ref", "role", "full_name", "email"])
for e in range(employers):
    w.writerow([f"HR{e}", f"E{e}", "employer_admin", f"Admin {e}", f"hr{e}@bench.import.example"])
    for m in range(mentors_per):
        w.writerow([f"M{e}-{m}", f"E{e}", "mentor", f"Mentor {e}-{m}", f"mentor{e}-{m}@bench.import.example"])
f.close()
fa, wa = writer("apprentices.csv", ["apprentice_ref", "employer_ref", "mentor_ref", "full_name", "email", "start_date", "status", "address_line1",
                                    "city", "state", "zip", "birth_date", "guardian_name", "sex", "ethnicity", "races", "veteran_status", "education",
                                    "employment_status", "career_connection", "wage_rates"])
fh, wh = writer("hours.csv", ["hours_ref", "apprentice_ref", "date", "skill_set", "hours", "description"])
rows = 0
for i in range(a.apprentices):
    e = i % employers
    city, state, zip_ = places[e % len(places)]
    start = today - datetime.timedelta(days=a.days - (i * 7) % 300)
    wa.writerow([f"A{i}", f"E{e}", f"M{e}-{(i // employers) // 2 % mentors_per}", f"Apprentice {i}", f"apprentice{i}@bench.import.example",
                 start.isoformat(), "active", f"{i} Oak St", city, state, zip_, "2000-05-05", "", "female", "undisclosed", "white", "not_veteran",
                 "high_school", "new_employee", "none", "18.00;19.00;20.00;21.00;22.00"])
    d, n = start, 0
    while d < today:
        if d.weekday() < 5:
            rows += 1
            wh.writerow([f"H{i}-{n}", f"A{i}", d.isoformat(), sets[min(len(sets) - 1, n // 50)], "8", "Bench work"])
            n += 1
        d += datetime.timedelta(days=1)
fa.close(); fh.close()
print(f"{a.out}: {employers} employers, {employers * (mentors_per + 1)} people, {a.apprentices} apprentices, {rows} hour rows")
