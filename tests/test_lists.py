"""The list pattern (chibo.lists): keyset paging that never skips nor repeats a row, counts that
stop at a bound and say so, filters and an accent-free search that restrict, the export of the
whole filtered set (at once, or in the background with its page), the scope and the capability
checked first. Told on the meetings list, the one with ties in its order."""

import io
import re
from datetime import timedelta

import openpyxl
import pytest
from django.http import QueryDict
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import strategies as st

from chibo.lists import paging
from chibo.lists.models import ExportRun, ExportStatus
from chibo.lists.spec import LISTS
from chibo.meetings.models import Meeting
from chibo.organizations.models import Organization
from tests.test_meetings import close, schedule

CELLS = ("D1.X1.C1", "D1.X1.C2", "D1.X2.C1", "D2.X1.C1")
KINDS = ("regular", "thematic", "extraordinary")


@pytest.fixture
def meetings(world, people):
    """Three meetings a day (one of each kind) in four cells on three days: two days past,
    one to come. Twelve share each day, so the order (day, then id) has long ties."""
    today = timezone.localdate()
    made = [schedule(world, cell=cell, day=day, kind=kind, topic=f"Chủ đề {kind}")
            for day in (today - timedelta(days=40), today - timedelta(days=10),
                        today + timedelta(days=5))
            for cell in CELLS for kind in KINDS]
    close(made[0], people)  # D1.X1.C1's regular meeting of 40 days ago
    return made


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(LISTS["meetings.list"], "page_size", 5)


def codes(body: str) -> list[str]:
    return re.findall(r'href="/meetings/([^/"]+)/"', body)


def link(body: str, rel: str) -> str | None:
    found = re.search(rf'href="\?([^"]*)" rel="{rel}"', body)
    return found.group(1).replace("&amp;", "&") if found else None


def walk(client, url: str, rel: str) -> tuple[list[list[str]], str]:
    """The pages met following the `rel` link from `url`, and the URL of the last one."""
    path, _mark, query = url.partition("?")
    pages = []
    while True:
        body = client.get(f"{path}?{query}").content.decode()
        pages.append(codes(body))
        if (following := link(body, rel)) is None:
            return pages, f"{path}?{query}"
        query = following


# Paging -------------------------------------------------------------------------------------

@pytest.mark.parametrize("tab, order", [("held", ("-date", "-id")), ("coming", ("date", "id"))])
def test_pages_never_skip_nor_repeat_a_row_forwards_and_back(world, meetings, small_pages,
                                                             tab, order):
    client = world.client("province")
    today = timezone.localdate()
    chosen = Meeting.objects.filter(date__lt=today) if tab == "held" else \
        Meeting.objects.filter(date__gte=today)
    expected = list(chosen.order_by(*order).values_list("code", flat=True))
    pages, last = walk(client, f"/org/TQ/meetings/?tab={tab}", "next")
    assert [code for page in pages for code in page] == expected
    assert len(pages) > 2 and all(len(page) == 5 for page in pages[:-1])
    back, _first = walk(client, last, "prev")
    assert [code for page in reversed(back) for code in page] == expected


def test_the_page_says_which_rows_it_shows_and_where_the_list_ends(world, meetings,
                                                                   small_pages):
    client = world.client("province")
    first = client.get("/org/TQ/meetings/").content.decode()
    assert "Dòng 1–5 trong 24 buổi sinh hoạt" in first and "Hết danh sách" not in first
    second = client.get(f"/org/TQ/meetings/?{link(first, 'next')}").content.decode()
    assert "Dòng 6–10 trong 24 buổi sinh hoạt" in second and "Đầu danh sách" in second


def test_a_stale_or_forged_cursor_starts_from_the_top(world, meetings, small_pages):
    client = world.client("province")
    top = codes(client.get("/org/TQ/meetings/").content.decode())
    for cursor in ("nonsense", paging.encode(["x"]), paging.encode([{"a": 1}, 2])):
        assert codes(client.get(f"/org/TQ/meetings/?after={cursor}").content.decode()) == top


@given(st.lists(st.integers(0, 3), max_size=40), st.integers(1, 7))
def test_sequence_pages_cover_every_row_once(keys, size):
    rows = sorted(enumerate(keys), key=lambda pair: (pair[1], pair[0]))

    def key(row):
        return (row[1], row[0])

    seen, cursor = [], ""
    while True:
        page = paging.page_of_sequence(rows, key, size, after=cursor)
        seen += page.rows
        if not page.after:
            break
        cursor = page.after
    assert seen == rows
    back, cursor = [], paging.encode(key(rows[-1])) if rows else ""
    if rows:
        back = [rows[-1]]
        while True:
            page = paging.page_of_sequence(rows, key, size, before=cursor)
            back = page.rows + back
            if page.first:
                break
            cursor = page.before
    assert back == rows


