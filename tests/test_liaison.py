"""The residence liaison (chibo.liaison): the services' rules at their boundaries, the
residence side's narrow view tested both ways (in its list: the name, the contact, the working
cell; the member page, the member API, the statistics' records and the search: no), the pages
and the API for each side, the 1-213 letter, the bundle's checks and its round trip.

The story: Đỗ Văn Tài (M090) works at the province's Finance office (CQ.S1, an agency's
grassroots cell) and lives in thôn Đồng Mạ (D1.X1.C1 of An Phú commune, D1.X1). The office's
clerk (`agency`, a clerk of CQ.S1) introduces him; the cell's secretary (`secretary`) writes
his yearly 3-213; the commune's clerk (`commune`) sees the narrow list without writing.
"""

import io
import json
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from chibo.accounts.choices import Role
from chibo.accounts.policy import SYSTEM
from chibo.accounts.services import create_user, grant_role
from chibo.core.exceptions import RuleViolation
from chibo.interchange.importer import import_records
from chibo.liaison import services
from chibo.liaison.models import Liaison, Opinion
from tests.conftest import PASSWORD, admit

D = date
INTRODUCED = D(2024, 3, 15)
WRITTEN = D(2025, 12, 20)


@pytest.fixture
def tai(world):
    return admit("M090", "Đỗ Văn Tài", world.orgs["CQ.S1"], admitted_on=D(2015, 5, 2),
                 official_on=D(2016, 5, 2), phone="0912345678", email="tai@example.vn",
                 national_id="008090001234")


@pytest.fixture
def agency(world):
    user = create_user(actor=SYSTEM, username="agency", password=PASSWORD)
    grant_role(user, actor=SYSTEM, role=Role.CLERK, organization=world.orgs["CQ.S1"])
    world.users["agency"] = user
    return user


def _introduce(world, member, day=INTRODUCED, *, actor=SYSTEM, org="D1.X1",
               cell="D1.X1.C1", **extra):
    return services.introduce(services.NewLiaison(
        member=member, introduced_on=day, residence_org=world.orgs[org],
        residence_cell=world.orgs[cell] if cell else None, **extra), actor=actor)


@pytest.fixture
def liaison(world, tai):
    return _introduce(world, tai, letter_no="12", address="Thôn Đồng Mạ, xã An Phú")


def _opinion(liaison, year, feedback="good", *, actor=SYSTEM, written_on=WRITTEN):
    return services.write_opinion(services.NewOpinion(
        liaison=liaison, year=year, feedback=feedback, written_on=written_on), actor=actor)


# The services at their boundaries -----------------------------------------------------------------

def test_a_member_is_introduced_on_a_day_they_are_active(world, tai):
    with pytest.raises(RuleViolation) as refused:
        _introduce(world, tai, D(2015, 5, 1))  # the day before the admission
    assert refused.value.field == "introduced_on" and Liaison.objects.count() == 0
    assert _introduce(world, tai, D(2015, 5, 2)).introduced_on == D(2015, 5, 2)


@pytest.mark.parametrize(("org", "cell", "field"), [
    ("D1", "D1.X1.C1", "residence_org"),  # a district is no grassroots organization
    ("D1.X1", "D1.X2.C1", "residence_cell"),  # a cell of another commune
    ("D1.X1", "D1.X1", "residence_cell"),  # the committee is no cell below itself
])
def test_the_residence_is_a_grassroots_organization_and_a_cell_below_it(world, tai, org, cell,
                                                                        field):
    with pytest.raises(RuleViolation) as refused:
        _introduce(world, tai, org=org, cell=cell)
    assert refused.value.field == field and Liaison.objects.count() == 0


def test_one_open_liaison_at_a_time_and_none_in_the_future(world, tai, liaison):
    with pytest.raises(RuleViolation) as refused:
        _introduce(world, tai, D(2025, 1, 1))
    assert refused.value.field == "introduced_on"
    with pytest.raises(RuleViolation):
        _introduce(world, tai, date.today().replace(year=date.today().year + 1))
    assert Liaison.objects.count() == 1


