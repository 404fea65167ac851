"""Member files: lifecycle rules, posts, party age and badges, and what the tree does to them."""

from datetime import date

import pytest

from chibo.accounts.policy import SYSTEM
from chibo.audit.models import AuditRecord
from chibo.core.exceptions import PermissionDenied, RuleViolation
from chibo.members import queries, services
from chibo.members.models import Member, MemberEvent, MemberPeriod, Position
from chibo.organizations import services as org_services
from tests.conftest import admit

D = date


def event(member, kind, day, org=None, actor=SYSTEM):
    return services.record_event(member, actor=actor, event=kind, effective_on=day, org=org)


def counts():
    return (Member.objects.count(), MemberEvent.objects.count(), MemberPeriod.objects.count(),
            Position.objects.count(), AuditRecord.objects.count())


def refused(fn, *args, **kwargs) -> str:
    before = counts()
    with pytest.raises(RuleViolation) as error:
        fn(*args, **kwargs)
    assert counts() == before, "a refused change wrote something"
    return " ".join(error.value.messages)


# Admission ------------------------------------------------------------------------------------

def test_admission_creates_a_probationary_member_with_one_audit_record(world):
    before = AuditRecord.objects.count()
    member = admit("N1", "Bùi  Thị   Mai", world.orgs["D1.X1.C2"], admitted_on=D(2024, 5, 1))
    assert member.status == "probationary" and member.cell.code == "D1.X1.C2"
    assert member.full_name == "Bùi Thị Mai" and member.search_key == "bui thi mai"
    assert AuditRecord.objects.count() == before + 1
    period = MemberPeriod.objects.get(member=member)
    assert period.valid_from == D(2024, 5, 1) and period.status == "probationary"


@pytest.mark.parametrize(("birth", "ok"), [
    (D(2006, 5, 31), True), (D(2006, 6, 1), False), (D(1964, 5, 1), True), (D(1964, 4, 30), False),
])
def test_admission_age_is_18_to_60_years_counted_by_month(world, birth, ok):
    """216 to 720 months from the birth month to the admission month (spec BUNDLE-v2.md,
    admission.age): born 31 May 2006 is 18 in months on 1 May 2024, born 30 April 1964 is over
    60."""
    cell = world.orgs["D1.X1.C2"]
    if ok:
        admit("N1", "Lò Văn Tú", cell, admitted_on=D(2024, 5, 1), birth_date=birth)
    else:
        message = refused(admit, "N1", "Lò Văn Tú", cell, admitted_on=D(2024, 5, 1),
                          birth_date=birth)
        assert "18 đến 60 tuổi" in message


def test_admission_outside_the_age_needs_a_provincial_decision(world):
    member = admit("N1", "Lò Văn Tú", world.orgs["D1.X1.C2"], admitted_on=D(2024, 5, 1),
                   birth_date=D(1950, 1, 1), age_exception="15-QĐ/TU")
    assert member.age_exception == "15-QĐ/TU"


def test_national_id_is_12_digits_and_unique(people, world):
    cell = world.orgs["D1.X1.C2"]
    assert "12 chữ số" in refused(admit, "N1", "Lò Văn Tú", cell, national_id="12345")
    message = refused(admit, "N1", "Lò Văn Tú", cell, national_id="008180001234")
    assert "M001" in message


def test_duplicate_code_is_refused(people, world):
    assert "M001" in refused(admit, "M001", "Lò Văn Tú", world.orgs["D1.X1.C2"])


def test_likely_duplicates_by_name_and_birth_date(people):
    found = services.likely_duplicates("nong thi lan", D(1980, 5, 17))
    assert [m.member_code for m in found] == ["M001"]
    assert [m.member_code for m in services.likely_duplicates("X", None, "008180001234")] == \
        ["M001"]


def test_members_only_join_cells(world):
    message = refused(admit, "N1", "Lò Văn Tú", world.orgs["D1.X1"])
    assert "không phải chi bộ" in message


def test_clerk_outside_the_scope_cannot_admit(world):
    with pytest.raises(PermissionDenied):
        admit("N1", "Lò Văn Tú", world.orgs["D2.X1.C1"], actor=world.users["commune"])
    assert not Member.objects.filter(member_code="N1").exists()


# Lifecycle ------------------------------------------------------------------------------------

