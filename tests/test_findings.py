"""Record findings (ARCHITECTURE.md rule 9): the statutory member rules found in a subtree, the
exceptions recorded to them, `chibo check`, and the member pages, services and API that refuse
a new breach unless the officer records its exception in the same step.
"""

import io
import json
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from chibo.accounts.policy import SYSTEM, Capability
from chibo.audit.models import AuditRecord
from chibo.core.exceptions import RuleViolation
from chibo.core.registry import AlreadyRegistered
from chibo.findings.models import RecordedException
from chibo.findings.queries import record_findings
from chibo.findings.rules import RULES, FindingRule, register_rule
from chibo.findings.services import Decision, record_exception
from chibo.interchange.importer import import_bundle
from chibo.members import findings, services
from chibo.members.models import Member, MemberEvent, MemberPeriod
from tests.conftest import admit
from tests.form_support import post_form

D = date
TODAY = D(2026, 5, 15)
DECISION = Decision("12-QĐ/TU", D(2012, 6, 20), "TQ", "Tỉnh ủy đồng ý")
KEYS = "members.probation,members.readmission,members.admission_age"

# Breaches in the world's D1 (and one in D2), written by the bundle import, which keeps them.
MEMBERS = """member_code,full_name,gender,birth_date,admitted_on,official_on,org_code
P1,Nguyễn Văn Sớm,male,1990-01-01,2020-01-01,2020-06-01,D1.X1.C1
P2,Lò Thị Trẻ,female,2003-06-15,2021-01-10,,D1.X1.C1
P3,Hà Văn Già,male,1950-01-01,2015-01-01,2016-01-01,D1.X1.C2
P4,Ma Văn Lại,male,1975-01-01,2000-01-01,2001-01-01,D1.X1.C1
P5,Triệu Văn Xa,male,1990-01-01,2020-01-01,2020-06-01,D2.X1.C1
P6,Hoàng Thị Hai,female,1960-01-01,1990-01-01,1991-01-01,D1.X1.C1
P7,Vi Văn Đúng,male,1985-01-01,2010-01-01,2011-01-01,D1.X1.C1
"""
EVENTS = """member_code,event,effective_on,org_code
P4,remove,2010-01-01,
P4,readmit,2011-01-01,D1.X1.C2
P4,official,2011-06-01,
P6,remove,1995-01-01,
P6,readmit,1999-01-01,D1.X1.C1
P6,official,2000-01-01,
P6,remove,2001-01-01,
P6,readmit,2005-01-01,D1.X1.C1
"""


@pytest.fixture
def breaches(world, tmp_path):
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "members.csv").write_text(MEMBERS, encoding="utf-8")
    (folder / "member_events.csv").write_text(EVENTS, encoding="utf-8")
    result = import_bundle(folder)
    assert result.errors == []  # findings are not import errors
    return world


def listed(org, today=TODAY, **kwargs) -> list[tuple]:
    return [(item.finding.key, item.finding.record, item.finding.day, item.excepted)
            for item in record_findings(org, today, **kwargs)]


def counts():
    return (Member.objects.count(), MemberEvent.objects.count(), MemberPeriod.objects.count(),
            RecordedException.objects.count(), AuditRecord.objects.count())


def refused(fn, *args, **kwargs) -> RuleViolation:
    before = counts()
    with pytest.raises(RuleViolation) as error:
        fn(*args, **kwargs)
    assert counts() == before, "a refused change wrote something"
    return error.value


# The rules ---------------------------------------------------------------------------------------

def test_the_member_rules_are_registered_with_their_words_and_source():
    assert {"members.probation", "members.readmission", "members.admission_age"} <= set(RULES)
    rule = RULES["members.probation"]
    assert rule.file == "members.csv" and rule.capability == Capability.MANAGE_MEMBERS
    assert "12 tháng" in str(rule.rule) and "Điều lệ Đảng" in rule.source


