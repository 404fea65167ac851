"""One journey per role in headless Chromium, from the home page through every area of the
menu, by the menu alone (issue 13): the province officer and the inspector (desktop), the
commune clerk (desktop), the cell secretary and a member (on a 360 px phone).

Each journey signs in, reads what its home shows (urgent items, key numbers, shortcuts), then
clicks its way into every area the menu offers it and checks what that area shows for its own
data: the names in its scope, and the names outside it absent. The findings list ("Kiểm tra
theo quy định") is walked page by page with the pager's links, filtered through its form and
exported, and every row of it is compared with `chibo check --format json`: its "findings" on
the first tab, its "record_findings" on the "Trên hồ sơ" tab.

The province's data (`journey_world`): the named world, its people and the members who break
the record rules (tests/test_findings.py), one exception recorded; meetings held last month and
yesterday (two below the quality bar), one left unclosed, one to come; two documents. Dates are
relative to today, and the meetings held were closed at 8 pm of their own past day, so the
journeys hold whatever the day and the hour they run.
"""

import io
import json
import re
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

pytest.register_assert_rewrite("tests.browser_support")

from django.core.management import call_command  # noqa: E402
from playwright.sync_api import expect  # noqa: E402

from chibo.accounts.policy import SYSTEM  # noqa: E402
from chibo.core.compliance import CHECKS, Finding, subjects_of  # noqa: E402
from chibo.findings.rules import RULES  # noqa: E402
from chibo.findings.services import Decision, record_exception  # noqa: E402
from chibo.interchange.importer import import_bundle  # noqa: E402
from chibo.lists.spec import LISTS  # noqa: E402
from chibo.meetings import queries as meeting_queries  # noqa: E402
from chibo.meetings import services as meeting_services  # noqa: E402
from chibo.meetings.choices import MeetingStatus  # noqa: E402
from chibo.stats.figures import last_month  # noqa: E402
from tests.browser_support import PHONE, PageErrors, page_widths, sign_in  # noqa: E402
from tests.conftest import build_people  # noqa: E402
from tests.test_documents import publish  # noqa: E402
from tests.test_findings import EVENTS, MEMBERS  # noqa: E402
from tests.test_meetings import at, schedule  # noqa: E402

pytest_plugins = ["tests.browser_support"]
pytestmark = pytest.mark.browser

PROVINCE, COMMUNE, CELL = "Đảng bộ tỉnh Tuyên Quang", "Đảng bộ xã An Phú", "Chi bộ thôn Đồng Mạ"
DECISION = Decision("12-QĐ/TU", date(2012, 6, 20), "TQ", "Tỉnh ủy đồng ý")
EXCEPTED = "ngoại lệ (12-QĐ/TU, 20/06/2012)"
OPEN = "chưa có ngoại lệ"
# Meeting topics, each said once, so that a page shows a meeting by its topic.
HELD = "Sinh hoạt tháng trước: thu đảng phí"
ROAD = "Bàn việc làm đường bê tông"
FOREST = "Bàn việc trồng rừng"
UNCLOSED = "Họp chưa ghi kết quả"
COMING = "Học tập nghị quyết của Tỉnh ủy"
ELSEWHERE = "Làm đường thôn Tân Lập"  # in D2.X1.C1, outside the commune
DOC, DOC_D2 = "21-NQ/TW", "05-NQ/HU"  # to the province; to the district D2 only
# The export's columns (chibo.meetings.lists.FindingsList), by their heading.
EXPORTED = ("Mã quy tắc", "Kỳ", "Mã tổ chức", "Tổ chức", "Đối tượng (mã)", "Nội dung", "Căn cứ",
            "Ngoại lệ")

ROWS = """els => els.map(tr => Object.fromEntries(Array.from(tr.cells).map(
  td => [td.dataset.label, td.textContent.replace(/\\s+/g, " ").trim()])))"""
FIGURES = """els => Object.fromEntries(els.map(el => [el.dataset.figure,
  (el.querySelector(".badge, .fs-4") || el).textContent.trim()]))"""


# --- the province's data --------------------------------------------------------------------


