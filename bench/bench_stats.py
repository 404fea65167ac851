"""Time the statistics engine on the demo province (or on a bigger database: --org).

For the province and for a commune: every key in one request (`compute`, or only the keys of
`--metrics`), the per-child table (`compute_children`), and a drill-down (the records behind
`members.female` and behind `admitted`: the count and the first page of 50, described as the
API does); then the pages through Django's whole stack as the demo's `province` user (`--user`):
the statistics page, the per-child fragment, the two records pages, the dashboard's data and the
two reports' downloads. Median and max of N runs after one warm-up, in-process; also the median
CPU time of this process (with SQLite, the database's work too), which a machine shared with
other jobs inflates less than the wall time.

    uv run python bench/bench_stats.py                       # builds the demo (SQLite) first
    uv run python bench/bench_stats.py --data-dir /tmp/demo  # reuse a built demo data dir
    CHIBO_DATABASE_URL=postgres://chibo@127.0.0.1/chibo_bench \\
        uv run python bench/bench_stats.py --data-dir /tmp/demo-pg
    uv run python bench/bench_stats.py --data-dir /tmp/demo \\
        --metrics meetings.held,meetings.cells   # only those keys (here two meeting keys)

With CHIBO_DATABASE_URL set, the demo is built into (or read from) that database; the data dir
then only holds the secret key.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = 50


def build(data_dir: str) -> float:
    env = {**os.environ, "CHIBO_DATA_DIR": data_dir}
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "chibo.cli", "demo", "--no-serve", "--force"],
                   check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    return time.monotonic() - started


def timed(fn, runs: int) -> dict:
    """Wall time, and this process's CPU time: with SQLite that includes the database's work,
    and it stays meaningful on a machine shared with other jobs (the wall time does not)."""
    times, cpu = [], []
    for _ in range(runs + 1):
        started, started_cpu = time.perf_counter(), time.process_time()
        fn()
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    times = sorted(times[1:])
    return {"median_ms": round(statistics.median(times), 1), "max_ms": round(times[-1], 1),
            "cpu_median_ms": round(statistics.median(cpu[1:]), 1)}


def cases(org, request) -> dict:
    from chibo.meetings import metrics as meetings
    from chibo.stats import engine

    def drill(key: str):
        def run():
            rows = engine.records(org, request, key)
            return rows.count(), [engine.describe(row) for row in rows[:PAGE]]
        return run

    # Every key but the meetings' (the figure kept since before the meetings came).
    spec = engine.Request(request.as_of, request.date_from, request.date_to,
                          tuple(k for k in request.keys if k not in meetings.KEYS))
    return {
        "keys but meetings'": lambda: engine.compute(org, spec),
        ("all keys" if len(request.keys) == len(engine.all_keys())
         else f"{len(request.keys)} keys"): lambda: engine.compute(org, request),
        "per-child table": lambda: engine.compute_children(org, request),
        "drill-down members.female": drill("members.female"),
        "drill-down admitted": drill("admitted"),
    }


def page_cases(org, request, user) -> dict:
    """The pages, through Django's whole stack (middleware, scoping, template) as the logged-in
    `user` of the demo (province) gets them; static files collected, as `chibo serve` does."""
    from django.test import Client
    from django.urls import reverse

    from chibo.stats.forms import query_of

    client = Client()
    client.force_login(user)
    query = query_of(request)

    def get(url: str):
        def run():
            response = client.get(f"{url}?{query}")
            assert response.status_code == 200, (url, response.status_code)
        return run

    return {
        "page: statistics": get(reverse("stats:page", args=[org.code])),
        "page: per-child": get(reverse("stats:children", args=[org.code])),
        "page: drill-down members.female": get(
            reverse("stats:records", args=[org.code, "members.female"])),
        "page: drill-down admitted": get(reverse("stats:records", args=[org.code, "admitted"])),
        "dashboard data": get(reverse("stats:dashboard", args=[org.code])),
        "report: statistics (xlsx)": get(
            reverse("stats:download", args=[org.code, "thong-ke-dang-vien", "xlsx"])),
        "report: grassroots (docx)": get(
            reverse("stats:download", args=[org.code, "to-chuc-co-so-dang", "docx"])),
    }


def measure(codes: list[str], runs: int, metrics: str | None = None,
            username: str = "province") -> list[dict]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")
    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    from chibo.organizations.models import Organization
    from chibo.stats import engine, stocks

    setup_test_environment()  # lets the test client in (ALLOWED_HOSTS)
    call_command("collectstatic", interactive=False, verbosity=0)  # as `chibo serve` does
    request = engine.Request.parse(today=timezone.localdate(), metrics=metrics)
    user = get_user_model().objects.get(username=username)
    results = []
    for code in codes:
        org = Organization.objects.get(code=code)
        size = stocks.active_periods(stocks.scope_of(org, request.as_of)).count()
        children = len(engine.compute_children(org, request))
        for label, fn in (cases(org, request) | page_cases(org, request, user)).items():
            results.append({"database": connection.vendor, "org": code, "active_members": size,
                            "children": children, "query": label, **timed(fn, runs)})
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", help="an existing demo data dir (skips the build)")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--org", action="append",
                        help="organization codes (default: the province TQ and commune "
                             "TQ.SD.T01)")
    parser.add_argument("--metrics", help="only these keys (comma-separated) in the request and "
                                          "the per-child table, e.g. the meeting keys")
    parser.add_argument("--user", default="province",
                        help="who requests the pages: a user whose statistics scope holds every "
                             "--org (default the demo's province user)")
    parser.add_argument("--out", default="stats.json", help="file name under bench/out/")
    args = parser.parse_args()
    report: dict = {}
    data_dir = args.data_dir
    if not data_dir:
        data_dir = tempfile.mkdtemp(prefix="chibo-bench-")
        report["demo_build_s"] = round(build(data_dir), 1)
        print(f"demo build: {report['demo_build_s']} s")
    os.environ["CHIBO_DATA_DIR"] = data_dir
    report["stats"] = measure(args.org or ["TQ", "TQ.SD.T01"], args.runs, args.metrics, args.user)
    for row in report["stats"]:
        print(f"{row['database']:<10} {row['org']:<12} {row['active_members']:>7} members "
              f"{row['children']:>3} children  {row['query']:<28} {row['median_ms']:>8.1f} ms "
              f"(max {row['max_ms']:.1f}; cpu {row['cpu_median_ms']:.1f})")
    print(f"load average during the run: {os.getloadavg()[0]:.1f}")
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / args.out).write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