def test_a_rule_key_registered_twice_is_an_error():
    rule = RULES["members.probation"]
    with pytest.raises(AlreadyRegistered):
        register_rule(FindingRule(rule.key, "x", "x", "x", "members.csv", "member.manage",
                                  lambda org, today: []))


def test_the_findings_of_a_subtree_with_the_day_they_arose(breaches):
    assert listed(breaches.org("D1")) == [
        ("members.admission_age", "P2", D(2021, 1, 10), False),
        ("members.admission_age", "P3", D(2015, 1, 1), False),
        ("members.probation", "P1", D(2020, 6, 1), False),
        ("members.probation", "P4", D(2011, 6, 1), False),  # probation again after readmission
        ("members.readmission", "P4", D(2011, 1, 1), False),  # 12 months after leaving
        ("members.readmission", "P6", D(2005, 1, 1), False),  # a second readmission
    ]
    assert listed(breaches.org("D2")) == [("members.probation", "P5", D(2020, 6, 1), False)]
    assert listed(breaches.org("D1.X1.C2")) == [  # each lies in the member's cell of today
        ("members.admission_age", "P3", D(2015, 1, 1), False),
        ("members.probation", "P4", D(2011, 6, 1), False),
        ("members.readmission", "P4", D(2011, 1, 1), False)]


def test_findings_say_who_where_and_why(breaches):
    [age] = [item.finding for item in record_findings(breaches.org("D1"), TODAY,
                                                      ["members.admission_age"])
             if item.finding.record == "P2"]
    assert (age.file, age.org_code, age.org_name, age.subject) == (
        "members.csv", "D1.X1.C1", "Chi bộ thôn Đồng Mạ", "P2 Lò Thị Trẻ")
    assert "17 tuổi 7 tháng" in age.detail and "18 đến 60 tuổi" in age.detail
    assert "Điều lệ Đảng, Điều 1" in age.source
    [second] = [i.finding for i in record_findings(breaches.org("D1"), TODAY,
                                                   ["members.readmission"])
                if i.finding.record == "P6"]
    assert "một lần" in second.detail and "36 tháng" not in second.detail


def test_findings_are_narrowed_by_today_and_by_the_days_they_arose(breaches):
    d1 = breaches.org("D1")
    assert [r for _k, r, _d, _e in listed(d1, D(2016, 1, 1))] == ["P3", "P4", "P4", "P6"]
    assert listed(d1, first=D(2011, 1, 1), last=D(2011, 12, 31)) == [
        ("members.probation", "P4", D(2011, 6, 1), False),
        ("members.readmission", "P4", D(2011, 1, 1), False)]


@pytest.mark.parametrize(("facts", "keys"), [
    # the day decides within the 12th month: 1 March → 1 March a year later is enough
    (findings.Facts(D(1990, 1, 1), D(2020, 3, 1), D(2021, 3, 1), ""), []),
    (findings.Facts(D(1990, 1, 1), D(2020, 3, 31), D(2021, 3, 30), ""), ["members.probation"]),
    # 29 February: the 12 months end on 28 February
    (findings.Facts(D(1990, 1, 1), D(2020, 2, 29), D(2021, 2, 28), ""), []),
    # over 60 with the provincial committee's decision on the file
    (findings.Facts(D(1950, 1, 1), D(2015, 1, 1), None, "15-QĐ/TU"), []),
    # … which is the first admission's, not a readmission's
    (findings.Facts(D(1950, 1, 1), D(2000, 1, 1), D(2001, 1, 1), "15-QĐ/TU", (
        ("remove", D(2005, 1, 1)), ("readmit", D(2015, 1, 1)))), ["members.admission_age"]),
    # 36 months after leaving, to the day
    (findings.Facts(D(1970, 1, 1), D(2000, 1, 1), D(2001, 1, 1), "", (
        ("expel", D(2005, 3, 10)), ("readmit", D(2008, 3, 10)))), []),
    (findings.Facts(D(1970, 1, 1), D(2000, 1, 1), D(2001, 1, 1), "", (
        ("expel", D(2005, 3, 10)), ("readmit", D(2008, 3, 9)))), ["members.readmission"]),
])
def test_the_rules_by_the_day(facts, keys):
    assert [b.key for b in findings.breaches(facts)] == keys


