"""The cell's self-reviews of a year (issue 19): every member expected to review and where their
review stands, for the secretary and the officers above; the counts per manifestation, hidden
under five submitted reviews; never who marked what. And `review_status`, for the ratings."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from chibo.accounts.policy import SYSTEM
from chibo.handbook import queries, services
from chibo.handbook.models import SelfReview
from chibo.members import services as member_services
from tests.conftest import admit
from tests.test_handbook import review

YEAR = timezone.localdate().year
URL = f"/handbook/cell/D1.X1.C1/reviews/{YEAR}/"
CELL = ("lan", "thang", "duong", "an", "hoa")  # the five members of Đồng Mạ (D1.X1.C1)


def submit(people, name, **values):
    return services.save_review(people[name], YEAR, review(**values), actor=SYSTEM, submit=True)


def draft(people, name, **values):
    return services.save_review(people[name], YEAR, review(**values), actor=SYSTEM)


def page(world, who="secretary", query=""):
    response = world.client(who).get(URL + query)
    assert response.status_code == 200
    return response.content.decode()


def summary_of(text: str) -> str:
    return text[text.index('id="review-summary"'):]


def count_cell(text: str, code: str) -> str:
    """The count shown beside manifestation `code` in the summary."""
    rest = summary_of(text)
    row = rest[rest.index(f"<td>{code}. "):]
    cell = row[row.index('<td class="text-end'):]
    return cell[cell.index(">") + 1:cell.index("</td>")].strip()


# Who is expected, and where each review stands ------------------------------------------------

def test_every_member_of_the_cell_is_listed_with_where_the_review_stands(world, people):
    submit(people, "thang")
    draft(people, "lan")
    text = page(world)
    for name in ("Nông Thị Lan", "Ma Văn Thắng", "Đặng Văn Dương", "Nguyễn Văn An",
                 "Trần Thị Hoa"):
        assert name in text
    assert "Lê Văn Bình" not in text  # another cell's
    assert "<strong>1/5</strong> đã nộp" in text and "<strong>4</strong> chưa nộp" in text
    assert text.count("Chưa viết") >= 3 and "Đang viết (bản nháp)" in text
    today = timezone.localdate().strftime("%d/%m/%Y")
    assert text.count(today) >= 2  # the submission's day and the draft's
    # only a submitted review opens from the list
    assert f"{URL}M002/" in text and f"{URL}M001/" not in text


def test_the_secretary_filters_who_has_not_submitted(world, people):
    submit(people, "thang")
    draft(people, "lan")
    waiting = page(world, query="?status=not_started")
    assert "Đặng Văn Dương" in waiting and "Ma Văn Thắng" not in waiting
    assert "Nông Thị Lan" not in waiting
    assert "Nông Thị Lan" in page(world, query="?status=draft")
    first = page(world, query="?sort=progress")
    assert first.index("Đặng Văn Dương") < first.index("Nông Thị Lan") < first.index(
        "Ma Văn Thắng")
    refused = page(world, query="?status=everyone")
    assert "Ma Văn Thắng" not in refused[refused.index("list-results"):]


def test_an_exempt_member_is_shown_as_such_and_not_expected(world, people):
    member_services.record_event(people["hoa"], actor=SYSTEM, event="exempt",
                                 effective_on=date(YEAR, 1, 2))
    text = page(world)
    assert "<strong>0/4</strong> đã nộp" in text
    assert "1 đồng chí miễn công tác và sinh hoạt đảng" in text
    exempt = page(world, query="?status=exempt")
    assert "Trần Thị Hoa" in exempt and "Nông Thị Lan" not in exempt
    assert "Trần Thị Hoa" not in page(world, query="?status=not_started")


def test_a_past_year_lists_the_members_of_its_last_day(world, people):
    """Thắng moved to Nà Khà (D1.X1.C2) this year: he stays on last year's list of Đồng Mạ
    and leaves this year's."""
    if timezone.localdate() < date(YEAR, 1, 3):
        pytest.skip("the transfer needs a day of this year before today")
    member_services.record_event(people["thang"], actor=SYSTEM, event="transfer",
                                 effective_on=date(YEAR, 1, 2), org=world.orgs["D1.X1.C2"])
    last_year = world.client("secretary").get(
        f"/handbook/cell/D1.X1.C1/reviews/{YEAR - 1}/").content.decode()
    assert "Ma Văn Thắng" in last_year and "31/12" in last_year
    assert "Ma Văn Thắng" not in page(world)


def test_a_member_admitted_after_the_year_is_not_on_its_list(world, people):
    admit("M009", "Hà Thị Mai", world.orgs["D1.X1.C1"], admitted_on=date(YEAR, 1, 1))
    last_year = world.client("secretary").get(
        f"/handbook/cell/D1.X1.C1/reviews/{YEAR - 1}/").content.decode()
    assert "Hà Thị Mai" not in last_year and "Nông Thị Lan" in last_year


# The summary: counts, never who ----------------------------------------------------------------

def test_fewer_than_five_submitted_reviews_hide_every_count(world, people):
    for name in CELL[:4]:
        submit(people, name, manifestations=["A5"], remedies="Mạnh dạn phê bình")
    text = page(world)
    assert count_cell(text, "A5") == "&lt; 5" and count_cell(text, "B1") == "&lt; 5"
    assert ">4<" not in summary_of(text)