@pytest.mark.parametrize("order", [("kind", "pk"), ("-kind", "-depth", "pk"),
                                   ("depth", "-name", "-pk")])
def test_queryset_pages_cover_every_row_once_in_mixed_orders(world, order):
    rows = Organization.objects.all()
    expected = list(rows.order_by(*order))
    for size in (1, 2, 3, 5):
        seen, cursor = [], ""
        while True:
            page = paging.page_of_queryset(rows, order, size, after=cursor)
            seen += page.rows
            if not page.after:
                break
            cursor = page.after
        assert seen == expected
        back, cursor = [], paging.encode([paging.value_of(expected[-1], f) for f in order])
        back = [expected[-1]]
        while True:
            page = paging.page_of_queryset(rows, order, size, before=cursor)
            back = page.rows + back
            if page.first:
                break
            cursor = page.before
        assert back == expected


# Counting -----------------------------------------------------------------------------------

def test_a_count_stops_at_its_bound_and_says_so(world, meetings, monkeypatch):
    monkeypatch.setattr(LISTS["meetings.list"], "count_limit", 10)
    client = world.client("province")
    body = client.get("/org/TQ/meetings/").content.decode()
    assert "trong hơn 10 buổi sinh hoạt" in body and "đếm chính xác" in body
    exact = client.get("/org/TQ/meetings/?count=exact").content.decode()
    assert "trong 24 buổi sinh hoạt" in exact and "đếm chính xác" not in exact
    assert LISTS["meetings.list"].count_text(10_000, True) == "hơn 10.000 buổi sinh hoạt"


def test_an_empty_selection_says_so(world, meetings):
    body = world.client("province").get("/org/TQ/meetings/?q=khong+co+dau").content.decode()
    assert "0 buổi sinh hoạt" in body and "Không có dòng nào khớp" in body


# Filters and search -------------------------------------------------------------------------

def test_filters_restrict_the_rows(world, meetings):
    client = world.client("province")
    thematic = codes(client.get("/org/TQ/meetings/?kind=thematic").content.decode())
    assert len(thematic) == 8 and all(code.endswith("-T") for code in thematic)
    commune = codes(client.get("/org/TQ/meetings/?org=D1.X1").content.decode())
    assert len(commune) == 12 and all(code.startswith("D1.X1.") for code in commune)
    passed = codes(client.get("/org/TQ/meetings/?quality=passed").content.decode())
    assert passed == [meetings[0].code]
    day = timezone.localdate() - timedelta(days=40)
    month = codes(client.get(
        f"/org/TQ/meetings/?year={day.year}&month={day.month}").content.decode())
    assert set(month) >= {m.code for m in meetings if m.date == day}
    assert all(Meeting.objects.get(code=c).date.month == day.month for c in month)


def test_the_subtree_filter_offers_only_what_lies_under_the_page(world, meetings):
    client = world.client("commune")
    body = client.get("/org/D1.X1/meetings/").content.decode()
    assert 'value="D1.X1.C1"' in body and 'value="D2.X1"' not in body
    # an organization outside the page's subtree is not a choice: the form says so
    refused = client.get("/org/D1.X1/meetings/?org=D2.X1.C1").content.decode()
    assert "text-danger" in refused
    assert codes(refused) == []


def test_a_value_outside_the_choices_shows_no_rows_never_a_wider_list(world, meetings):
    client = world.client("province")
    assert codes(client.get("/org/TQ/meetings/").content.decode())
    refused = client.get("/org/TQ/meetings/?kind=cooking").content.decode()
    assert "text-danger" in refused and codes(refused) == []
    assert "Không có dòng nào khớp" in refused


def test_search_ignores_diacritics(world, meetings):
    client = world.client("province")
    found = codes(client.get("/org/TQ/meetings/?q=dong+ma").content.decode())  # Đồng Mạ
    assert found and all(code.startswith("D1.X1.C1-") for code in found)
    assert codes(client.get(f"/org/TQ/meetings/?q={meetings[3].code}").content.decode()) == [
        meetings[3].code]


# Export -------------------------------------------------------------------------------------

def sheet_rows(content: bytes) -> list[tuple]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return list(sheet.iter_rows(min_row=6, values_only=True))