# Recorded exceptions ------------------------------------------------------------------------------

def test_an_exception_makes_its_finding_excepted_with_one_audit_record(breaches):
    before = AuditRecord.objects.count()
    exception = record_exception("members.probation", "members.csv", "P1", decision=DECISION,
                                 org=breaches.org("D1.X1.C1"), actor=breaches.users["commune"])
    assert exception.recorded_by == breaches.users["commune"]
    item = next(i for i in record_findings(breaches.org("D1"), TODAY) if i.finding.record == "P1")
    assert item.excepted and item.exception.decision_no == "12-QĐ/TU"
    record = AuditRecord.objects.get(seq=before + 1)
    assert record.action == "finding.exception" and record.org_path == \
        breaches.org("D1.X1.C1").path
    assert record.after["record"] == "P1" and record.after["decided_by"] == "TQ"
    assert AuditRecord.objects.count() == before + 1


@pytest.mark.parametrize(("finding", "file", "decision", "field"), [
    ("members.unknown", "members.csv", DECISION, "finding"),
    ("members.probation", "organizations.csv", DECISION, "file"),
    ("members.probation", "members.csv", Decision("", D(2012, 1, 1)), "decision_no"),
    ("members.probation", "members.csv", Decision("1-QĐ", None), "decided_on"),
    ("members.probation", "members.csv", Decision("1-QĐ", D(2012, 1, 1), "T Q"), "decided_by"),
])
def test_a_bad_exception_is_refused(breaches, finding, file, decision, field):
    error = refused(record_exception, finding, file, "P1", decision=decision,
                    org=breaches.org("D1.X1.C1"), actor=SYSTEM)
    assert error.field == field


def test_one_exception_per_finding_and_record(breaches):
    record_exception("members.probation", "members.csv", "P1", decision=DECISION,
                     org=breaches.org("D1.X1.C1"), actor=SYSTEM)
    assert "Đã có ngoại lệ" in " ".join(refused(
        record_exception, "members.probation", "members.csv", "P1", decision=DECISION,
        org=breaches.org("D1.X1.C1"), actor=SYSTEM).messages)


@pytest.mark.parametrize("username", ["other_commune", "viewer", "secretary", "inspector"])
def test_only_who_manages_the_member_records_an_exception(breaches, username):
    before = counts()
    with pytest.raises(PermissionDenied):
        record_exception("members.probation", "members.csv", "P1", decision=DECISION,
                         org=breaches.org("D1.X1.C1"), actor=breaches.users[username])
    assert counts() == before


# chibo check -----------------------------------------------------------------------------------

def check(*args) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("compliance_check", "--today", TODAY.isoformat(), *args, stdout=out)
    except SystemExit as exit_:
        return exit_.code, out.getvalue()
    return 0, out.getvalue()


def test_chibo_check_lists_record_findings_whatever_the_year(breaches):
    code, out = check("--org", "D1", "--checks", KEYS, "--format", "json")
    data = json.loads(out)
    assert code == 1 and data["record_count"] == data["open_count"] == 6
    assert data["record_period"] is None and data["count"] == 0 and data["findings"] == []
    first = data["record_findings"][0]
    assert first == {
        "key": "members.admission_age", "file": "members.csv", "record": "P2",
        "org_code": "D1.X1.C1", "org_name": "Chi bộ thôn Đồng Mạ", "subject": "P2 Lò Thị Trẻ",
        "detail": first["detail"], "rule": str(RULES["members.admission_age"].rule),
        "source": RULES["members.admission_age"].source, "day": "2021-01-10",
        "status": "open", "exception": None}
    code, out = check("--org", "D1", "--checks", KEYS, "--year", "2011", "--format", "json")
    assert [f["record"] for f in json.loads(out)["record_findings"]] == ["P4", "P4"]
    code, out = check("--org", "D1", "--checks", KEYS, "--year", "2011", "--month", "6",
                      "--format", "json")
    assert [f["key"] for f in json.loads(out)["record_findings"]] == ["members.probation"]


