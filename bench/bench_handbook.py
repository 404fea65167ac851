"""Weigh and time the member handbook's pages (and the staff library pages) on the demo.

1. `chibo demo --no-serve --force --size S` into a fresh data dir (or reuse one: --data-dir);
2. as the demo `member` (a phone user), each handbook page N times in-process: the server time
   (median, 95th percentile), the HTML bytes, gzipped bytes, and the SQL queries per request;
   then the first-visit weight (HTML + the handbook's CSS and JS, gzipped);
3. the staff library pages and the API as `province` and `commune`.

If the demo cell has no upcoming meeting, one is scheduled (with an attachment) so that the
meeting pages have something to show: do not point --data-dir at a database you care about.
"""

import argparse
import gzip
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build_demo(data_dir: str, size: str) -> float:
    env = {**os.environ, "CHIBO_DATA_DIR": data_dir}
    env.pop("CHIBO_DATABASE_URL", None)
    if os.environ.get("CHIBO_BENCH_DATABASE_URL"):
        env["CHIBO_DATABASE_URL"] = os.environ["CHIBO_BENCH_DATABASE_URL"]
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "chibo.cli", "demo", "--no-serve", "--force",
                    "--size", size], check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.monotonic() - started


def setup_django(data_dir: str) -> None:
    os.environ["CHIBO_DATA_DIR"] = data_dir
    if os.environ.get("CHIBO_BENCH_DATABASE_URL"):
        os.environ["CHIBO_DATABASE_URL"] = os.environ["CHIBO_BENCH_DATABASE_URL"]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")
    os.environ.setdefault("CHIBO_ALLOWED_HOSTS", "testserver")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)  # as `chibo serve` does


def ensure_meeting(member) -> None:
    from datetime import time as clock
    from datetime import timedelta

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from chibo.accounts.policy import SYSTEM
    from chibo.documents.demo import tiny_pdf
    from chibo.meetings import queries, services

    if queries.upcoming_meetings(member).exists():
        return
    meeting = services.schedule_meeting(services.NewMeeting(
        organization=member.cell, kind="regular", topic="Sinh hoạt thường kỳ (bench)",
        date=timezone.localdate() + timedelta(days=3), start_time=clock(19, 30),
        place="Nhà văn hóa thôn"), actor=SYSTEM)
    services.add_attachment(meeting, SimpleUploadedFile(
        "Du-thao-nghi-quyet.pdf", tiny_pdf(["Du thao nghi quyet chi bo"] * 20)), actor=SYSTEM)


def measure(client, url: str, runs: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, response = [], None
    for i in range(runs + 1):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
        if i:  # the first request warms caches and templates
            times.append(elapsed)
    body = response.content if not response.streaming else b"".join(response.streaming_content)
    times.sort()
    return {"url": url, "median_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[int(len(times) * 0.95) - 1], 1), "bytes": len(body),
            "gzip_bytes": len(gzip.compress(body, 6)), "queries": len(queries)}


def static_weight() -> dict:
    from django.contrib.staticfiles import finders

    weights = {}
    for name in ("handbook/handbook.css", "handbook/handbook.js"):
        data = Path(finders.find(name)).read_bytes()
        weights[name] = {"bytes": len(data), "gzip_bytes": len(gzip.compress(data, 6))}
    return weights


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", help="reuse a demo built there (with --build: build it)")
    parser.add_argument("--build", action="store_true", help="build the demo into --data-dir")
    parser.add_argument("--size", default="small", choices=["small", "province"])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    data_dir = args.data_dir or tempfile.mkdtemp(prefix="chibo-bench-")
    build_seconds = build_demo(data_dir, args.size) if args.build or not args.data_dir else None
    setup_django(data_dir)

    from django.test import Client

    from chibo.accounts.models import User
    from chibo.documents.models import Document
    from chibo.handbook.queries import library, member_of
    from chibo.meetings.queries import upcoming_meetings

    user = User.objects.get(username="member")
    member = member_of(user)
    ensure_meeting(member)
    meeting = upcoming_meetings(member).first()
    document = library(member).get(number="21-NQ/TW")
    client = Client()
    client.force_login(user)
    pages = ["/handbook/", "/handbook/meetings/", f"/handbook/meetings/{meeting.pk}/",
             "/handbook/documents/", "/handbook/documents/?q=nghi+quyet",
             f"/handbook/documents/{document.pk}/", "/handbook/me/",
             "/handbook/notifications/", "/handbook/review/"]
    rows = [measure(client, url, args.runs) for url in pages]
    statics = static_weight()
    first_visit = rows[0]["gzip_bytes"] + sum(s["gzip_bytes"] for s in statics.values())

    staff_rows = []
    for username, urls in [("province", ["/documents/", f"/documents/{document.pk}/",
                                         "/api/v1/documents"]),
                           ("commune", ["/documents/", f"/documents/{document.pk}/",
                                        f"/api/v1/documents/{document.pk}/reads"])]:
        staff = Client()
        staff.force_login(User.objects.get(username=username))
        staff_rows += [{"user": username, **measure(staff, url, max(5, args.runs // 3))}
                       for url in urls]

    from django.db import connection

    result = {"database": connection.vendor, "size": args.size, "build_seconds": build_seconds,
              "documents": Document.objects.count(), "pages": rows, "static": statics,
              "first_visit_gzip_bytes": first_visit, "staff": staff_rows}
    print(f"database {connection.vendor}, demo {args.size}"
          + (f" (built in {build_seconds:.0f} s)" if build_seconds else ""))
    print(f"{'handbook page (member)':<34}{'median':>8}{'p95':>8}{'bytes':>8}{'gzip':>7}{'SQL':>5}")
    for row in rows:
        print(f"{row['url'][:34]:<34}{row['median_ms']:>6} ms{row['p95_ms']:>6} ms"
              f"{row['bytes']:>8}{row['gzip_bytes']:>7}{row['queries']:>5}")
    for name, weight in statics.items():
        print(f"{name:<34}{'':>16}{weight['bytes']:>8}{weight['gzip_bytes']:>7}")
    print(f"first visit of /handbook/ (HTML + CSS + JS, gzip): {first_visit} bytes")
    for row in staff_rows:
        print(f"{row['user']:<9}{row['url'][:25]:<25}{row['median_ms']:>6} ms{row['p95_ms']:>6} ms"
              f"{row['bytes']:>8}{row['gzip_bytes']:>7}{row['queries']:>5}")
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / f"handbook-{connection.vendor}-{args.size}.json").write_text(
        json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
