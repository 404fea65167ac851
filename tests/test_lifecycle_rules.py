"""The member lifecycle (chibo/members/lifecycle.py) replayed without a database: a whole life
read back segment by segment and flow by flow, each refusal with its words, event and column,
party age on its bounds; then the subtree search of the member rules (chibo/members/findings.py)
at its edges, on the named world. The cases the mutants of bench/mutation.py (unit "lifecycle")
asked for: the replay is the one implementation the services, the import and the statistics
share."""

from datetime import date as D

import pytest

from chibo.accounts.policy import SYSTEM
from chibo.admission import services as admission
from chibo.findings.queries import record_findings
from chibo.findings.services import Decision
from chibo.interchange.importer import import_bundle
from chibo.members.lifecycle import (
    END,
    Event,
    LifecycleError,
    Rules,
    Start,
    Timeline,
    add_months,
    party_age_days,
    replay,
)
from tests.conftest import admit

# Every cell exists every day, but the one named "closed".
RULES = Rules(cell_exists=lambda org, day: org != "closed", org_label=lambda org: f"<{org}>")
PROB, OFF = "probationary", "official"


def segments(timeline) -> list[tuple]:
    return [(s.start, s.end, s.org, s.status, s.exempt) for s in timeline.segments]


def flows(timeline) -> list[tuple]:
    return [(f.kind, f.day, f.org, f.ref_day, f.from_org) for f in timeline.flows]


def test_a_whole_life_read_back():
    life = replay(Start(D(2010, 3, 1), "A", D(2011, 3, 1)), [
        Event("exempt", D(2015, 1, 1)), Event("exempt_end", D(2016, 1, 1)),
        Event("transfer", D(2018, 5, 1), "B"), Event("transfer_out", D(2019, 1, 1)),
        Event("transfer", D(2020, 1, 1), "C"), Event("remove", D(2021, 6, 1)),
        Event("readmit", D(2025, 6, 1), "D"), Event("die", D(2026, 1, 1))], RULES)
    assert segments(life) == [
        (D(2010, 3, 1), D(2011, 3, 1), "A", PROB, False),
        (D(2011, 3, 1), D(2015, 1, 1), "A", OFF, False),
        (D(2015, 1, 1), D(2016, 1, 1), "A", OFF, True),
        (D(2016, 1, 1), D(2018, 5, 1), "A", OFF, False),
        (D(2018, 5, 1), D(2019, 1, 1), "B", OFF, False),
        (D(2020, 1, 1), D(2021, 6, 1), "C", OFF, False),  # outside the tree in 2019
        (D(2025, 6, 1), D(2026, 1, 1), "D", PROB, False),  # readmitted: probationary again
    ]
    # Facts that take a member out are placed in the tree of the day before.
    assert flows(life) == [
        ("admitted", D(2010, 3, 1), "A", D(2010, 3, 1), None),
        ("official", D(2011, 3, 1), "A", D(2011, 3, 1), None),
        ("transfer", D(2018, 5, 1), "B", D(2018, 5, 1), "A"),
        ("transfer_out", D(2019, 1, 1), "B", D(2018, 12, 31), None),
        ("returned", D(2020, 1, 1), "C", D(2020, 1, 1), None),
        ("remove", D(2021, 6, 1), "C", D(2021, 5, 31), None),
        ("readmitted", D(2025, 6, 1), "D", D(2025, 6, 1), None),
        ("die", D(2026, 1, 1), "D", D(2025, 12, 31), None),
    ]
    assert (life.phase, life.status, life.exempt, life.org) == ("dead", PROB, False, "D")
    assert (life.ended_on, life.end_kind, life.first_admitted_on, life.readmissions) == (
        D(2026, 1, 1), "die", D(2010, 3, 1), 1)
    assert life.gaps == [(D(2021, 6, 1), D(2025, 6, 1))]


def test_an_arrival_after_admission_and_a_recognition_after_arrival():
    life = replay(Start(D(2020, 1, 10), "A", official_on=D(2021, 1, 10),
                        org_since=D(2020, 6, 1)), [], RULES)
    assert segments(life) == [(D(2020, 6, 1), D(2021, 1, 10), "A", PROB, False),
                              (D(2021, 1, 10), END, "A", OFF, False)]
    assert flows(life) == [("arrived", D(2020, 6, 1), "A", D(2020, 6, 1), None),
                           ("official", D(2021, 1, 10), "A", D(2021, 1, 10), None)]