def test_chibo_check_exits_0_when_every_finding_is_excepted(breaches):
    for item in record_findings(breaches.org("D1"), TODAY):
        if not item.excepted:
            record_exception(item.finding.key, item.finding.file, item.finding.record,
                             decision=DECISION, org=breaches.org(item.finding.org_code),
                             actor=SYSTEM)
    code, out = check("--org", "D1", "--checks", KEYS)
    assert code == 0
    assert "ngoại lệ (12-QĐ/TU, 20/06/2012)" in out and "6 phát hiện trên hồ sơ" in out
    assert "0 chưa có ngoại lệ" in out
    code, out = check("--org", "D1", "--checks", KEYS, "--format", "json")
    excepted = json.loads(out)["record_findings"][0]
    assert excepted["status"] == "excepted" and excepted["exception"] == {
        "decision_no": "12-QĐ/TU", "decided_on": "2012-06-20", "decided_by": "TQ",
        "note": "Tỉnh ủy đồng ý"}
    assert check("--org", "D2", "--checks", KEYS)[0] == 1  # P5 is still open


def test_chibo_check_lists_the_rules_and_refuses_unknown_keys(breaches):
    out = io.StringIO()
    call_command("compliance_check", "--list", stdout=out)
    assert "members.probation\t" in out.getvalue() and "meetings.no_regular\t" in out.getvalue()
    with pytest.raises(Exception, match="không có kiểm tra members.nothing"):
        call_command("compliance_check", "--checks", "members.nothing", stdout=io.StringIO())


# The services: refused, or allowed with the exception recorded in the same step ------------------

def test_an_admission_outside_the_age_is_refused_or_recorded_with_its_exception(world):
    cell, clerk = world.orgs["D1.X1.C1"], world.users["commune"]
    error = refused(admit, "N1", "Lò Văn Tú", cell, admitted_on=D(2024, 5, 1),
                    birth_date=D(2006, 8, 1), actor=clerk)
    assert error.field == "birth_date" and "18 đến 60 tuổi" in error.messages[0]
    assert "Điều lệ Đảng, Điều 1" in error.messages[0] and "ngoại lệ" in error.messages[0]
    before = AuditRecord.objects.count()
    member = services.admit_member(services.NewMember(
        member_code="N1", full_name="Lò Văn Tú", gender="male", birth_date=D(2006, 8, 1),
        admitted_on=D(2024, 5, 1), cell=cell), actor=clerk, exception=DECISION)
    exception = RecordedException.objects.get()
    assert (exception.finding, exception.record, exception.decision_no) == (
        "members.admission_age", "N1", "12-QĐ/TU")
    assert list(AuditRecord.objects.filter(seq__gt=before).order_by("seq").values_list(
        "action", flat=True)) == ["finding.exception", "member.admit"]
    assert member.status == "probationary"
    assert listed(world.orgs["D1"]) == [("members.admission_age", "N1", D(2024, 5, 1), True)]


def test_an_arrival_admitted_elsewhere_outside_the_age_needs_its_exception_too(world):
    error = refused(admit, "N1", "Lò Văn Tú", world.orgs["D1.X1.C1"], admitted_on=D(2000, 5, 1),
                    org_since=D(2020, 1, 1), birth_date=D(1990, 1, 1))
    assert "18 đến 60 tuổi" in error.messages[0]


def test_an_early_recognition_is_refused_or_recorded_with_its_exception(people, world):
    an, clerk = people["an"], world.users["commune"]  # admitted 1 September 2025
    error = refused(services.record_event, an, actor=clerk, event="official",
                    effective_on=D(2026, 3, 1))
    assert error.field == "effective_on" and "12 tháng" in error.messages[0]
    event = services.record_event(an, actor=clerk, event="official", effective_on=D(2026, 3, 1),
                                  exception=DECISION)
    assert event.event == "official" and Member.objects.get(pk=an.pk).status == "official"
    assert RecordedException.objects.get().finding == "members.probation"


