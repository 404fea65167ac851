"""Walk every page of the menu as each role of the demo, and print the slowest ten.

For each demo user (province, inspector, commune, secretary, member, admin): the home page, each
entry of their menu, and the first links of each of those pages (a member, a meeting, an
organization, a report, …), through Django's whole stack, in-process, as the signed-in user. Each
page is asked `--runs` times after one warm-up (the home page's figures are timed cold too: the
warm-up is its first visit). Wall and CPU time (CPU stays meaningful on a shared machine).

    uv run python bench/bench_pages.py --data-dir /tmp/demo             # a built demo (SQLite)
    uv run python bench/bench_pages.py --data-dir /tmp/demo --runs 5 --follow 8

Writes bench/out/pages.json; exits 1 when a page answers other than 200/302 (a broken link).
"""

import argparse
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
USERS = ("province", "inspector", "commune", "secretary", "member", "admin")
LINK = re.compile(r'href="(/[^"#]*)"')
# Links not to follow: downloads, signing out, the API's machine pages, other languages.
SKIP = re.compile(r"^/(static|media|api/v1/openapi\.json|accounts/logout|i18n)|\.(xlsx|docx|pdf|"
                  r"json|csv|zip)(\?|$)|format=xlsx|/file/?$|/photo")


def timed(client, url: str, runs: int) -> dict:
    walls, cpus, status = [], [], None
    for i in range(runs + 1):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        wall, cpu = time.perf_counter() - started, time.process_time() - started_cpu
        status = response.status_code
        if i == 0:
            first, first_cpu = wall, cpu
            body = response.content.decode(errors="replace") if status == 200 else ""
            continue
        walls.append(wall)
        cpus.append(cpu)
    return {"url": url, "status": status, "first_ms": round(first * 1000, 1),
            "first_cpu_ms": round(first_cpu * 1000, 1),
            "median_ms": round(statistics.median(walls) * 1000, 1) if walls else None,
            "max_ms": round(max(walls) * 1000, 1) if walls else None,
            "cpu_ms": round(statistics.median(cpus) * 1000, 1) if cpus else None,
            "body": body}


def main_links(body: str, limit: int) -> list[str]:
    """The first `limit` distinct links of the page's main content (not the menu's)."""
    main = body[body.find("<main"):] if "<main" in body else body
    out = []
    for url in LINK.findall(main):
        url = url.replace("&amp;", "&")
        if not SKIP.search(url) and url not in out:
            out.append(url)
        if len(out) == limit:
            break
    return out


def walk(username: str, runs: int, follow: int) -> list[dict]:
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    home = client.get("/", follow=True)
    start = home.redirect_chain[-1][0] if home.redirect_chain else "/"
    # the menu's links as the page renders them (href before data-nav)
    menu = [start] + re.findall(r'href="(/[^"]*)" data-nav="', home.content.decode())
    seen, results = set(), []
    for url in menu:
        if url in seen:
            continue
        seen.add(url)
        result = timed(client, url, runs)
        results.append(result)
        for link in main_links(result.pop("body"), follow):
            if link not in seen:
                seen.add(link)
                linked = timed(client, link, runs)
                linked.pop("body")
                results.append(linked)
    for result in results:
        result["user"] = username
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", required=True, help="a built demo data dir")
    parser.add_argument("--runs", type=int, default=3, help="timed requests per page")
    parser.add_argument("--follow", type=int, default=5,
                        help="links followed from each menu page")
    parser.add_argument("--users", default=",".join(USERS), help="demo users, comma-separated")
    args = parser.parse_args()
    os.environ["CHIBO_DATA_DIR"] = args.data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("collectstatic", interactive=False, verbosity=0)
    results = [r for user in args.users.split(",") for r in walk(user, args.runs, args.follow)]
    results.sort(key=lambda r: r["median_ms"] or 0, reverse=True)
    broken = [r for r in results if r["status"] not in (200, 302)]
    print(f"{len(results)} pages walked as {args.users}; the slowest ten (median of {args.runs}):")
    for r in results[:10]:
        print(f"  {r['median_ms']:8.1f} ms (first {r['first_ms']:.0f}, cpu {r['cpu_ms']:.0f})"
              f"  {r['user']:10} {r['url']}")
    print("the slowest five first visits (cold caches: the home's figures, the findings):")
    for r in sorted(results, key=lambda r: r["first_ms"], reverse=True)[:5]:
        print(f"  {r['first_ms']:8.1f} ms (cpu {r['first_cpu_ms']:.0f})  {r['user']:10} {r['url']}")
    over = [r for r in results if (r["median_ms"] or 0) > 1000]
    cold = [r for r in results if r["first_ms"] > 1000]
    print(f"pages over 1 s: {len(over)} (first visits: {len(cold)}); broken: {len(broken)}")
    for r in broken:
        print(f"  BROKEN {r['status']} {r['user']} {r['url']}")
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "pages.json").write_text(json.dumps(results, ensure_ascii=False, indent=1))
    sys.exit(1 if broken else 0)


if __name__ == "__main__":
    main()