def test_recognized_before_arriving_counts_nowhere_recognized_on_arrival_counts_there():
    before = replay(Start(D(2020, 1, 1), "A", D(2021, 1, 1), D(2021, 6, 1)), [], RULES)
    assert flows(before) == [("arrived", D(2021, 6, 1), "A", D(2021, 6, 1), None)]
    assert segments(before) == [(D(2021, 6, 1), END, "A", OFF, False)]
    same_day = replay(Start(D(2020, 1, 1), "A", D(2021, 6, 1), D(2021, 6, 1)), [], RULES)
    assert flows(same_day) == [("arrived", D(2021, 6, 1), "A", D(2021, 6, 1), None),
                               ("official", D(2021, 6, 1), "A", D(2021, 6, 1), None)]


def test_a_pending_recognition_comes_before_a_later_event_and_not_after_an_earlier_one():
    start = Start(D(2020, 1, 1), "A", official_on=D(2021, 1, 1))
    on_the_day = replay(start, [Event("transfer", D(2021, 1, 1), "B")], RULES)
    assert segments(on_the_day) == [(D(2020, 1, 1), D(2021, 1, 1), "A", PROB, False),
                                    (D(2021, 1, 1), END, "B", OFF, False)]
    earlier = replay(start, [Event("transfer", D(2020, 12, 31), "B")], RULES)
    assert segments(earlier) == [(D(2020, 1, 1), D(2020, 12, 31), "A", PROB, False),
                                 (D(2020, 12, 31), D(2021, 1, 1), "B", PROB, False),
                                 (D(2021, 1, 1), END, "B", OFF, False)]


def test_events_are_applied_by_date_whatever_their_order_in_the_file():
    life = replay(Start(D(2020, 1, 1), "A"), [Event("transfer", D(2022, 1, 1), "C"),
                                             Event("transfer", D(2021, 1, 1), "B")], RULES)
    assert [s[2] for s in segments(life)] == ["A", "B", "C"]


def refusal(start, events) -> tuple[str, int | None, str]:
    with pytest.raises(LifecycleError) as refused:
        replay(start, events, RULES)
    return refused.value.message, refused.value.index, refused.value.field


