"""Time the demo build, the bundle import of a whole province, and member list queries.

1. `chibo demo --no-serve --force` into a fresh data dir (or reuse one with --data-dir);
2. export that province to a bundle, then import it into an empty database (SQLite, or the
   PostgreSQL of CHIBO_BENCH_DATABASE_URL), timed;
3. member list queries on the demo province as the `province` and `commune` users: the first
   page in name order, a search, filters, a deep page (keyset), and the count.
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


def run(args: list[str], data_dir: str, database_url: str | None = None) -> float:
    env = {**os.environ, "CHIBO_DATA_DIR": data_dir}
    env.pop("CHIBO_DATABASE_URL", None)
    if database_url:
        env["CHIBO_DATABASE_URL"] = database_url
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "chibo.cli", *args], check=True, env=env, cwd=ROOT,
                   stdout=subprocess.DEVNULL)
    return time.monotonic() - started


def timed(fn, runs: int) -> dict:
    times = []
    for _ in range(runs + 1):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    times = sorted(times[1:])
    return {"median_ms": round(statistics.median(times), 1), "max_ms": round(times[-1], 1)}


def cases_for(user, today) -> dict:
    """The list queries of one user, as callables (the scope is the user's home organization)."""
    from chibo.members.models import Member
    from chibo.members.queries import MemberFilter, page_after

    org = user.home_organization()
    scoped = Member.objects.visible_to(user, "member.view")

    def members(**filters):
        return MemberFilter(org_path=org.path, **filters).apply(scoped, today)

    deep = ""
    for _ in range(20):
        deep = page_after(members(), deep)[1] or deep
    return {
        "first page, name order": lambda: page_after(members(), ""),
        "search 'nguyen van'": lambda: page_after(members(q="nguyen van"), ""),
        "search rare 'hau a'": lambda: page_after(members(q="hau a"), ""),
        "women over 60, exempt": lambda: page_after(
            members(gender="female", age_band="over_60", exempt="yes"), ""),
        "page 21 (keyset)": lambda: page_after(members(), deep),
        "count": lambda: members().count(),
    }


def list_queries(runs: int) -> list[dict]:
    import django

    os.environ["DJANGO_SETTINGS_MODULE"] = "chibo.settings"
    django.setup()
    from django.utils import timezone

    from chibo.accounts.models import User

    results = []
    for username in ("province", "commune"):
        cases = cases_for(User.objects.get(username=username), timezone.localdate())
        for label, fn in cases.items():
            results.append({"user": username, "query": label, **timed(fn, runs)})
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", help="an existing demo data dir (skips the build)")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    report: dict = {}
    data_dir = args.data_dir
    if not data_dir:
        data_dir = tempfile.mkdtemp(prefix="chibo-bench-")
        report["demo_build_s"] = round(run(["demo", "--no-serve", "--force"], data_dir), 1)
        print(f"demo build (province): {report['demo_build_s']} s")
    bundle = Path(tempfile.mkdtemp(prefix="chibo-bundle-")) / "province.zip"
    report["export_s"] = round(run(["export", str(bundle)], data_dir), 1)
    fresh = tempfile.mkdtemp(prefix="chibo-import-")
    database_url = os.environ.get("CHIBO_BENCH_DATABASE_URL")
    run(["migrate"], fresh, database_url)
    report["import_s"] = round(run(["import", str(bundle)], fresh, database_url), 1)
    print(f"export: {report['export_s']} s; import into an empty "
          f"{'PostgreSQL' if database_url else 'SQLite'} database: {report['import_s']} s")
    os.environ["CHIBO_DATA_DIR"] = data_dir
    report["lists"] = list_queries(args.runs)
    for row in report["lists"]:
        print(f"{row['user']:<9} {row['query']:<26} {row['median_ms']:>8.1f} ms "
              f"(max {row['max_ms']:.1f})")
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "members.json").write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
