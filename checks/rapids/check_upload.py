"""Validates the RAPIDS files a Swift test exported (BMET_RAPIDS_FIXTURES) with frictionless, against the project's own
table schemas in schemas/: the apprentice upload file and its updates file in the published layout's 42 columns, and
the reference tabs, with every id in the upload file found in its tab (foreign keys). Exits 1 naming each error."""
import csv
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

from frictionless import Package, Resource, Schema

HERE = Path(__file__).resolve().parent
SCHEMAS = HERE / "schemas"
TABS = ["employers", "occupations", "rti-providers", "wage-schedules"]


def schema(name):
    return json.loads((SCHEMAS / f"{name}.json").read_text(encoding="utf-8"))


def validate(folder: Path) -> list[str]:
    problems = []
    for upload in ["apprentices", "apprentice-updates"]:
        resources = [{"name": "upload", "path": f"{upload}.csv", "schema": schema("apprentices")}]
        resources += [{"name": tab, "path": f"{tab}.csv", "schema": schema(tab)} for tab in TABS]
        for resource in resources:
            resource.update({"format": "csv", "encoding": "utf-8-sig", "profile": "tabular-data-resource"})
        package = Package({"name": "rapids-upload", "resources": resources}, basepath=str(folder))
        report = package.validate()
        for task in report.tasks:
            for error in task.errors:
                problems.append(f"{upload}: {task.name}: {error.type}: {error.message}")
        for error in report.errors:
            problems.append(f"{upload}: {error.type}: {error.message}")
    return problems


def tampered_copy_fails(folder: Path) -> list[str]:
    """The check must be able to fail: a copy with a code outside the layout, a bad date and an employer id missing
    from its tab has to be refused for each of them."""
    with tempfile.TemporaryDirectory() as temp:
        copy = Path(temp)
        for file in folder.glob("*.csv"):
            shutil.copy(file, copy / file.name)
        with (copy / "apprentices.csv").open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
        if len(rows) < 2:
            return ["the export holds no apprentice row to tamper with"]
        header = rows[0]
        rows[1][header.index("Gender")] = "X"
        rows[1][header.index("Date of Birth")] = "2000-06-01"
        rows[1][header.index("Employer")] = "00000000-0000-0000-0000-000000000000"
        with (copy / "apprentices.csv").open("w", encoding="utf-8-sig", newline="") as handle:
            csv.writer(handle, lineterminator="\r\n").writerows(rows)
        found = "\n".join(validate(copy))
        missing = [kind for kind in ["Gender", "Date of Birth", "foreign-key"] if kind not in found]
        return [f"a tampered copy was not refused for: {', '.join(missing)}"] if missing else []


def main() -> int:
    folder = Path(os.environ.get("BMET_RAPIDS_FIXTURES") or (sys.argv[1] if len(sys.argv) > 1 else ""))
    if not folder.is_dir() or not (folder / "apprentices.csv").is_file():
        print("Set BMET_RAPIDS_FIXTURES (or pass a folder) holding an exported batch's files.", file=sys.stderr)
        return 2
    problems = validate(folder) + tampered_copy_fails(folder)
    rows = sum(1 for _ in (folder / "apprentices.csv").open(encoding="utf-8-sig")) - 1
    if problems:
        print(f"{len(problems)} problem(s) in the RAPIDS files of {folder}:")
        for problem in problems:
            print("  " + problem)
        return 1
    print(f"RAPIDS upload files valid: {rows} apprentice row(s), every reference tab and id checked ({folder})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