def test_the_end_is_on_or_after_the_introduction_and_after_the_opinions(world, liaison):
    _opinion(liaison, 2025)
    with pytest.raises(RuleViolation) as refused:
        services.end(liaison, D(2024, 3, 14), actor=SYSTEM)
    assert refused.value.field == "ended_on"
    with pytest.raises(RuleViolation):
        services.end(liaison, D(2024, 12, 31), actor=SYSTEM)  # 2025's opinion lies after
    assert services.end(liaison, D(2025, 1, 1), actor=SYSTEM).ended_on == D(2025, 1, 1)
    with pytest.raises(RuleViolation):
        services.end(liaison, D(2025, 2, 1), actor=SYSTEM)  # already ended


def test_an_opinion_is_for_a_year_of_the_liaison_once(world, liaison):
    with pytest.raises(RuleViolation) as refused:
        _opinion(liaison, 2023)  # before the year of the introduction
    assert refused.value.field == "year"
    assert _opinion(liaison, 2024).year == 2024  # the year of the introduction
    with pytest.raises(RuleViolation) as refused:
        _opinion(liaison, 2024, "fair")
    assert refused.value.field == "year"
    with pytest.raises(RuleViolation) as refused:
        _opinion(liaison, 2026, written_on=D(2025, 12, 20))  # a year not begun when written
    assert refused.value.field == "year"
    assert list(Opinion.objects.values_list("year", "feedback")) == [(2024, "good")]


def test_who_may_write_introduce_and_end(world, people, tai, agency, liaison):
    assert _opinion(liaison, 2024, actor=world.users["secretary"]).written_by == \
        world.users["secretary"]
    for user in ("commune", "other_commune", "member", "agency"):
        with pytest.raises(PermissionDenied):
            _opinion(liaison, 2025, actor=world.users[user])
    for user in ("secretary", "commune"):
        with pytest.raises(PermissionDenied):
            services.end(liaison, D(2025, 1, 1), actor=world.users[user])
    assert services.end(liaison, D(2025, 1, 1), actor=agency).ended_on == D(2025, 1, 1)
    assert _introduce(world, tai, D(2025, 6, 1), actor=agency).created_by == agency


# The narrow view, both ways --------------------------------------------------------------------

def test_the_residence_side_sees_the_name_the_contact_and_the_working_cell(world, liaison):
    for user in ("secretary", "commune"):
        html = world.client(user).get("/org/D1.X1.C1/liaison/residents/").content.decode()
        assert "Đỗ Văn Tài" in html and "0912345678" in html and "tai@example.vn" in html
        assert "Chi bộ Sở Tài chính" in html
        assert "008090001234" not in html and "M090" not in html and "2015" not in html
    answer = world.client("secretary").get("/api/v1/liaison/residents?org=D1.X1.C1").json()
    assert answer == [{"id": liaison.pk, "full_name": "Đỗ Văn Tài", "phone": "0912345678",
                       "email": "tai@example.vn", "working_cell": "Chi bộ Sở Tài chính",
                       "introduced_on": "2024-03-15", "exempt_from_meetings": False,
                       "residence": "D1.X1.C1"}]


def test_the_residence_side_never_opens_the_member_file(world, liaison):
    client = world.client("secretary")
    assert client.get("/members/M090/").status_code == 404
    assert client.get("/api/v1/members/M090").status_code == 404
    assert client.get("/stats/CQ.S1/records/liaison.introduced/").status_code == 404
    records = client.get("/api/v1/stats/records?org=D1.X1.C1&metric=members.total")
    assert "M090" not in records.content.decode()
    assert "Đỗ Văn Tài" not in client.get("/org/D1.X1.C1/members/?q=Tai").content.decode()
    assert client.get(f"/org/D1.X1.C1/liaison/{liaison.pk}/1-213.docx").status_code == 404
    assert client.get("/api/v1/liaison/liaisons?org=D1.X1.C1").json() == []