def test_the_export_holds_the_whole_filtered_set_not_a_page(world, meetings, small_pages):
    client = world.client("province")
    response = client.get("/org/TQ/meetings/?kind=regular&export=xlsx&after=x&start=6")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="sinh-hoat-TQ.xlsx"'
    rows = sheet_rows(response.content)
    expected = Meeting.objects.filter(kind="regular", date__lt=timezone.localdate())
    assert sorted(row[7] for row in rows) == sorted(expected.values_list("code", flat=True))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert "Loại: Sinh hoạt thường kỳ" in sheet["A4"].value


def test_a_large_export_runs_in_the_background_for_its_owner_only(world, meetings,
                                                                  monkeypatch):
    monkeypatch.setattr(LISTS["meetings.list"], "export_at_once", 3)
    client = world.client("commune")
    response = client.get("/org/D1.X1/meetings/?tab=held&export=xlsx")
    run = ExportRun.objects.get()
    assert response.status_code == 302 and response.url == f"/exports/{run.pk}/"
    assert run.status == ExportStatus.DONE and run.rows_total == 12  # the tests run it at once
    assert run.query == "tab=held" and run.arguments == {"code": "D1.X1"}
    page = client.get(response.url).content.decode()
    assert "Đã xuất 12 dòng" in page and f"/exports/{run.pk}/file" in page
    download = client.get(f"/exports/{run.pk}/file")
    assert download.status_code == 200
    assert len(sheet_rows(b"".join(download.streaming_content))) == 12
    for outsider in ("province", "secretary", "other_commune"):
        assert world.client(outsider).get(f"/exports/{run.pk}/").status_code == 404
        assert world.client(outsider).get(f"/exports/{run.pk}/file").status_code == 404
    assert world.client("admin").get(f"/exports/{run.pk}/").status_code == 200
    assert world.client(None).get(f"/exports/{run.pk}/").status_code == 302


def test_a_background_export_checks_the_scope_again_when_it_runs(world, meetings):
    from chibo.lists.tasks import run_export

    run = ExportRun.objects.create(list_key="meetings.list", arguments={"code": "D2.X1"},
                                   query="", title="x", actor=world.users["commune"])
    run_export.call(run.pk)
    run.refresh_from_db()
    assert run.status == ExportStatus.FAILED and "không còn quyền" in run.error
    assert not run.file


# Scope and permission -----------------------------------------------------------------------

@pytest.mark.parametrize("url", ["/org/D1.X1/meetings/", "/org/D1.X1/meetings/?export=xlsx",
                                 "/org/D1.X1/meetings/findings/",
                                 "/org/D1.X1/members/", "/org/D1.X1/badges/"])
def test_an_organization_outside_the_scope_is_absent(world, people, url):
    assert world.client("other_commune").get(url).status_code == 404
    assert world.client(None).get(url).status_code == 302


@pytest.mark.parametrize("url", ["/org/D1.X1.C1/meetings/findings/",
                                 "/org/D1.X1.C1/meetings/findings/?export=xlsx",
                                 "/org/D1.X1.C1/members/?export=xlsx",
                                 "/org/D1.X1.C1/badges/"])
def test_a_list_needs_its_capability(world, people, url):
    assert world.client("member").get(url).status_code == 403


def test_every_registered_list_is_declared_completely():
    for spec in LISTS.values():
        assert spec.key and spec.title and spec.sorts and spec.columns
        assert any(column.title for column in spec.columns), spec.key  # a phone card's head


def test_reading_a_listing_through_its_api(world, meetings):
    listing = LISTS["meetings.list"].listing(world.users["province"],
                                             QueryDict("tab=coming&kind=thematic"), code="TQ")
    assert listing.count(None) == (4, False)
    assert [m.kind for m in listing.all_rows(chunk=3)] == ["thematic"] * 4
    assert listing.described() == ["Sắp tới", "Loại: Sinh hoạt chuyên đề"]


def test_a_list_in_english(world, meetings, small_pages, settings):
    client = world.client("province")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get("/org/TQ/meetings/?kind=thematic").content.decode()
    assert "Rows 1–5 of 8 meetings" in body and "Next page ›" in body and "Held" in body
    assert "Dòng" not in body
    with translation.override("en"):
        assert LISTS["meetings.list"].count_text(1, False) == "1 meeting"
        assert LISTS["meetings.list"].count_text(12_000, True) == "more than 12,000 meetings"


def test_a_cell_offers_no_organization_to_narrow_to(world, meetings):
    body = world.client("secretary").get("/org/D1.X1.C1/meetings/").content.decode()
    assert 'name="org"' not in body and "Chủ đề regular" in body
