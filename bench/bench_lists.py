"""Time every list of the list pattern (chibo.lists) on the demo province, as a signed-in user:
the first page, a deep page (20 pages down, reached by its keyset cursor) and the export's first
decision (the bounded count), through Django's test client, in-process (median and maximum of N
requests, server time; the network and gunicorn add well under a millisecond on loopback).

    uv run python bench/bench_lists.py --data-dir /tmp/demo              # a built demo (SQLite)
    CHIBO_BENCH_DATABASE_URL=postgres://chibo@127.0.0.1/chibo_bench \\
        uv run python bench/bench_lists.py --data-dir /tmp/demo-pg

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
DEEP = 20  # pages down


def setup_django(data_dir: str) -> None:
    os.environ["CHIBO_DATA_DIR"] = data_dir
    if os.environ.get("CHIBO_BENCH_DATABASE_URL"):
        os.environ["CHIBO_DATABASE_URL"] = os.environ["CHIBO_BENCH_DATABASE_URL"]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    settings.ALLOWED_HOSTS.append("testserver")


def cases(org: str, commune: str) -> list[tuple[str, str, str]]:
    """(list key, what, URL) of the cases, for the province `org`."""
    return [
        ("members.list", "members, name order", f"/org/{org}/members/"),
        ("members.list", "members, search 'nguyen van'", f"/org/{org}/members/?q=nguyen+van"),
        ("members.list", "members of a commune", f"/org/{org}/members/?org={commune}"),
        ("members.badges", "badges of the next round", f"/org/{org}/badges/"),
        ("meetings.list", "meetings held", f"/org/{org}/meetings/"),
        ("meetings.list", "meetings to come", f"/org/{org}/meetings/?tab=coming"),
        ("meetings.list", "meetings held, regular, this year",
         f"/org/{org}/meetings/?kind=regular&year=THIS"),
        ("meetings.findings", "findings, this year", f"/org/{org}/meetings/findings/"),
        ("meetings.findings", "findings of a commune",
         f"/org/{org}/meetings/findings/?org={commune}"),
        ("meetings.findings", "findings, one rule, one month",
         f"/org/{org}/meetings/findings/?rule=meetings.no_regular&month=3"),
    ]


def timed(client, url: str, runs: int) -> tuple[float, float, int]:
    times, status = [], 0
    for _ in range(runs + 1):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        status = response.status_code
    times = times[1:]  # the first request warms the caches (templates, URL resolvers)
    return statistics.median(times), max(times), status


def deep_url(spec, user, url: str) -> str | None:
    """The URL of the page DEEP pages down (None when the list is shorter)."""
    from urllib.parse import urlencode

    from django.http import QueryDict

    path, _mark, query = url.partition("?")
    code = path.split("/")[2]
    listing = spec.listing(user, QueryDict(query), code=code)
    cursor = ""
    for _ in range(DEEP):
        page = listing.page(after=cursor)
        if not page.after:
            return None
        cursor = page.after
    params = QueryDict(query, mutable=True)
    params["after"], params["start"] = cursor, str(DEEP * spec.page_size + 1)
    return f"{path}?{urlencode(params)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--user", default="province")
    args = parser.parse_args()
    setup_django(args.data_dir)
    from django.db import connection
    from django.http import QueryDict
    from django.test import Client
    from django.utils import timezone

    from chibo.accounts.models import User
    from chibo.lists.spec import LISTS
    from chibo.organizations.models import Organization

    user = User.objects.get(username=args.user)
    org = user.home_organization()
    commune = Organization.objects.filter(kind="grassroots_committee", sector="commune",
                                          ended_on__isnull=True, path__startswith=org.path
                                          ).order_by("code").first()
    client = Client()
    client.force_login(user)
    print(f"{connection.vendor}, user {user.username} at {org.code}, commune {commune.code}, "
          f"today {timezone.localdate()}")
    results = []
    for key, what, url in cases(org.code, commune.code):
        url = url.replace("THIS", str(timezone.localdate().year))
        spec = LISTS[key]
        listing = spec.listing(user, QueryDict(url.partition("?")[2]), code=org.code)
        started = time.perf_counter()
        count, more = listing.count()
        count_ms = (time.perf_counter() - started) * 1000
        row = {"list": key, "what": what, "rows": f"{'>' if more else ''}{count}",
               "count_ms": round(count_ms, 1)}
        for page, target in (("first", url), ("deep", deep_url(spec, user, url))):
            if target is None:
                row[f"{page}_ms"] = row[f"{page}_max_ms"] = None
                continue
            median, worst, status = timed(client, target, args.runs)
            assert status == 200, (target, status)
            row[f"{page}_ms"], row[f"{page}_max_ms"] = round(median), round(worst)
        results.append(row)
    print(f"{'list':<18} {'case':<36} {'rows':>8} {'count':>8} {'first page':>16} "
          f"{'page ' + str(DEEP + 1):>16}")
    def show(row, page):
        if row[f"{page}_ms"] is None:
            return f"{'—':>16}"
        return f"{row[f'{page}_ms']:>6} ms ({row[f'{page}_max_ms']:>5})"

    for row in results:
        print(f"{row['list']:<18} {row['what']:<36} {row['rows']:>8} "
              f"{row['count_ms']:>5} ms {show(row, 'first')} {show(row, 'deep')}")
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / f"lists-{connection.vendor}.json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