def test_official_recognition_needs_12_months_of_probation(people):
    an = people["an"]
    assert "12 tháng" in refused(event, an, "official", D(2026, 8, 31))
    event(an, "official", D(2026, 9, 1))
    an.refresh_from_db()
    assert an.status == "official"
    assert "dự bị" in refused(event, an, "official", D(2026, 10, 1))


def test_transfer_within_the_tree_and_history(people, world):
    lan = people["lan"]
    event(lan, "transfer", D(2020, 1, 1), world.orgs["D1.X1.C2"])
    lan.refresh_from_db()
    assert lan.cell.code == "D1.X1.C2"
    periods = list(MemberPeriod.objects.filter(member=lan).order_by("valid_from")
                   .values_list("org__code", "status", "valid_from", "valid_to"))
    assert periods == [  # split where the status changed, and where the cell changed
        ("D1.X1.C1", "probationary", D(2010, 3, 1), D(2011, 3, 5)),
        ("D1.X1.C1", "official", D(2011, 3, 5), D(2020, 1, 1)),
        ("D1.X1.C2", "official", D(2020, 1, 1), D(9999, 12, 31)),
    ]
    assert "chính chi bộ" in refused(event, lan, "transfer", D(2021, 1, 1),
                                      world.orgs["D1.X1.C2"])


def test_transfer_to_a_cell_that_does_not_exist_that_day(people, world):
    new_cell = org_services.create_organization(org_services.NewOrganization(
        code="D1.X1.C9", name="Chi bộ mới", kind="cell", parent=world.orgs["D1.X1"],
        established_on=D(2022, 1, 1)), actor=SYSTEM)
    assert "không tồn tại" in refused(event, people["lan"], "transfer", D(2021, 1, 1), new_cell)


def test_nothing_after_death(people):
    duong = people["duong"]
    event(duong, "die", D(2024, 2, 1))
    duong.refresh_from_db()
    assert duong.status == "died" and duong.ended_on == D(2024, 2, 1)
    for kind in ("exempt", "remove", "transfer_out", "official"):
        assert "từ trần" in refused(event, duong, kind, D(2024, 3, 1))


def test_exemption_survives_a_transfer_and_ends_with_membership(people, world):
    duong = people["duong"]
    event(duong, "exempt", D(2020, 1, 1))
    event(duong, "transfer", D(2021, 1, 1), world.orgs["D1.X1.C2"])
    duong.refresh_from_db()
    assert duong.is_exempt
    assert "đang được miễn" in refused(event, duong, "exempt", D(2022, 1, 1))
    event(duong, "remove", D(2022, 1, 1))
    duong.refresh_from_db()
    assert not duong.is_exempt and duong.status == "removed"


def test_outside_the_tree_only_a_transfer_back(people, world):
    hoa = people["hoa"]
    event(hoa, "transfer_out", D(2019, 1, 1))
    hoa.refresh_from_db()
    assert hoa.status == "transferred_out"
    assert "chuyển ra ngoài" in refused(event, hoa, "exempt", D(2019, 6, 1))
    event(hoa, "transfer", D(2020, 1, 1), world.orgs["D1.X1.C1"])
    hoa.refresh_from_db()
    assert hoa.status == "official" and hoa.cell.code == "D1.X1.C1"


def test_readmission_after_36_months_and_only_once(people, world):
    binh = people["binh"]
    assert "đang sinh hoạt" in refused(event, binh, "readmit", D(2015, 1, 1),
                                        world.orgs["D1.X1.C2"])
    event(binh, "remove", D(2015, 1, 1))
    assert "36 tháng" in refused(event, binh, "readmit", D(2017, 12, 31), world.orgs["D1.X1.C2"])
    event(binh, "readmit", D(2018, 1, 1), world.orgs["D1.X1.C2"])
    binh.refresh_from_db()
    assert binh.status == "probationary"
    event(binh, "remove", D(2019, 1, 1))
    assert "một lần" in refused(event, binh, "readmit", D(2023, 1, 1), world.orgs["D1.X1.C2"])


def test_not_recognized_only_for_probationary(people):
    assert "dự bị" in refused(event, people["lan"], "not_recognized", D(2020, 1, 1))
    event(people["an"], "not_recognized", D(2026, 10, 1))
    people["an"].refresh_from_db()
    assert people["an"].status == "not_recognized"