@pytest.mark.parametrize(("start", "events", "expected"), [
    (Start(D(2020, 1, 10), "A", org_since=D(2020, 1, 9)), [],
     ("ngày đến (09/01/2020) trước ngày kết nạp (10/01/2020)", None, "org_since")),
    (Start(D(2020, 1, 10), "A", official_on=D(2020, 1, 9)), [],
     ("ngày chính thức (09/01/2020) trước ngày kết nạp", None, "official_on")),
    (Start(D(2020, 1, 10), "closed"), [],
     ("chi bộ <closed> không tồn tại (hoặc không phải chi bộ) vào ngày 10/01/2020", None,
      "org_code")),
    (Start(D(2020, 1, 10), "A"), [Event("exempt", D(2020, 1, 9))],
     ("sự kiện ngày 09/01/2020 trước sự kiện trước đó (10/01/2020)", 0, "effective_on")),
    (Start(D(2020, 1, 10), "A", org_since=D(2020, 6, 1)), [Event("exempt", D(2020, 5, 31))],
     ("sự kiện ngày 31/05/2020 trước sự kiện trước đó (01/06/2020)", 0, "effective_on")),
    (Start(D(2020, 1, 10), "A"), [Event("promote", D(2021, 1, 1))],
     ("loại sự kiện không hợp lệ: promote", 0, "event")),
    (Start(D(2020, 1, 10), "A"), [Event("die", D(2021, 1, 1)), Event("exempt", D(2021, 1, 1))],
     ("không thể ghi 'exempt' ngày 01/01/2021: đảng viên đã từ trần", 1, "event")),
    (Start(D(2020, 1, 10), "A"), [Event("leave", D(2021, 1, 1)), Event("die", D(2022, 1, 1))],
     ("không thể ghi 'die' ngày 01/01/2022: đảng viên đã ra khỏi Đảng", 1, "event")),
    (Start(D(2020, 1, 10), "A"), [Event("transfer_out", D(2021, 1, 1)),
                                  Event("exempt", D(2022, 1, 1))],
     ("không thể ghi 'exempt' ngày 01/01/2022: đảng viên đã chuyển ra ngoài đảng bộ (chỉ nhận "
      "chuyển về)", 1, "event")),
    (Start(D(2020, 1, 10), "A"), [Event("readmit", D(2021, 1, 1), "B")],
     ("không thể ghi 'readmit' ngày 01/01/2021: đảng viên đang sinh hoạt", 0, "event")),
    (Start(D(2020, 1, 10), "A"), [Event("transfer", D(2021, 1, 1))],
     ("thiếu chi bộ chuyển đến", 0, "org_code")),
    (Start(D(2020, 1, 10), "A"), [Event("transfer", D(2021, 1, 1), "A")],
     ("chuyển đến chính chi bộ đang sinh hoạt", 0, "org_code")),
    (Start(D(2020, 1, 10), "A"), [Event("transfer", D(2021, 1, 1), "closed")],
     ("chi bộ <closed> không tồn tại (hoặc không phải chi bộ) vào ngày 01/01/2021", 0,
      "org_code")),
    (Start(D(2020, 1, 10), "A"), [Event("exempt", D(2021, 1, 1)), Event("exempt", D(2021, 2, 1))],
     ("đảng viên đang được miễn sinh hoạt", 1, "event")),
    (Start(D(2020, 1, 10), "A"), [Event("exempt_end", D(2021, 1, 1))],
     ("đảng viên không được miễn sinh hoạt", 0, "event")),
    (Start(D(2020, 1, 10), "A", D(2021, 1, 10)), [Event("not_recognized", D(2021, 2, 1))],
     ("chỉ đảng viên dự bị mới có thể không được công nhận", 0, "event")),
    (Start(D(2020, 1, 10), "A", D(2021, 1, 10)), [Event("official", D(2021, 2, 1))],
     ("chỉ công nhận chính thức cho đảng viên dự bị đang sinh hoạt", 0, "event")),
    (Start(D(2020, 1, 10), "A"), [Event("remove", D(2021, 1, 1)), Event("readmit", D(2024, 1, 1))],
     ("thiếu chi bộ kết nạp lại", 1, "org_code")),
    (Start(D(2020, 1, 10), "A"), [Event("remove", D(2021, 1, 1)),
                                  Event("readmit", D(2024, 1, 1), "closed")],
     ("chi bộ <closed> không tồn tại (hoặc không phải chi bộ) vào ngày 01/01/2024", 1,
      "org_code")),
])
def test_what_cannot_have_happened(start, events, expected):
    assert refusal(start, events) == expected


def test_facts_on_the_admission_day_are_accepted():
    life = replay(Start(D(2020, 1, 10), "A", D(2020, 1, 10), D(2020, 1, 10)),
                  [Event("exempt", D(2020, 1, 10))], RULES)
    assert segments(life) == [(D(2020, 1, 10), END, "A", OFF, True)]


def test_party_age_on_its_bounds():
    life = replay(Start(D(2020, 1, 10), "A"), [
        Event("remove", D(2021, 1, 10)), Event("readmit", D(2022, 1, 10), "A"),
        Event("die", D(2023, 1, 10))], RULES)
    assert party_age_days(life, D(2020, 1, 9)) == 0
    assert party_age_days(life, D(2020, 1, 10)) == 0
    assert party_age_days(life, D(2020, 1, 11)) == 1
    assert party_age_days(life, D(2021, 1, 10)) == 366  # 2020 is a leap year
    assert party_age_days(life, D(2021, 6, 1)) == 366  # outside: no age gained
    assert party_age_days(life, D(2022, 1, 10)) == 366
    assert party_age_days(life, D(2022, 1, 11)) == 367
    assert party_age_days(life, D(2023, 1, 10)) == 731
    assert party_age_days(life, D(2030, 1, 1)) == 731  # no age after death
    still_out = replay(Start(D(2020, 1, 10), "A"), [Event("leave", D(2021, 1, 10))], RULES)
    assert party_age_days(still_out, D(2025, 1, 1)) == 366


@pytest.mark.parametrize(("day", "months", "expected"), [
    (D(2025, 1, 31), 1, D(2025, 2, 28)), (D(2024, 1, 31), 1, D(2024, 2, 29)),
    (D(2025, 3, 31), 1, D(2025, 4, 30)), (D(2025, 11, 30), 3, D(2026, 2, 28)),
    (D(2025, 12, 15), 1, D(2026, 1, 15)), (D(2025, 1, 15), 12, D(2026, 1, 15)),
    (D(2025, 5, 15), 36, D(2028, 5, 15)),
])
def test_add_months_keeps_the_day_or_takes_the_months_last(day, months, expected):
    assert add_months(day, months) == expected