def test_five_submitted_reviews_show_the_counts(world, people):
    for name in CELL[:3]:
        submit(people, name, manifestations=["A5", "B6"], remedies="Sửa")
    submit(people, "an", manifestations=["A5"], remedies="Sửa")
    submit(people, "hoa")
    text = page(world)
    assert (count_cell(text, "A5"), count_cell(text, "B6"), count_cell(text, "C1")) == (
        "4", "3", "0")


def test_drafts_and_exempt_members_do_not_count(world, people):
    for name in CELL[:4]:
        submit(people, name, manifestations=["A5"], remedies="Sửa")
    draft(people, "hoa", manifestations=["A5"], remedies="Sửa")
    assert count_cell(page(world), "A5") == "&lt; 5"
    summary = queries.manifestation_summary([people[n].pk for n in CELL], YEAR)
    assert summary.submitted == 4 and summary.hidden


def test_the_officers_never_see_who_marked_what(world, people):
    submit(people, "thang", manifestations=["B6"], remedies="Không tổ chức linh đình",
           manifestation_notes="Đám cưới con trai", achievements="Giấy khen")
    detail = without_tokens(world.client("secretary").get(f"{URL}M002/").content.decode())
    assert "Giấy khen" in detail and "Không tổ chức linh đình" in detail
    assert "B6" not in detail and "Lãng phí" not in detail and "Đám cưới" not in detail
    listing = without_tokens(page(world))
    assert "B6" not in listing[:listing.index('id="review-summary"')]


def without_tokens(html: str) -> str:
    """The page without its random tokens (the CSRF token once held "B6")."""
    return re.sub(r'(csrfmiddlewaretoken" value=|"X-CSRFToken": )"[^"]*"', "", html)


def test_the_member_sees_their_own_marks(world, people):
    services.save_review(people["lan"], YEAR, review(manifestations=["B6"], remedies="Sửa"),
                         actor=world.users["member"], submit=True)
    own = world.client("member").get("/handbook/review/").content.decode()
    assert "B6. Lãng phí" in own


# Who may open the pages ----------------------------------------------------------------------

@pytest.mark.parametrize(("who", "status"), [
    ("secretary", 200), ("commune", 200), ("province", 200), ("admin", 200),
    ("other_commune", 404), ("nobody", 404),  # outside: as if the cell did not exist
    ("member", 403), ("viewer", 403),  # inside, without reading members
])
def test_the_cell_s_pages_answer_by_scope_and_capability(world, people, who, status):
    submit(people, "thang", strengths="Nhiệt tình với công việc")
    listing = world.client(who).get(URL)
    detail = world.client(who).get(f"{URL}M002/")
    assert (listing.status_code, detail.status_code) == (status, status)
    assert ("Nhiệt tình với công việc" in detail.content.decode()) == (status == 200)


def test_anonymous_visitors_are_sent_to_sign_in(world, people):
    for url in (URL, f"{URL}M002/"):
        response = world.client(None).get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("url", [
    "/handbook/cell/D1.X1/reviews/{year}/",  # a commune is not a cell
    "/handbook/cell/D1.X1.C1/reviews/{next}/",  # a year not begun
    "/handbook/cell/D1.X1.C1/reviews/1900/",
    "/handbook/cell/NOPE/reviews/{year}/",
])
def test_what_is_not_a_cell_s_year_is_not_found(world, people, url):
    response = world.client("commune").get(url.format(year=YEAR, next=YEAR + 1))
    assert response.status_code == 404


def test_a_draft_is_not_read_by_the_cell(world, people):
    draft(people, "thang", strengths="Chưa xong")
    assert world.client("secretary").get(f"{URL}M002/").status_code == 404


def test_the_export_lists_the_rows_without_marks(world, people):
    from io import BytesIO

    from openpyxl import load_workbook

    submit(people, "thang", manifestations=["B6"], remedies="Sửa")
    response = world.client("secretary").get(URL + "?export=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert "Ma Văn Thắng" in cells and "M002" in cells and "Đã nộp" in cells
    assert not any("B6" in c or "Lãng phí" in c for c in cells)


# The query the ratings reuse -----------------------------------------------------------------

def test_review_status_says_where_each_member_s_review_stands(world, people):
    submit(people, "thang")
    draft(people, "lan")
    services.save_review(people["duong"], YEAR - 1, review(), actor=SYSTEM, submit=True)
    members = [people[n] for n in ("lan", "thang", "duong")]
    expected = {people["lan"].pk: "draft", people["thang"].pk: "submitted",
                people["duong"].pk: "not_started"}
    assert queries.review_status(members, YEAR) == expected
    assert queries.review_status([m.pk for m in members], YEAR) == expected
    from chibo.members.models import Member

    assert queries.review_status(Member.objects.filter(cell=world.orgs["D1.X1.C1"]),
                                 YEAR - 1)[people["duong"].pk] == "submitted"
    assert queries.review_status([], YEAR) == {}


def test_review_states_give_the_day_of_each(world, people):
    submit(people, "thang")
    states = queries.review_states([people["thang"], people["lan"]], YEAR)
    assert states[people["thang"].pk].at == SelfReview.objects.get().submitted_at
    assert states[people["lan"].pk] == queries.NOT_STARTED


def test_the_review_day_is_today_during_the_year_and_its_last_day_after():
    today = date(2026, 12, 7)
    assert queries.review_day(2026, today) == today
    assert queries.review_day(2025, today) == date(2025, 12, 31)
    assert queries.review_day(2025, date(2026, 1, 1) - timedelta(days=1)) == date(2025, 12, 31)
