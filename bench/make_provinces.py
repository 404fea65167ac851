"""Grow a demo database to several provinces, for the statistics bench at scale.

Exports the demo province once (or takes an exported bundle directory), then writes N copies
of it with every code renamed (`TQ…` → `Q01…`, national IDs left out, as they must be unique)
and imports each through the bundle importer — the bulk writer of chibo/interchange — into the
same database. The copies are full provinces: their own tree, history, members and posts.

    uv run python bench/make_provinces.py --data-dir /tmp/demo --count 9
    CHIBO_DATABASE_URL=postgres://… uv run python bench/make_provinces.py --data-dir /tmp/demo-pg

Then `bench/bench_stats.py --data-dir /tmp/demo` times the same requests on the bigger database.
"""

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The code columns of each file of a bundle (shared spec BUNDLE.md).
CODES = {
    "organizations.csv": ("code", "parent_code", "village_code"),
    "villages.csv": ("code", "commune_code"),
    "org_changes.csv": ("org_code", "new_parent_code", "into_code"),
    "members.csv": ("member_code", "org_code"),
    "member_events.csv": ("member_code", "org_code"),
    "positions.csv": ("member_code", "org_code", "village_code"),
}
PREFIX = "TQ"


def chibo(args: list[str], data_dir: str) -> float:
    env = {**os.environ, "CHIBO_DATA_DIR": data_dir}
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "chibo.cli", *args], check=True, env=env, cwd=ROOT,
                   stdout=subprocess.DEVNULL)
    return time.monotonic() - started


def renamed_copy(bundle: Path, target: Path, prefix: str) -> None:
    """The bundle with every code starting `TQ` starting with `prefix` instead."""
    target.mkdir(parents=True, exist_ok=True)
    for name, columns in CODES.items():
        with (bundle / name).open(newline="", encoding="utf-8") as source, \
                (target / name).open("w", newline="", encoding="utf-8") as out:
            reader = csv.DictReader(source)
            writer = csv.DictWriter(out, fieldnames=reader.fieldnames)
            writer.writeheader()
            for row in reader:
                for column in columns:
                    if row.get(column, "").startswith(PREFIX):
                        row[column] = prefix + row[column][len(PREFIX):]
                if "national_id" in row:
                    row["national_id"] = ""
                if name == "organizations.csv" and not row["parent_code"]:
                    row["name"] = f"{row['name']} ({prefix})"
                writer.writerow(row)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", required=True, help="a built demo data dir")
    parser.add_argument("--bundle", help="an exported bundle directory of the demo province")
    parser.add_argument("--count", type=int, default=9, help="provinces to add")
    parser.add_argument("--first", type=int, default=1, help="number of the first copy")
    args = parser.parse_args()
    bundle = Path(args.bundle) if args.bundle else None
    if bundle is None:
        bundle = Path(tempfile.mkdtemp(prefix="chibo-province-")) / "bundle"
        print(f"export: {chibo(['export', str(bundle)], args.data_dir):.1f} s", flush=True)
    for number in range(args.first, args.first + args.count):
        copy = Path(tempfile.mkdtemp(prefix="chibo-copy-"))
        renamed_copy(bundle, copy, f"Q{number:02}")
        print(f"province Q{number:02}: import {chibo(['import', str(copy)], args.data_dir):.1f} s",
              flush=True)


if __name__ == "__main__":
    main()