ALL_KINDS = ("official", "transfer", "transfer_out", "exempt", "exempt_end", "remove", "expel",
             "leave", "die", "not_recognized", "readmit")


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_no_fact_after_death_each_refused_in_its_own_words(kind):
    events = [Event("die", D(2021, 1, 1)), Event(kind, D(2022, 1, 1), "B")]
    assert refusal(Start(D(2020, 1, 10), "A"), events) == (
        f"không thể ghi '{kind}' ngày 01/01/2022: đảng viên đã từ trần", 1, "event")


@pytest.mark.parametrize("kind", [k for k in ALL_KINDS if k not in ("transfer", "readmit")])
def test_outside_the_tree_only_a_return_is_recorded(kind):
    events = [Event("transfer_out", D(2021, 1, 1)), Event(kind, D(2022, 1, 1), "B")]
    assert refusal(Start(D(2020, 1, 10), "A"), events)[1:] == (1, "event")


def test_a_probationary_member_not_recognized_has_ended_and_may_be_readmitted():
    life = replay(Start(D(2020, 1, 10), "A"), [Event("not_recognized", D(2021, 1, 10))], RULES)
    assert (life.phase, life.ended_on, life.end_kind) == ("ended", D(2021, 1, 10),
                                                          "not_recognized")
    assert life.gaps == [(D(2021, 1, 10), None)]
    back = replay(Start(D(2020, 1, 10), "A"), [Event("not_recognized", D(2021, 1, 10)),
                                               Event("readmit", D(2025, 1, 10), "B")], RULES)
    assert (back.phase, back.org, back.gaps) == ("active", "B",
                                                 [(D(2021, 1, 10), D(2025, 1, 10))])


def test_each_readmission_is_counted():
    life = replay(Start(D(2000, 1, 10), "A"), [
        Event("remove", D(2001, 1, 10)), Event("readmit", D(2005, 1, 10), "A"),
        Event("leave", D(2006, 1, 10)), Event("readmit", D(2010, 1, 10), "B")], RULES)
    assert (life.readmissions, life.org, life.phase) == (2, "B", "active")


def test_a_refusal_reads_as_its_message():
    with pytest.raises(LifecycleError) as refused:
        replay(Start(D(2020, 1, 10), "A"), [Event("exempt_end", D(2021, 1, 1))], RULES)
    assert str(refused.value) == "đảng viên không được miễn sinh hoạt"


def test_a_timeline_without_an_admission_has_no_party_age():
    assert party_age_days(Timeline(), D(2020, 1, 1)) == 0


# The subtree search of the member rules (chibo.members.findings), on the named world ----------
# Written by the bundle import, which keeps a record that breaks a rule (history).

EDGE_MEMBERS = """member_code,full_name,gender,birth_date,admitted_on,official_on,org_code
Q1,Lò Văn Già,male,1964-12-15,2025-01-01,,D1.X1.C1
Q2,Hà Văn Sớm,male,1990-01-01,2020-01-01,,D1.X1.C1
Q3,Ma Văn Lại,male,1975-01-01,2000-01-01,2001-01-01,D1.X1.C2
Q4,Triệu Văn Về,male,1960-01-01,2000-01-01,2001-01-01,D1.X1.C2
"""
EDGE_EVENTS = [
    ("Q2", "official", "2020-06-01", ""),  # recognized by an event
    ("Q3", "readmit", "2011-01-01", "D1.X1.C2"),  # recorded before the removal it follows
    ("Q3", "remove", "2010-01-01", ""),
    ("Q4", "remove", "2010-01-01", ""),
    ("Q4", "readmit", "2022-01-01", "D1.X1.C2"),  # admitted at 40, readmitted at 62
]
MEMBER_KEYS = ["members.probation", "members.readmission", "members.admission_age"]


def found_in(org, today=D(2026, 1, 1)) -> list[tuple]:
    return [(item.finding.key, item.finding.record, item.finding.day)
            for item in record_findings(org, today, MEMBER_KEYS)]