def close_all_present(meeting, **extra):
    """Close `meeting` with every member of its cell present and speaking."""
    attendance = [meeting_services.AttendanceEntry(e.member, "present", "", True)
                  for e in meeting_queries.expected_members(meeting)]
    values = {"attendance": attendance, "duration_minutes": 95, "minutes": "Biên bản",
              "conclusion": "Chi bộ thống nhất", "agenda_prepared": True,
              "committee_prepared": True, "draft_resolution": True, "minutes_complete": True,
              **extra}
    return meeting_services.close_meeting(meeting, meeting_services.Closing(**values),
                                          actor=SYSTEM, now=at(meeting.date, 20))


@pytest.fixture
def journey_world(live_world, tmp_path):
    world = live_world
    people = build_people(world)
    folder = tmp_path / "breaches"
    folder.mkdir()
    (folder / "members.csv").write_text(MEMBERS, encoding="utf-8")
    (folder / "member_events.csv").write_text(EVENTS, encoding="utf-8")
    assert import_bundle(folder).errors == []
    record_exception("members.probation", "members.csv", "P1", decision=DECISION,
                     org=world.orgs["D1.X1.C1"], actor=SYSTEM)
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    first_of_last_month = last_month(today)[0]
    meetings = {
        "held": close_all_present(schedule(world, day=first_of_last_month, topic=HELD)),
        "road": close_all_present(schedule(world, day=yesterday, topic=ROAD),
                                  duration_minutes=30),
        "forest": close_all_present(schedule(world, cell="D1.X1.C2", day=yesterday,
                                             topic=FOREST), duration_minutes=30),
        "elsewhere": close_all_present(schedule(world, cell="D2.X1.C1", day=yesterday,
                                                topic=ELSEWHERE)),
        # its day is over and nobody closed it: overdue
        "unclosed": schedule(world, cell="D1.X1.C2", day=today - timedelta(days=3),
                             topic=UNCLOSED),
        "coming": schedule(world, day=today + timedelta(days=5), topic=COMING),
    }
    assert [m.quality_passed for m in (meetings["road"], meetings["forest"])] == [False, False]
    publish(world.orgs["TQ"], number=DOC)
    publish(world.orgs["D2"], number=DOC_D2, title="Về phát triển kinh tế rừng huyện Hàm Yên")
    world.people, world.meetings = people, meetings
    return world


def held_last_month(world, org: str) -> int:
    """The meetings of `journey_world` closed last month in `org`'s subtree."""
    first, last = last_month(timezone.localdate())
    path = world.org(org).path
    return sum(1 for m in world.meetings.values()
               if m.status == MeetingStatus.CLOSED and first <= m.date <= last
               and m.organization.path.startswith(path))


# --- chibo check ----------------------------------------------------------------------------


def chibo_check(org: str, year: int | None = None, month: int | None = None,
                checks: str | None = None) -> dict:
    """What `chibo check --org ORG [--year Y] [--month M] [--checks K] --format json` prints."""
    args = ["--org", org, "--format", "json"]
    if year:
        args += ["--year", str(year)]
    if month:
        args += ["--month", str(month)]
    if checks:
        args += ["--checks", checks]
    out = io.StringIO()
    try:
        call_command("compliance_check", *args, stdout=out)
    except SystemExit as exit_:  # 1: something open was found
        assert exit_.code == 1
    return json.loads(out.getvalue())


def status_of(found: dict) -> str:
    if found["exception"] is None:
        return OPEN
    day = date.fromisoformat(found["exception"]["decided_on"])
    return f"ngoại lệ ({found['exception']['decision_no']}, {day:%d/%m/%Y})"


def checks_on_page(report: dict) -> list[dict]:
    """The page's rows of the first tab, as `chibo check` lists its "findings"."""
    findings = [Finding(**f) for f in report["findings"]]
    subjects = subjects_of(findings)
    return [{"Quy tắc": str(CHECKS[f.check].label), "Kỳ": f.period, "Tổ chức": f.org_name,
             "Đối tượng": subjects[f.check, f.subject].label, "Nội dung": squash(f.detail),
             "Căn cứ": squash(f.source), "Ngoại lệ": ""} for f in findings]


def checks_exported(report: dict) -> list[tuple]:
    return [(f["check"], f["period"], f["org_code"], f["org_name"], f["subject"], f["detail"],
             f["source"], None) for f in report["findings"]]


