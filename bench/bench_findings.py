"""Time the record findings (chibo.findings) of the demo province: each registered rule's
`find` over the province and over one commune, and the whole listing with its exceptions, as
`chibo check` runs it (median and maximum of N runs, wall time, and this process's CPU time;
the number found).

    uv run python bench/bench_findings.py --data-dir /tmp/demo        # a built demo (SQLite)
    CHIBO_BENCH_DATABASE_URL=postgres://chibo@127.0.0.1/chibo_bench \\
        uv run python bench/bench_findings.py --data-dir /tmp/demo-pg

Build the demo first (`CHIBO_DATA_DIR=/tmp/demo uv run chibo demo --no-serve --force`).
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django(data_dir: str) -> None:
    os.environ["CHIBO_DATA_DIR"] = data_dir
    if os.environ.get("CHIBO_BENCH_DATABASE_URL"):
        os.environ["CHIBO_DATABASE_URL"] = os.environ["CHIBO_BENCH_DATABASE_URL"]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def timed(function, runs: int) -> tuple[float, float, float, int]:
    """(median wall ms, max wall ms, median CPU ms of this process, size of the result) of
    `runs` calls. On SQLite the query runs in this process, so the CPU time is what the
    machine spends, whatever else runs on it."""
    times, cpu, size = [], [], 0
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        size = len(function())
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return statistics.median(times), max(times), statistics.median(cpu), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    setup_django(args.data_dir)
    from django.db import connection
    from django.utils import timezone

    from chibo.findings.queries import record_findings
    from chibo.findings.rules import RULES
    from chibo.members.models import Member
    from chibo.organizations.models import Organization

    today = timezone.localdate()
    province = Organization.objects.filter(parent__isnull=True).order_by("code").first()
    commune = Organization.objects.filter(kind="grassroots_committee", sector="commune",
                                          ended_on__isnull=True).order_by("code").first()
    print(f"{connection.vendor}, {Member.objects.count():,} members, today {today}")
    results = []
    for org in (province, commune):
        for key, rule in sorted(RULES.items()):
            median, worst, cpu, found = timed(lambda r=rule, o=org: r.find(o, today),
                                              args.runs)
            results.append({"org": org.code, "what": key, "median_ms": round(median, 1),
                            "max_ms": round(worst, 1), "cpu_ms": round(cpu, 1),
                            "found": found})
        median, worst, cpu, found = timed(lambda o=org: record_findings(o, today), args.runs)
        results.append({"org": org.code, "what": "listing (all rules, with exceptions)",
                        "median_ms": round(median, 1), "max_ms": round(worst, 1),
                        "cpu_ms": round(cpu, 1), "found": found})
    for row in results:
        print(f"{row['org']:<14} {row['what']:<40} {row['median_ms']:>8} ms "
              f"(max {row['max_ms']:>8}, cpu {row['cpu_ms']:>8}) {row['found']:>6} found")
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / f"findings-{connection.vendor}.json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