def test_party_age_deducts_the_time_outside(people, world):
    binh = people["binh"]  # admitted 1/3/2010
    event(binh, "remove", D(2015, 3, 1))
    event(binh, "readmit", D(2019, 3, 1), world.orgs["D1.X1.C2"])
    assert queries.party_age_years(binh, D(2026, 3, 1)) == 12  # 16 years less 4 outside


def test_badges_for_the_next_award_date(people, world):
    duong = people["duong"]  # admitted 1/6/1975: 50 years on 1/6/2025
    award, previous = D(2025, 9, 2), D(2025, 5, 19)
    found = queries.badge_candidates(Member.objects.all(), award, previous)
    assert [(m.member_code, years) for m, years in found] == [("M003", 50)]
    assert queries.next_badge(duong, D(2026, 1, 1)) == (55, D(2030, 9, 2))


# The tree and members -------------------------------------------------------------------------

def test_dissolving_a_cell_with_members_is_refused(people, world):
    message = refused(org_services.dissolve_organization, world.orgs["D1.X1.C2"], actor=SYSTEM,
                      effective_on=D(2024, 1, 1))
    assert "2 đảng viên" in message


def test_members_follow_a_merge(people, world):
    org_services.merge_organization(world.orgs["D1.X1.C2"], actor=SYSTEM,
                                    into=world.orgs["D1.X1.C1"], effective_on=D(2024, 1, 1))
    binh = Member.objects.get(member_code="M006")
    assert binh.cell.code == "D1.X1.C1"
    periods = list(MemberPeriod.objects.filter(member=binh).order_by("valid_from")
                   .values_list("org__code", "valid_from"))
    assert periods == [("D1.X1.C2", D(2010, 3, 1)), ("D1.X1.C2", D(2011, 3, 5)),
                       ("D1.X1.C1", D(2024, 1, 1))]
    c1, c2 = world.orgs["D1.X1.C1"].path, world.orgs["D1.X1.C2"].path  # paths before the merge
    commune = world.org("D1.X1").path
    assert queries.active_counts(commune, D(2023, 12, 31)) == {c1: 4, c2: 2}
    assert queries.active_counts(commune, D(2024, 1, 1)) == {c1: 6}


def test_merged_organization_stays_readable_by_the_successor(people, world):
    org_services.merge_organization(world.orgs["D1.X2"], actor=SYSTEM,
                                    into=world.orgs["D1.X1"], effective_on=D(2025, 7, 1))
    assert world.client("commune").get("/org/D1.X2/").status_code == 200


# Posts --------------------------------------------------------------------------------------

def test_one_secretary_at_a_time(people, world):
    cell = world.orgs["D1.X1.C1"]
    services.assign_post(people["thang"], actor=SYSTEM, role="secretary", org=cell,
                         start_on=D(2020, 10, 1))
    message = refused(services.assign_post, people["lan"], actor=SYSTEM, role="secretary",
                      org=cell, start_on=D(2024, 1, 1))
    assert "một bí thư" in message
    services.end_post(Position.objects.get(role="secretary"), actor=SYSTEM,
                      end_on=D(2023, 12, 31))
    services.assign_post(people["lan"], actor=SYSTEM, role="secretary", org=cell,
                         start_on=D(2024, 1, 1))
    current = list(queries.current_posts(cell, D(2024, 6, 1)))
    assert [p.member.member_code for p in current] == ["M001"]


def test_post_checks(people, world):
    thang, cell = people["thang"], world.orgs["D1.X1.C1"]
    assert "trước ngày bắt đầu" in refused(
        services.assign_post, thang, actor=SYSTEM, role="deputy_secretary", org=cell,
        start_on=D(2020, 1, 1), end_on=D(2019, 1, 1))
    assert "thôn" in refused(services.assign_post, thang, actor=SYSTEM, role="village_head",
                             start_on=D(2020, 1, 1))
    assert "không tồn tại" in refused(services.assign_post, thang, actor=SYSTEM,
                                       role="secretary", org=cell, start_on=D(1980, 1, 1))
    services.assign_post(thang, actor=SYSTEM, role="village_head", village=world.villages["V1"],
                         start_on=D(2020, 1, 1))