def records_on_page(report: dict) -> list[dict]:
    """The page's rows of the "Trên hồ sơ" tab, as `chibo check` lists its record_findings."""
    return [{"Quy tắc": str(RULES[f["key"]].label),
             "Kỳ": f"{date.fromisoformat(f['day']):%d/%m/%Y}", "Tổ chức": f["org_name"],
             "Đối tượng": f["subject"], "Nội dung": squash(f["detail"]),
             "Căn cứ": squash(f["source"]), "Ngoại lệ": status_of(f)}
            for f in report["record_findings"]]


def records_exported(report: dict) -> list[tuple]:
    return [(f["key"], f"{date.fromisoformat(f['day']):%d/%m/%Y}", f["org_code"], f["org_name"],
             f["subject"], f["detail"], f["source"], status_of(f))
            for f in report["record_findings"]]


def squash(text: str) -> str:
    return " ".join(text.split())


# --- the browser ----------------------------------------------------------------------------


def menu_keys(page) -> list[str]:
    return page.locator("#nav-main a[data-nav]").evaluate_all(
        "els => els.map(el => el.dataset.nav)")


def by_menu(page, key: str, errors: PageErrors | None = None) -> None:
    """Open the area `key` by the menu alone: on a phone the menu button first, then the
    drop-down heading the entry is filed under, if any; the area is then marked current."""
    if errors is not None:
        assert errors.csp_violations() == [], page.url  # of the page being left
    nav = page.locator("#nav-main")
    if page.viewport_size["width"] < 992:  # navbar-expand-lg: the menu folds behind a button
        expect(nav).to_be_hidden()
        page.locator(".navbar-toggler").click()
        expect(nav).to_have_class(re.compile(r"\bshow\b"))  # opened, not still opening
    link = nav.locator(f'a[data-nav="{key}"]')
    heading = nav.locator(f'li.dropdown:has(a[data-nav="{key}"]) > a[data-nav-section]')
    if heading.count():
        expect(link).to_be_hidden()
        heading.click()
    expect(link).to_be_visible()
    with page.expect_navigation():
        link.click()
    expect(page.locator(f'#nav-main a[data-nav="{key}"]')).to_have_attribute(
        "aria-current", "page")


def figures(page, where: str) -> dict[str, str]:
    """Figure key -> the number or date shown, in the home's `data-home-urgent` or
    `data-home-numbers`."""
    return page.locator(f"[{where}] [data-figure]").evaluate_all(FIGURES)


def expected_urgent(org: str, overdue: int) -> dict[str, str]:
    """The home's urgent items of `org`: the overdue meetings, each check's findings of last
    month and each rule's open record findings, as `chibo check` counts them; none at zero."""
    first = last_month(timezone.localdate())[0]
    counts: dict[str, int] = {"meetings.overdue": overdue}
    for found in chibo_check(org, first.year, first.month)["findings"]:
        counts[f"check.{found['check']}"] = counts.get(f"check.{found['check']}", 0) + 1
    for found in chibo_check(org)["record_findings"]:
        if found["status"] == "open":
            counts[f"rule.{found['key']}"] = counts.get(f"rule.{found['key']}", 0) + 1
    return {key: str(n) for key, n in counts.items() if n}


def assert_home(page, *, scope: str, urgent: dict[str, str], numbers: dict[str, str]) -> None:
    assert urlsplit(page.url).path == "/", page.url
    expect(page.locator("h1")).to_have_text(re.compile("^Xin chào"))
    expect(page.locator("[data-home-scope]")).to_contain_text(scope)
    assert figures(page, "data-home-urgent") == urgent
    assert figures(page, "data-home-numbers") == numbers
    shortcuts = page.locator("[data-shortcut]").evaluate_all(
        "els => els.map(el => el.dataset.shortcut)")
    assert shortcuts == menu_keys(page)  # a shortcut to every area of the menu


def list_rows(page) -> list[dict]:
    return page.locator(".list-table tbody tr").evaluate_all(ROWS)


def count_line(page) -> tuple[int, int, int]:
    """(first, last, total) of "Dòng 1–5 trong 12 …"."""
    text = page.locator("#list-count").text_content()
    match = re.search(r"Dòng ([\d.]+)–([\d.]+) trong ([\d.]+)", text)
    assert match, text
    return tuple(int(n.replace(".", "")) for n in match.groups())