def test_an_ended_liaison_leaves_the_residence_list(world, liaison):
    services.end(liaison, D(2025, 1, 1), actor=SYSTEM)
    html = world.client("secretary").get("/org/D1.X1.C1/liaison/residents/").content.decode()
    assert "Đỗ Văn Tài" not in html


@pytest.mark.parametrize(("user", "status"), [
    ("secretary", 200), ("commune", 200), ("province", 200), ("admin", 200),
    ("viewer", 403), ("member", 403), ("inspector", 403),
    ("other_commune", 404), ("nobody", 404)])
def test_the_residents_page_and_endpoint_in_scope_out_of_scope(world, liaison, user, status):
    client = world.client(user)
    assert client.get("/org/D1.X1.C1/liaison/residents/").status_code == status
    assert client.get("/api/v1/liaison/residents?org=D1.X1.C1").status_code == status


@pytest.mark.parametrize(("user", "status"), [
    ("secretary", 200), ("admin", 200), ("commune", 403), ("viewer", 403),
    ("other_commune", 404), ("nobody", 404)])
def test_the_feedback_form_in_scope_out_of_scope(world, liaison, user, status):
    url = f"/org/D1.X1.C1/liaison/residents/{liaison.pk}/feedback/"
    assert world.client(user).get(url).status_code == status


def test_the_secretary_writes_the_opinion_and_the_working_side_reads_it(world, liaison,
                                                                         agency):
    url = f"/org/D1.X1.C1/liaison/residents/{liaison.pk}/feedback/"
    client = world.client("secretary")
    bad = client.post(url, {"year": "2023", "feedback": "good", "written_on": "20/12/2024"})
    assert bad.status_code == 200 and "ngoài thời gian" in bad.content.decode()
    assert Opinion.objects.count() == 0
    done = client.post(url, {"year": "2024", "feedback": "fair", "written_on": "20/12/2024",
                             "comment": "Gương mẫu ở khu dân cư."})
    assert done.status_code == 302
    html = world.client("agency").get("/org/CQ.S1/liaison/").content.decode()
    assert "Đỗ Văn Tài" in html and "2024: Khá" in html
    api = world.client("agency").get("/api/v1/liaison/liaisons?org=CQ.S1").json()
    assert api[0]["feedback"] == {"2024": "fair"}


def test_the_opinion_endpoint(world, liaison):
    url = f"/api/v1/liaison/residents/{liaison.pk}/opinions"
    body = {"year": 2024, "feedback": "good", "written_on": "2024-12-20"}

    def post(user, payload):
        return world.client(user).post(url, json.dumps(payload),
                                       content_type="application/json")

    assert post("other_commune", body).status_code == 404
    assert post("commune", body).status_code == 403
    refused = post("secretary", {**body, "year": 2023})
    assert refused.status_code == 422 and "year" in refused.content.decode()
    assert post("secretary", {**body, "feedback": "great"}).status_code == 422
    assert Opinion.objects.count() == 0
    assert post("secretary", body).status_code == 201
    assert Opinion.objects.get().feedback == "good"


# The working side -------------------------------------------------------------------------------

@pytest.mark.parametrize(("user", "status"), [
    ("agency", 200), ("province", 200), ("inspector", 200), ("commune", 404),
    ("secretary", 404), ("nobody", 404)])
def test_the_working_list_in_scope_out_of_scope(world, liaison, agency, user, status):
    assert world.client(user).get("/org/CQ.S1/liaison/").status_code == status
    assert world.client(user).get("/api/v1/liaison/liaisons?org=CQ.S1").status_code == status


