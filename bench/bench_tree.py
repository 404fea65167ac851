"""Time the demo build and the tree pages on the demo province.

Builds the demo in a fresh data directory (or on CHIBO_DATABASE_URL, which it empties), then
requests each page N times through Django's test client as a signed-in user and reports the
median and 95th percentile server time. In-process timing leaves out the network and gunicorn,
which add well under a millisecond on loopback.
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


def build(data_dir: str, size: str) -> float:
    env = {**os.environ, "CHIBO_DATA_DIR": data_dir}
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "chibo.cli", "demo", "--no-serve", "--force",
                    "--size", size], check=True, env=env, cwd=ROOT,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.monotonic() - started


def pages(commune: str, cell: str, district_commune: str) -> dict[str, list[tuple[str, str]]]:
    return {
        "province": [
            ("tree (top)", "/org/"),
            ("tree children of TQ", "/org/tree/TQ/children/"),
            ("tree children of TQ, 2020", "/org/tree/TQ/children/?as_of=2020-01-01"),
            ("organization TQ", "/org/TQ/"),
            ("organization TQ, 2020", "/org/TQ/?as_of=01/01/2020"),
            ("organization commune", f"/org/{commune}/"),
            ("search 'dong'", "/org/?q=dong"),
            ("API children of TQ", "/api/v1/organizations?parent=TQ"),
        ],
        "commune": [
            ("tree (top)", "/org/"),
            ("organization commune", f"/org/{commune}/"),
            ("organization commune, 2020", f"/org/{district_commune}/?as_of=01/01/2020"),
            ("tree children of commune", f"/org/tree/{commune}/children/"),
            ("organization cell", f"/org/{cell}/"),
            ("search 'thon'", "/org/?q=thon"),
        ],
    }


def measure(runs: int) -> list[dict]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from chibo.accounts.models import User

    call_command("collectstatic", interactive=False, verbosity=0)
    settings.ALLOWED_HOSTS.append("testserver")
    commune_user = User.objects.get(username="commune")
    commune = commune_user.home_organization()
    cell = User.objects.get(username="secretary").home_organization()
    merged = commune.merged_from.order_by("code").first() or commune
    results = []
    for username, urls in pages(commune.code, cell.code, merged.code).items():
        client = Client()
        client.force_login(User.objects.get(username=username))
        for label, url in urls:
            times = []
            for _ in range(runs + 2):
                started = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, (url, response.status_code)
            times = sorted(times[2:])  # the first two warm caches
            results.append({"user": username, "page": label, "url": url,
                             "median_ms": round(statistics.median(times), 1),
                             "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1),
                             "bytes": len(response.content)})
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--size", default="province", choices=["small", "province"])
    parser.add_argument("--data-dir", default=None)
    args = parser.parse_args()
    data_dir = args.data_dir or tempfile.mkdtemp(prefix="chibo-bench-")
    os.environ["CHIBO_DATA_DIR"] = data_dir
    seconds = None if args.data_dir else build(data_dir, args.size)  # reuse a built demo
    database = "postgresql" if "postgres" in os.environ.get("CHIBO_DATABASE_URL", "") else "sqlite"
    if seconds is not None:
        print(f"demo build ({args.size}, {database}): {seconds:.1f} s")
    results = measure(args.runs)
    print(f"{'user':<10} {'page':<32} {'median':>8} {'p95':>8} {'bytes':>8}")
    for row in results:
        print(f"{row['user']:<10} {row['page']:<32} {row['median_ms']:>7.1f}ms "
              f"{row['p95_ms']:>7.1f}ms {row['bytes']:>8}")
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / f"tree-{database}.json").write_text(json.dumps(
        {"database": database, "demo_build_s": seconds and round(seconds, 1), "pages": results},
        indent=1))


if __name__ == "__main__":
    main()