def test_the_subtree_search_finds_each_breach_at_its_edge_in_its_cell(world, tmp_path):
    (tmp_path / "members.csv").write_text(EDGE_MEMBERS, encoding="utf-8")
    (tmp_path / "member_events.csv").write_text("".join(
        f"{','.join(row)}\n" for row in [("member_code", "event", "effective_on", "org_code"),
                                         *EDGE_EVENTS]), encoding="utf-8")
    assert import_bundle(tmp_path).errors == []
    assert found_in(world.orgs["D1.X1.C1"]) == [
        # 60 years and 17 days by the day, but 721 months counted by month
        ("members.admission_age", "Q1", D(2025, 1, 1)),
        ("members.probation", "Q2", D(2020, 6, 1)),  # recognized by an event, 5 months on
    ]
    assert found_in(world.orgs["D1.X1.C2"]) == [
        ("members.admission_age", "Q4", D(2022, 1, 1)),  # a readmission is an admission
        ("members.readmission", "Q3", D(2011, 1, 1)),  # 12 months after the removal
    ]
    # A finding is listed from the day it arises.
    assert ("members.admission_age", "Q1", D(2025, 1, 1)) in found_in(world.orgs["D1.X1.C1"],
                                                                     today=D(2025, 1, 1))
    assert found_in(world.orgs["D1.X1.C1"], today=D(2024, 12, 31)) == [
        ("members.probation", "Q2", D(2020, 6, 1))]


def test_an_admission_above_60_with_the_provincial_committees_consent_is_no_finding(world):
    admit("Q5", "Lương Văn Cao", world.orgs["D1.X1.C1"], admitted_on=D(2021, 1, 1),
          birth_date=D(1960, 1, 1), age_exception="12-QĐ/TU")
    assert found_in(world.orgs["D1.X1.C1"]) == []


def test_an_admission_a_candidate_carries_is_left_to_the_candidates_rule(world, people):
    """The candidate's own rule (admission.age) judges the age; members.admission_age would
    judge it a second time."""
    candidate = admission.list_candidate(admission.NewCandidate(
        code="K1", cell=world.orgs["D1.X1.C1"], listed_on=D(2024, 1, 10), full_name="Hà Thị Mai",
        gender="female", birth_date=D(2007, 6, 1)), actor=SYSTEM)
    admission.record_certificate(candidate, D(2024, 3, 1), actor=SYSTEM)
    admission.set_sponsors(candidate, people["lan"], people["thang"], actor=SYSTEM)
    admission.record_background_check(candidate, D(2024, 4, 1), actor=SYSTEM)
    admission.record_cell_resolution(candidate, D(2025, 1, 2), 4, 5, actor=SYSTEM,
                                     exception=Decision("15-QĐ/HU", D(2025, 1, 2), "D1"))
    admission.record_committee_resolution(candidate, D(2025, 1, 9), actor=SYSTEM)
    admission.decide_admission(candidate, D(2025, 2, 20), decision_no="12-QĐ/ĐU",
                               decided_by=world.orgs["D1.X1"], member_code="M100", actor=SYSTEM)
    assert found_in(world.orgs["TQ"]) == []


# The member rules judged on facts alone (chibo.members.findings.breaches): each breach with its
# day and its exact words, at the edges of its rule, and the order they are listed in.
def judged(**facts) -> list[tuple]:
    from chibo.members.findings import Facts, breaches

    values = {"birth_date": D(1990, 6, 15), "admitted_on": D(2015, 3, 10), "official_on": None,
              "age_exception": "", **facts}
    return [(b.key, b.day, b.detail) for b in breaches(Facts(**values))]


def test_an_early_recognition_is_judged_against_the_admission_it_follows_in_its_words():
    assert judged(official_on=D(2016, 3, 9)) == [(
        "members.probation", D(2016, 3, 9),
        "Công nhận chính thức ngày 09/03/2016 khi chưa đủ 12 tháng dự bị (kết nạp 10/03/2015; "
        "sớm nhất 10/03/2016).")]
    assert judged(official_on=D(2016, 3, 10)) == []
    # A recognition after a readmission counts from the readmission, not the first admission.
    readmitted = (("expel", D(2017, 1, 5)), ("readmit", D(2020, 2, 1)),
                  ("official", D(2021, 1, 31)))
    assert judged(official_on=D(2016, 3, 10), events=readmitted) == [(
        "members.probation", D(2021, 1, 31),
        "Công nhận chính thức ngày 31/01/2021 khi chưa đủ 12 tháng dự bị (kết nạp 01/02/2020; "
        "sớm nhất 01/02/2021).")]
    on_time = (*readmitted[:2], ("official", D(2021, 2, 1)))
    assert judged(official_on=D(2016, 3, 10), events=on_time) == []