def shows_first_rows(page, expected: list[dict]) -> None:
    """The list counts `expected` and its first page shows their first rows (or says that
    nothing matches: early in January a year's checks have found nothing yet)."""
    if not expected:
        expect(page.locator("#list-empty")).to_be_visible()
        return
    _first, last, total = count_line(page)
    assert total == len(expected)
    assert list_rows(page) == expected[:last]


def walk(page) -> tuple[list[dict], int]:
    """Every row of the list, page after page by the pager's next link; (rows, pages)."""
    rows, pages = [], 0
    while True:
        first, last, total = count_line(page)
        shown = list_rows(page)
        assert (first, last) == (len(rows) + 1, len(rows) + len(shown)), (first, last)
        rows += shown
        pages += 1
        following = page.locator("#list-next")
        if not following.count():
            break
        with page.expect_navigation():
            following.click()
    if pages > 1:
        expect(page.get_by_text("Hết danh sách.")).to_be_visible()
    assert total == len(rows)
    return rows, pages


def exported(page) -> tuple[list[str], list[tuple]]:
    """The list's Excel export, downloaded by its link: (heading lines, rows of EXPORTED)."""
    import openpyxl

    with page.expect_download() as info:
        page.locator("#list-export").click()
    sheet = openpyxl.load_workbook(io.BytesIO(info.value.path().read_bytes())).active
    lines = [row[0] for row in sheet.iter_rows(max_row=4, values_only=True) if row[0]]
    header = [cell.value for cell in sheet[5]]
    at_ = [header.index(name) for name in EXPORTED]
    rows = [tuple(row[i] for i in at_) for row in sheet.iter_rows(min_row=6, values_only=True)]
    return lines, rows