def test_a_readmission_too_soon_is_refused_or_recorded_with_its_exception(people, world):
    binh, cell = people["binh"], world.orgs["D1.X1.C2"]
    services.record_event(binh, actor=SYSTEM, event="remove", effective_on=D(2015, 1, 1))
    error = refused(services.record_event, binh, actor=SYSTEM, event="readmit",
                    effective_on=D(2016, 1, 1), org=cell)
    assert "36 tháng" in error.messages[0]
    services.record_event(binh, actor=SYSTEM, event="readmit", effective_on=D(2016, 1, 1),
                          org=cell, exception=DECISION)
    assert Member.objects.get(pk=binh.pk).status == "probationary"
    assert listed(world.orgs["D1"]) == [("members.readmission", "M006", D(2016, 1, 1), True)]


def test_an_exception_is_recorded_only_for_a_rule_broken(people):
    services.record_event(people["an"], actor=SYSTEM, event="official",
                          effective_on=D(2026, 9, 1), exception=DECISION)
    assert not RecordedException.objects.exists()


def test_an_action_refused_for_another_reason_records_no_exception(people, world):
    lan = people["lan"]
    before = counts()
    with pytest.raises(RuleViolation, match="dự bị"):  # already official
        services.record_event(lan, actor=SYSTEM, event="official", effective_on=D(2011, 4, 1),
                              exception=DECISION)
    assert counts() == before


def test_a_file_with_an_old_finding_still_takes_other_events(breaches):
    """P1's early recognition came with the bundle: it stays a finding, and does not block
    what is recorded after it."""
    p1 = Member.objects.get(member_code="P1")
    services.record_event(p1, actor=SYSTEM, event="transfer", effective_on=D(2024, 1, 1),
                          org=breaches.orgs["D1.X1.C2"])
    assert Member.objects.get(pk=p1.pk).cell.code == "D1.X1.C2"
    assert not RecordedException.objects.exists()


def test_a_birth_date_correction_that_breaks_the_age_needs_its_exception(people, world):
    lan = people["lan"]  # admitted 1 March 2010
    error = refused(services.update_member, lan, actor=SYSTEM, birth_date=D(1993, 1, 1))
    assert error.field == "birth_date"
    services.update_member(lan, actor=SYSTEM, birth_date=D(1993, 1, 1), exception=DECISION)
    assert Member.objects.get(pk=lan.pk).birth_date == D(1993, 1, 1)
    assert RecordedException.objects.get().record == "M001"


# The pages and the API ---------------------------------------------------------------------------

def test_the_event_page_records_the_exception_given_with_the_event(people, world):
    client = world.client("commune")
    before = counts()
    response = post_form(client, "/members/M004/events/official/", {"effective_on": "01/03/2026"})
    assert response.status_code == 200 and "12 tháng" in response.content.decode()
    assert "Số quyết định cho phép ngoại lệ" in response.content.decode()
    assert counts() == before
    response = post_form(client, "/members/M004/events/official/", {
        "effective_on": "01/03/2026", "exception_no": "12-QĐ/TU"})
    assert response.status_code == 200 and "Cần ngày quyết định" in response.content.decode()
    assert counts() == before
    response = post_form(client, "/members/M004/events/official/", {
        "effective_on": "01/03/2026", "exception_no": "12-QĐ/TU", "exception_on": "20/02/2026",
        "exception_by": "D1.X1", "exception_note": "Đặc cách"})
    assert response.status_code == 302
    exception = RecordedException.objects.get()
    assert (exception.record, exception.decided_on, exception.decided_by, exception.note) == (
        "M004", D(2026, 2, 20), "D1.X1", "Đặc cách")
    assert exception.recorded_by == world.users["commune"]