def test_a_readmission_is_judged_on_the_gap_and_the_count_in_its_words():
    assert judged(events=(("expel", D(2017, 1, 5)), ("readmit", D(2020, 1, 4)))) == [(
        "members.readmission", D(2020, 1, 4),
        "Kết nạp lại ngày 04/01/2020: chưa đủ 36 tháng kể từ khi ra khỏi Đảng ngày 05/01/2017 "
        "(sớm nhất 05/01/2020).")]
    assert judged(events=(("expel", D(2017, 1, 5)), ("readmit", D(2020, 1, 5)))) == []
    twice = (("expel", D(2016, 1, 5)), ("readmit", D(2019, 1, 5)), ("expel", D(2020, 1, 1)),
             ("readmit", D(2021, 1, 1)))
    assert judged(events=twice) == [(
        "members.readmission", D(2021, 1, 1),
        "Kết nạp lại ngày 01/01/2021: đã kết nạp lại trước đó; chỉ được kết nạp lại một lần; "
        "chưa đủ 36 tháng kể từ khi ra khỏi Đảng ngày 01/01/2020 (sớm nhất 01/01/2023).")]
    # A readmission of someone whose ending the file does not hold: only the count is judged.
    assert judged(events=(("readmit", D(2020, 1, 4)),)) == []


def test_the_breaches_are_listed_by_day_then_by_key():
    events = (("expel", D(2015, 6, 1)), ("readmit", D(2016, 6, 1)),
              ("official", D(2016, 6, 1)))
    found = judged(birth_date=D(1998, 1, 1), events=events)
    assert [(key, day) for key, day, _ in found] == [
        ("members.admission_age", D(2015, 3, 10)),
        ("members.probation", D(2016, 6, 1)),
        ("members.readmission", D(2016, 6, 1))]


def test_a_transfer_on_the_arrival_day_comes_from_no_cell():
    # The cell "at dawn" is the one at the end of the day before: on the arrival day, none.
    life = replay(Start(D(2020, 1, 10), "A", org_since=D(2020, 6, 1)),
                  [Event("transfer", D(2020, 6, 1), "B")], RULES)
    assert flows(life) == [("arrived", D(2020, 6, 1), "A", D(2020, 6, 1), None),
                           ("transfer", D(2020, 6, 1), "B", D(2020, 6, 1), None)]
    assert segments(life) == [(D(2020, 6, 1), END, "B", PROB, False)]


@pytest.mark.parametrize(("moved", "expected"), [
    # A recognition due on the day of a transfer is applied first, in the cell left that day.
    (D(2021, 1, 10), [("official", D(2021, 1, 10), "A", D(2021, 1, 10), None),
                      ("transfer", D(2021, 1, 10), "B", D(2021, 1, 10), "A")]),
    (D(2021, 1, 9), [("transfer", D(2021, 1, 9), "B", D(2021, 1, 9), "A"),
                     ("official", D(2021, 1, 10), "B", D(2021, 1, 10), None)]),
])
def test_a_recognition_due_after_the_arrival_falls_before_a_transfer_of_its_day(moved, expected):
    life = replay(Start(D(2020, 1, 10), "A", D(2021, 1, 10), org_since=D(2020, 6, 1)),
                  [Event("transfer", moved, "B")], RULES)
    assert flows(life) == [("arrived", D(2020, 6, 1), "A", D(2020, 6, 1), None), *expected]


@pytest.mark.parametrize(("official_on", "counted"), [
    (D(2020, 6, 1), [("official", D(2020, 6, 1), "A", D(2020, 6, 1), None)]),
    (D(2020, 5, 31), []),  # recognized before arriving: official here, counted nowhere
])
def test_a_recognition_on_or_before_the_arrival(official_on, counted):
    life = replay(Start(D(2020, 1, 10), "A", official_on, org_since=D(2020, 6, 1)), [], RULES)
    assert flows(life) == [("arrived", D(2020, 6, 1), "A", D(2020, 6, 1), None), *counted]
    assert segments(life) == [(D(2020, 6, 1), END, "A", OFF, False)]