def pages_of_three(monkeypatch, count: int) -> None:
    """Lower the findings list's page size so that `count` rows take three pages (or two)."""
    assert count >= 2, "too few findings to page"
    monkeypatch.setattr(LISTS["meetings.findings"], "page_size", max(1, -(-count // 3)))


def filter_by(page, **values: str) -> None:
    """Choose values in the list's filter form and submit it."""
    form = page.locator("#list-filters")
    for name, value in values.items():
        form.locator(f'[name="{name}"]').select_option(value)
    with page.expect_navigation():
        form.get_by_role("button", name="Lọc").click()


def fits_the_phone(page) -> None:
    scroll, client = page_widths(page)
    assert scroll <= client <= PHONE["width"], (page.url, scroll, client)


def to_tab(page, label: str) -> None:
    with page.expect_navigation():
        page.locator(".list-tabs").get_by_role("link", name=label).click()
    expect(page.locator(".list-tabs .active")).to_have_text(label)


# --- the journeys ---------------------------------------------------------------------------


def test_province_officer_journey(journey_world, live_server, page, monkeypatch):
    """The organizer of the province: the whole province in every area, the import, and the
    findings walked, filtered by rule and exported, both tabs, as `chibo check` lists them."""
    errors = PageErrors(page)
    yesterday = timezone.localdate() - timedelta(days=1)
    sign_in(page, live_server, "province")
    assert_home(page, scope=f"Cán bộ tổ chức · {PROVINCE}",
                urgent=expected_urgent("TQ", overdue=1),
                numbers={"members.total": "15", "admitted": "0",
                         "meetings.held": str(held_last_month(journey_world, "TQ"))})
    assert menu_keys(page) == ["organizations", "members", "meetings", "admission", "courses",
                               "calendar", "ratings", "badges", "dues", "liaison", "removal",
                               "liaison.residents", "meetings.findings", "stats", "documents",
                               "interchange", "help"]

    by_menu(page, "organizations", errors)
    expect(page.locator("h1")).to_have_text("Cây tổ chức đảng")
    tree = page.locator("#tree-body ul.tree")
    expect(tree.locator(":scope > li")).to_have_count(1)
    expect(tree.locator(":scope > li > a")).to_have_text(PROVINCE)

    by_menu(page, "members", errors)
    expect(page.locator("h1")).to_have_text("Đảng viên")
    assert count_line(page)[2] == 15
    expect(page.locator(".list-table")).to_contain_text("Vàng Thị Yến")  # D2 is in the province
    expect(page.locator(".list-table")).to_contain_text("Triệu Văn Xa")

    by_menu(page, "meetings", errors)
    expect(page.locator("h1")).to_have_text("Sinh hoạt chi bộ")
    assert count_line(page)[2] == 5  # the held ones (and the unclosed one), every cell
    table = page.locator(".list-table")
    for topic in (HELD, ROAD, FOREST, ELSEWHERE, UNCLOSED):
        expect(table).to_contain_text(topic)
    expect(table).not_to_contain_text(COMING)

    by_menu(page, "meetings.findings", errors)
    expect(page.locator("h1")).to_have_text("Kiểm tra theo quy định")
    expect(page.locator(".list-tabs .active")).to_have_text("Theo quy định trong kỳ")
    # The year of yesterday (the days over), page after page, then its export.
    report = chibo_check("TQ", yesterday.year)
    pages_of_three(monkeypatch, len(report["findings"]))
    filter_by(page, year=str(yesterday.year))
    rows, pages = walk(page)
    assert pages >= 2 and rows == checks_on_page(report)
    lines, exported_rows = exported(page)
    assert f"Năm {yesterday.year}" in "; ".join(lines)
    assert exported_rows == checks_exported(report)
    # One rule, through the form.
    report = chibo_check("TQ", yesterday.year, checks="meetings.below_quality")
    pages_of_three(monkeypatch, len(report["findings"]))
    filter_by(page, rule="meetings.below_quality")
    rows, pages = walk(page)
    assert pages == 2 and rows == checks_on_page(report)
    assert {row["Đối tượng"].split(" · ")[-1] for row in rows} == {ROAD, FOREST}
    assert exported(page)[1] == checks_exported(report)
    # The record findings, every year: open ones and the one excepted, with their status.
    to_tab(page, "Trên hồ sơ")
    report = chibo_check("TQ")
    pages_of_three(monkeypatch, len(report["record_findings"]))
    filter_by(page, year="")
    rows, pages = walk(page)
    assert pages >= 2 and rows == records_on_page(report)
    statuses = [row["Ngoại lệ"] for row in rows]
    assert statuses.count(EXCEPTED) == 1 and set(statuses) == {OPEN, EXCEPTED}
    assert "Triệu Văn Xa" in " ".join(row["Đối tượng"] for row in rows)  # D2's, in the province
    assert exported(page)[1] == records_exported(report)

    by_menu(page, "stats", errors)
    expect(page.locator("h1")).to_have_text(f"Thống kê · {PROVINCE}")
    expect(page.locator('[data-metric="members.total"]')).to_have_text("15")

    by_menu(page, "documents", errors)
    expect(page.locator("h1")).to_have_text("Thư viện tài liệu")
    table = page.locator(".list-table")
    expect(table).to_contain_text(DOC)
    expect(table).to_contain_text(DOC_D2)

    by_menu(page, "interchange", errors)
    expect(page.locator("h1")).to_have_text("Nhập gói dữ liệu")
    expect(page.get_by_label("Tệp .zip hoặc .xlsx")).to_be_visible()

    by_menu(page, "help", errors)
    expect(page.locator("h1")).to_have_text("Hướng dẫn sử dụng")
    assert errors.csp_violations() == [] and errors.exceptions == []


def test_inspector_journey(journey_world, live_server, page, monkeypatch):
    """The inspector of the province: no import in the menu; the findings filtered by
    organization, month and rule, paged and exported, on both tabs, as `chibo check` lists
    them."""
    errors = PageErrors(page)
    yesterday = timezone.localdate() - timedelta(days=1)
    sign_in(page, live_server, "inspector")
    assert_home(page, scope=f"Cán bộ kiểm tra · {PROVINCE}",
                urgent=expected_urgent("TQ", overdue=1),
                numbers={"members.total": "15", "admitted": "0",
                         "meetings.held": str(held_last_month(journey_world, "TQ"))})
    assert menu_keys(page) == ["organizations", "members", "meetings", "admission", "courses",
                               "calendar", "ratings", "badges", "dues", "liaison", "removal",
                               "meetings.findings", "inspection", "stats", "documents", "help"]

    by_menu(page, "organizations", errors)
    expect(page.locator("#tree-body ul.tree > li > a")).to_have_text(PROVINCE)

    by_menu(page, "members", errors)
    assert count_line(page)[2] == 15
    expect(page.locator("main")).not_to_contain_text("Kết nạp, tiếp nhận")  # reads, never edits

    by_menu(page, "meetings", errors)
    expect(page.locator(".list-table")).to_contain_text(ELSEWHERE)
    expect(page.locator("main")).not_to_contain_text("Lên lịch sinh hoạt")

    by_menu(page, "meetings.findings", errors)
    expect(page.locator("h1")).to_have_text("Kiểm tra theo quy định")
    # The district D1, the month of yesterday.
    report = chibo_check("D1", yesterday.year, yesterday.month)
    pages_of_three(monkeypatch, len(report["findings"]))
    filter_by(page, org="D1", year=str(yesterday.year), month=str(yesterday.month))
    rows, pages = walk(page)
    assert pages >= 2 and rows == checks_on_page(report)
    assert "Chi bộ thôn Tân Lập" not in {row["Tổ chức"] for row in rows}
    lines, exported_rows = exported(page)
    assert f"Tháng {yesterday.month:02d}/{yesterday.year}" in "; ".join(lines)
    assert exported_rows == checks_exported(report)
    # … and one rule of it.
    report = chibo_check("D1", yesterday.year, yesterday.month, checks="meetings.below_quality")
    pages_of_three(monkeypatch, len(report["findings"]))
    filter_by(page, rule="meetings.below_quality")
    rows, pages = walk(page)
    assert pages == 2 and rows == checks_on_page(report)
    assert {row["Tổ chức"] for row in rows} == {CELL, "Chi bộ thôn Nà Khà"}
    assert exported(page)[1] == checks_exported(report)
    # The record findings of the commune D1.X1, every year, then one rule of them.
    to_tab(page, "Trên hồ sơ")
    report = chibo_check("D1.X1")
    pages_of_three(monkeypatch, len(report["record_findings"]))
    filter_by(page, org="D1.X1", year="", month="")
    rows, pages = walk(page)
    assert pages >= 2 and rows == records_on_page(report)
    assert "Triệu Văn Xa" not in " ".join(row["Đối tượng"] for row in rows)  # in D2
    assert exported(page)[1] == records_exported(report)
    report = chibo_check("D1.X1", checks="members.probation")
    pages_of_three(monkeypatch, len(report["record_findings"]))
    filter_by(page, rule="members.probation")
    rows, pages = walk(page)
    assert pages >= 2 and rows == records_on_page(report)
    assert EXCEPTED in {row["Ngoại lệ"] for row in rows}
    assert exported(page)[1] == records_exported(report)

    by_menu(page, "stats", errors)
    expect(page.locator('[data-metric="members.total"]')).to_have_text("15")

    by_menu(page, "documents", errors)
    expect(page.locator(".list-table")).to_contain_text(DOC_D2)

    by_menu(page, "help", errors)
    expect(page.locator("h1")).to_have_text("Hướng dẫn sử dụng")
    assert errors.csp_violations() == [] and errors.exceptions == []


def test_commune_officer_journey(journey_world, live_server, page):
    """The clerk of the commune D1.X1: its three cells in every area, nothing of D2."""
    errors = PageErrors(page)
    today = timezone.localdate()
    sign_in(page, live_server, "commune")
    assert_home(page, scope=f"Văn phòng cấp ủy · {COMMUNE}",
                urgent=expected_urgent("D1.X1", overdue=1),
                numbers={"members.total": "13", "admitted": "0",
                         "meetings.held": str(held_last_month(journey_world, "D1.X1"))})
    assert menu_keys(page) == ["organizations", "members", "meetings", "admission", "courses",
                               "calendar", "ratings", "badges", "dues", "liaison", "removal",
                               "liaison.residents", "meetings.findings", "stats", "documents",
                               "help"]

    by_menu(page, "organizations", errors)
    tree = page.locator("#tree-body ul.tree")
    expect(tree.locator(":scope > li > a")).to_have_text(COMMUNE)
    expect(tree).not_to_contain_text("Yên Lâm")

    by_menu(page, "members", errors)
    expect(page.locator(".list-filters")).to_be_visible()
    assert count_line(page)[2] == 13
    table = page.locator(".list-table")
    for name in ("Nông Thị Lan", "Lê Văn Bình", "Lò Thị Trẻ"):
        expect(table).to_contain_text(name)
    for name in ("Vàng Thị Yến", "Triệu Văn Xa"):  # D2.X1.C1
        expect(table).not_to_contain_text(name)
    expect(page.get_by_role("link", name="Kết nạp, tiếp nhận")).to_be_visible()

    by_menu(page, "meetings", errors)
    assert count_line(page)[2] == 4
    table = page.locator(".list-table")
    for topic in (HELD, ROAD, FOREST, UNCLOSED):
        expect(table).to_contain_text(topic)
    expect(table).not_to_contain_text(ELSEWHERE)
    to_tab(page, "Sắp tới")
    expect(page.locator(".list-table")).to_contain_text(COMING)

    by_menu(page, "calendar", errors)  # the working days every deadline is counted in
    expect(page.locator("h1")).to_have_text(f"Lịch làm việc năm {today.year}")
    page.get_by_label("Từ ngày").fill("13/02/2026")
    page.get_by_label("Số ngày làm việc").fill("5")
    page.get_by_role("button", name="Tính", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Thứ 6, 27/02/2026")
    expect(page.locator('[name="note"]')).to_have_count(0)  # no correcting form for a clerk

    by_menu(page, "meetings.findings", errors)
    report = chibo_check("D1.X1", today.year)
    shows_first_rows(page, checks_on_page(report))
    expect(page.locator(".list-table")).not_to_contain_text("Tân Lập")
    to_tab(page, "Trên hồ sơ")
    filter_by(page, year="")
    report = chibo_check("D1.X1")
    shows_first_rows(page, records_on_page(report))
    expect(page.locator(".list-table")).not_to_contain_text("Triệu Văn Xa")

    by_menu(page, "stats", errors)
    expect(page.locator("h1")).to_have_text(f"Thống kê · {COMMUNE}")
    expect(page.locator('[data-metric="members.total"]')).to_have_text("13")

    by_menu(page, "documents", errors)
    table = page.locator(".list-table")
    expect(table).to_contain_text(DOC)
    expect(table).not_to_contain_text(DOC_D2)

    by_menu(page, "help", errors)
    expect(page.locator("h1")).to_have_text("Hướng dẫn sử dụng")
    assert errors.csp_violations() == [] and errors.exceptions == []


def test_cell_secretary_journey_on_a_phone(journey_world, live_server, phone_page):
    """The secretary of D1.X1.C1 on a 360 px phone: the menu behind its button, the cell's
    next meeting at home, only the cell in every area, and no page scrolls sideways."""
    page = phone_page
    errors = PageErrors(page)
    today = timezone.localdate()
    coming = journey_world.meetings["coming"]
    sign_in(page, live_server, "secretary")
    fits_the_phone(page)
    assert_home(page, scope=f"Bí thư chi bộ · {CELL}",
                urgent=expected_urgent("D1.X1.C1", overdue=0),
                numbers={"members.total": "9", "admitted": "0",
                         "meetings.next": f"{coming.date:%d/%m/%Y}",
                         "meetings.held": str(held_last_month(journey_world, "D1.X1.C1"))})
    expect(page.locator('[data-figure="meetings.next"]')).to_contain_text(COMING)
    expect(page.locator("#nav-main")).to_be_hidden()  # behind the menu button
    assert menu_keys(page) == ["organizations", "members", "meetings", "admission", "courses",
                               "calendar", "ratings", "badges", "dues", "liaison", "removal",
                               "liaison.residents", "meetings.findings", "stats", "documents",
                               "help"]

    by_menu(page, "organizations", errors)
    fits_the_phone(page)
    expect(page.locator("#tree-body ul.tree > li > a")).to_have_text(CELL)

    by_menu(page, "members", errors)
    fits_the_phone(page)
    assert count_line(page)[2] == 9
    table = page.locator(".list-table")
    expect(table).to_contain_text("Nông Thị Lan")
    expect(table).not_to_contain_text("Lê Văn Bình")  # D1.X1.C2

    by_menu(page, "meetings", errors)
    fits_the_phone(page)
    table = page.locator(".list-table")
    expect(table).to_contain_text(ROAD)
    expect(table).to_contain_text(HELD)
    expect(table).not_to_contain_text(FOREST)  # D1.X1.C2's
    expect(page.get_by_role("link", name="Lên lịch sinh hoạt")).to_be_visible()
    to_tab(page, "Sắp tới")
    fits_the_phone(page)
    expect(page.locator(".list-table")).to_contain_text(COMING)

    by_menu(page, "meetings.findings", errors)
    fits_the_phone(page)
    report = chibo_check("D1.X1.C1", today.year)
    shows_first_rows(page, checks_on_page(report))
    expect(page.locator(".list-table")).not_to_contain_text("Nà Khà")
    to_tab(page, "Trên hồ sơ")
    filter_by(page, year="")
    fits_the_phone(page)
    shows_first_rows(page, records_on_page(chibo_check("D1.X1.C1")))

    by_menu(page, "stats", errors)
    fits_the_phone(page)
    expect(page.locator('[data-metric="members.total"]')).to_have_text("9")

    by_menu(page, "documents", errors)
    fits_the_phone(page)
    expect(page.locator(".list-table")).to_contain_text(DOC)
    expect(page.locator(".list-table")).not_to_contain_text(DOC_D2)

    by_menu(page, "help", errors)
    fits_the_phone(page)
    expect(page.locator("h1")).to_have_text("Hướng dẫn sử dụng")
    assert errors.csp_violations() == [] and errors.exceptions == []


def test_member_journey_on_a_phone(journey_world, live_server, phone_page):
    """Nông Thị Lan, a member of D1.X1.C1, on a 360 px phone: she lands in the handbook and
    reaches each of its tabs by the tab bar (and the self-review from its home)."""
    page = phone_page
    errors = PageErrors(page)
    coming = journey_world.meetings["coming"]
    sign_in(page, live_server, "member")
    assert page.url == f"{live_server.url}/handbook/"
    fits_the_phone(page)
    main = page.locator("main")
    expect(page.locator("h1")).to_have_text("Chào đồng chí Nông Thị Lan")
    expect(main).to_contain_text(CELL)
    expect(main.locator("a.card", has_text=f"{coming.date:%d/%m/%Y}")).to_contain_text(COMING)
    expect(main).to_contain_text(DOC)
    expect(main).not_to_contain_text(DOC_D2)
    tabs = page.get_by_role("navigation", name="Mục chính")
    expect(tabs.get_by_role("link")).to_have_text(
        ["Trang chủ", "Sinh hoạt", "Tài liệu", "Thông báo", "Cá nhân"])
    expect(page.locator("#nav-main")).to_have_count(0)  # not the officers' menu

    def tab(label: str) -> None:
        with page.expect_navigation():
            tabs.get_by_role("link", name=label, exact=True).click()
        fits_the_phone(page)

    tab("Sinh hoạt")
    expect(page.locator("h1")).to_have_text("Sinh hoạt chi bộ")
    expect(main).to_contain_text(COMING)
    for topic in (HELD, ROAD):  # the cell's meetings held, with their conclusion
        expect(main).to_contain_text(topic)
    for topic in (FOREST, ELSEWHERE, UNCLOSED):  # other cells'
        expect(main).not_to_contain_text(topic)

    tab("Tài liệu")
    expect(page.locator("h1")).to_have_text("Tài liệu")
    expect(main.get_by_role("link", name=DOC)).to_be_visible()
    expect(main).not_to_contain_text(DOC_D2)

    tab("Thông báo")
    expect(page.locator("h1")).to_have_text("Thông báo")
    expect(main).to_contain_text(f"Tài liệu mới {DOC}")
    expect(main).to_contain_text(f"Lịch sinh hoạt mới {coming.date:%d/%m/%Y}")

    tab("Cá nhân")
    expect(page.locator("h1")).to_have_text("Nông Thị Lan")
    facts = page.locator("dl.facts").first
    expect(facts).to_contain_text(CELL)
    expect(facts).to_contain_text("05/03/2011")  # official since
    expect(main).to_contain_text("M001")

    tab("Trang chủ")
    expect(page.locator("h1")).to_have_text("Chào đồng chí Nông Thị Lan")
    with page.expect_navigation():
        main.get_by_role("link", name=re.compile("tự kiểm điểm")).click()
    fits_the_phone(page)
    expect(page.locator("h1")).to_have_text(f"Tự kiểm điểm năm {timezone.localdate().year}")
    expect(page.get_by_role("button", name="Nộp bản kiểm điểm")).to_be_visible()
    assert errors.csp_violations() == [] and errors.exceptions == []