def test_the_working_side_introduces_and_ends_on_its_pages(world, tai, agency):
    client = world.client("agency")
    url = "/org/CQ.S1/liaison/introduce/"
    assert world.client("inspector").get(url).status_code == 403
    bad = client.post(url, {"member_code": "M090", "introduced_on": "15/03/2024",
                            "org_code": "D1.X1", "cell_code": "D1.X2.C1"})
    assert bad.status_code == 200 and Liaison.objects.count() == 0
    assert "không phải chi bộ trực thuộc" in bad.content.decode()
    done = client.post(url, {"member_code": "M090", "introduced_on": "15/03/2024",
                             "org_code": "D1.X1", "cell_code": "D1.X1.C1", "letter_no": "7"})
    assert done.status_code == 302
    liaison = Liaison.objects.get()
    assert world.client("inspector").post(f"/org/CQ.S1/liaison/{liaison.pk}/end/", {
        "ended_on": "2025-01-01"}).status_code == 403
    assert client.post(f"/org/CQ.S1/liaison/{liaison.pk}/end/", {
        "ended_on": "2025-01-01"}).status_code == 302
    liaison.refresh_from_db()
    assert liaison.ended_on == D(2025, 1, 1)


def test_the_introduction_endpoint(world, tai, agency):
    def post(user, payload):
        return world.client(user).post("/api/v1/liaison/liaisons", json.dumps(payload),
                                        content_type="application/json")

    body = {"member_code": "M090", "introduced_on": "2024-03-15", "org_code": "D1.X1",
            "cell_code": "D1.X1.C1"}
    assert post("secretary", body).status_code == 422  # the member is out of its sight
    assert post("agency", {**body, "cell_code": "NOPE"}).status_code == 422
    assert Liaison.objects.count() == 0
    created = post("agency", body)
    assert created.status_code == 201 and created.json()["cell_code"] == "D1.X1.C1"
    ended = world.client("agency").post(
        f"/api/v1/liaison/liaisons/{created.json()['id']}/end",
        json.dumps({"ended_on": "2024-03-14"}), content_type="application/json")
    assert ended.status_code == 422


def test_the_letter_1_213_is_a_word_file_filled_from_the_liaison(world, liaison, agency):
    from docx import Document

    response = world.client("agency").get(f"/org/CQ.S1/liaison/{liaison.pk}/1-213.docx")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('1-213-M090-20240315.docx"')
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Đỗ Văn Tài" in text and "Đảng bộ xã An Phú, Chi bộ thôn Đồng Mạ" in text
    assert "Thôn Đồng Mạ, xã An Phú" in text and "{{" not in text


# The bundle ---------------------------------------------------------------------------------------

ROW = {"member_code": "M090", "introduced_on": D(2024, 3, 15), "org_code": "D1.X1",
       "cell_code": "D1.X1.C1", "exempt_from_meetings": False, "ended_on": None,
       "year": 2024, "feedback": "good"}


@pytest.mark.parametrize(("change", "column"), [
    ({"introduced_on": D(2015, 5, 1)}, "introduced_on"),
    ({"org_code": "D1"}, "org_code"),
    ({"cell_code": "D2.X1.C1"}, "cell_code"),
    ({"year": 2023}, "year"),
    ({"feedback": None}, "feedback"),
    ({"ended_on": D(2024, 3, 14)}, "ended_on"),
    ({"member_code": "NOPE"}, "member_code"),
])
def test_a_bad_row_is_an_error_and_nothing_is_written(world, tai, change, column):
    result = import_records({"residence_liaison.csv": [{**ROW, **change}]}, actor=SYSTEM)
    assert len(result.errors) == 1 and column in str(result.errors[0])
    assert Liaison.objects.count() == 0


def test_rows_that_disagree_and_an_opinion_twice_are_errors(world, tai):
    result = import_records({"residence_liaison.csv": [
        ROW, {**ROW, "year": 2025, "exempt_from_meetings": True}]}, actor=SYSTEM)
    assert "exempt_from_meetings" in str(result.errors)
    result = import_records({"residence_liaison.csv": [ROW, {**ROW, "feedback": "fair"}]},
                            actor=SYSTEM)
    assert "year" in str(result.errors)
    assert Liaison.objects.count() == 0