def test_the_admission_page_takes_the_exception(world):
    client = world.client("commune")
    data = {"member_code": "N9", "full_name": "Lò Văn Tú", "gender": "male",
            "birth_date": "01/08/2006", "ethnicity": "Tày", "admitted_on": "01/05/2024"}
    response = client.post("/org/D1.X1.C2/members/new/", data)
    assert response.status_code == 200 and "18 đến 60 tuổi" in response.content.decode()
    assert not Member.objects.filter(member_code="N9").exists()
    response = client.post("/org/D1.X1.C2/members/new/", {
        **data, "exception_no": "3-QĐ/TU", "exception_on": "15/04/2024"})
    assert response.status_code == 302
    assert RecordedException.objects.get().finding == "members.admission_age"


def test_the_api_takes_the_exception(people, world):
    from tests.test_permissions import api

    client = world.client("commune")
    payload = {"event": "official", "effective_on": "2026-03-01"}
    response = api(client, "post", "members/M004/events", payload)
    assert response.status_code == 422 and "12 tháng" in response.json()["detail"]
    response = api(client, "post", "members/M004/events", {**payload, "exception": {
        "decision_no": "12-QĐ/TU", "decided_on": "2026-02-20", "decided_by": "D1.X1"}})
    assert response.status_code == 201 and response.json()["status"] == "official"
    assert RecordedException.objects.get().decided_by == "D1.X1"
    member = {"member_code": "N9", "full_name": "Lò Văn Tú", "gender": "male",
              "birth_date": "2006-08-01", "admitted_on": "2024-05-01", "cell": "D1.X1.C2"}
    assert api(client, "post", "members", member).status_code == 422
    response = api(client, "post", "members", {**member, "exception": {
        "decision_no": "3-QĐ/TU", "decided_on": "2024-04-15"}})
    assert response.status_code == 201


# The findings page's second tab -----------------------------------------------------------------

def _chibo_check_records(*args) -> list[tuple]:
    out = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("compliance_check", "--org", "D1", "--checks", KEYS, "--format", "json",
                     *args, stdout=out)
    return [(f["key"], f["org_code"], f["subject"], f["detail"], f["source"], f["status"])
            for f in json.loads(out.getvalue())["record_findings"]]


def _page_records(user, query: str) -> list[tuple]:
    from django.http import QueryDict

    from chibo.lists.spec import LISTS

    listing = LISTS["meetings.findings"].listing(user, QueryDict(query), code="D1")
    rows, cursor = [], ""
    while True:
        page = listing.page(after=cursor)
        rows += [(r.finding.check, r.finding.org_code, r.finding.subject, r.finding.detail,
                  r.finding.source, "open" if r.status == "chưa có ngoại lệ" else "excepted")
                 for r in page.rows]
        if not page.after:
            return rows
        cursor = page.after


def test_the_findings_page_lists_the_record_findings_as_chibo_check_does(breaches):
    """Its "Trên hồ sơ" tab: every year (as `chibo check` without --year) or one year, row for
    row in the same order, each subject linked to the member, each with its status."""
    item = record_findings(breaches.org("D1"), date.today())[0]
    record_exception(item.finding.key, item.finding.file, item.finding.record,
                     decision=DECISION, org=breaches.org(item.finding.org_code), actor=SYSTEM)
    inspector = breaches.users["inspector"]
    expected = _chibo_check_records()
    assert len(expected) == 6 and {row[-1] for row in expected} == {"open", "excepted"}
    assert _page_records(inspector, "tab=records&year=") == expected
    assert _page_records(inspector, "tab=records&year=2011") == _chibo_check_records(
        "--year", "2011")
    body = breaches.client("inspector").get(
        "/org/D1/meetings/findings/?tab=records&year=&rule=members.admission_age").content.decode()
    assert '<a href="/members/P2/">P2 Lò Thị Trẻ</a>' in body
    assert "chưa có ngoại lệ" in body and "ngoại lệ (12-QĐ/TU" in body
    assert breaches.client("other_commune").get(
        "/org/D1/meetings/findings/?tab=records").status_code == 404