def test_the_rows_read_back_as_they_were_written(world, tai):
    rows = [ROW, {**ROW, "year": 2025, "feedback": "poor"}]
    assert import_records({"residence_liaison.csv": rows}, actor=SYSTEM).errors == []
    from chibo.liaison.bundle import _liaisons

    assert _liaisons() == [{**row, "member_code": "M090"} for row in rows]


def test_the_member_page_shows_the_liaison_and_its_opinions(world, liaison, agency):
    _opinion(liaison, 2024, "fair")
    html = world.client("agency").get("/members/M090/").content.decode()
    assert 'id="member-liaisons"' in html and "Chi bộ thôn Đồng Mạ" in html
    assert "2024: Khá" in html


# The demo ---------------------------------------------------------------------------------------

def test_the_demo_introduces_almost_every_working_member_with_opinions(world):
    from chibo.liaison import demo, metrics
    from chibo.organizations.models import Organization

    for i in range(40):
        admit(f"M2{i:02d}", f"Đảng viên {i}", world.orgs["CQ.S1"], admitted_on=D(2018, 1, 2),
              official_on=D(2019, 1, 2))
    today = D(2026, 6, 30)
    counts = demo.build(seed=3, today=today, stream=io.StringIO())
    assert counts["residence_liaison.csv"] > 40
    introduced = metrics.stock_counts([Organization.objects.get(code="TQ").pk],
                                      [world.orgs["TQ"].pk], today,
                                      set(metrics.STOCK_KEYS))[world.orgs["TQ"].pk]
    assert introduced[metrics.WORKING] == 40
    assert 36 <= introduced[metrics.INTRODUCED] <= 40
    assert Opinion.objects.filter(year=2025).count() > 30
    assert demo.plan(seed=3, today=today) == demo.plan(seed=3, today=today)


# The findings ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("today", "owed"), [
    (D(2025, 12, 31), []),  # 2024's opinion may still come during 2025
    (D(2026, 1, 1), [2024]),  # the year after it is over: overdue
    (D(2027, 1, 1), [2024, 2025]),
])
def test_an_opinion_is_overdue_once_the_year_after_it_is_over(today, owed):
    from chibo.liaison import rules

    assert rules.owed_years(INTRODUCED, None, set(range(2000, 2030)), set(), today) == owed
    assert rules.owed_years(INTRODUCED, D(2024, 12, 31), set(range(2000, 2030)), {2024},
                            today) == []
    assert rules.owed_years(INTRODUCED, None, {2025}, set(), today) == [y for y in owed
                                                                      if y == 2025]


def test_the_findings_of_a_working_member_and_of_a_missing_opinion(world, tai, agency):
    from chibo.findings.queries import record_findings
    from chibo.liaison import rules

    def found(today):
        return sorted((f.finding.key, f.finding.record, f.finding.org_code)
                      for f in record_findings(world.orgs["TQ"], today,
                                               [rules.MISSING, rules.NO_FEEDBACK]))

    assert found(D(2024, 3, 14)) == [(rules.MISSING, "M090", "CQ.S1")]
    liaison = _introduce(world, tai, exempt_from_meetings=False)
    assert found(D(2024, 3, 15)) == []
    assert found(D(2026, 1, 1)) == [(rules.NO_FEEDBACK, "M090|2024-03-15", "CQ.S1")]
    _opinion(liaison, 2024)
    assert found(D(2026, 1, 1)) == []
    services.end(liaison, D(2025, 6, 30), actor=SYSTEM)
    assert found(D(2025, 7, 1)) == [(rules.MISSING, "M090", "CQ.S1")]
    assert found(D(2027, 1, 1)) == [(rules.MISSING, "M090", "CQ.S1"),
                                    (rules.NO_FEEDBACK, "M090|2024-03-15", "CQ.S1")]
    body = world.client("province").get(
        "/org/CQ/meetings/findings/?tab=records&year=&rule=liaison.missing").content.decode()
    assert "Đỗ Văn Tài" in body
