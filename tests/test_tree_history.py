"""The organization tree through time.

Stories of moves, merges, renames and dissolutions, read back as of days before, on and after
each change; every change the services refuse, each with its message and nothing written; the
permission checks inside the services; and a property test that plays random reorganizations
against a plain Python model of the tree.

Fixture tree (tests/conftest.py), all established 01/01/1990:
    TQ  Đảng bộ tỉnh Tuyên Quang
    ├── D1  Đảng bộ huyện Sơn Dương
    │   ├── D1.X1  Đảng bộ xã An Phú: cells C1 (village V1), C2 (V2), C3 (a school)
    │   └── D1.X2  Đảng bộ xã Đồng Quý: cell C1 (V3)
    ├── D2  Đảng bộ huyện Hàm Yên
    │   └── D2.X1  Đảng bộ xã Yên Lâm: cell C1 (V4)
    └── CQ  Đảng bộ Khối các cơ quan tỉnh
        └── CQ.S1  Chi bộ Sở Tài chính (grassroots cell)
"""

import copy
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from chibo.accounts.choices import Role
from chibo.accounts.policy import SYSTEM
from chibo.accounts.services import create_user, grant_role
from chibo.audit.models import AuditRecord
from chibo.core.exceptions import PermissionDenied, RuleViolation
from chibo.organizations import queries, services
from chibo.organizations.choices import ALLOWED_PARENT_KINDS, MEMBER_HOLDING_KINDS, OrgKind
from chibo.organizations.models import (
    END_OF_TIME,
    Organization,
    OrgPeriod,
    Reorganization,
    Village,
)
from tests.conftest import make_org
from tests.hypothesis_profiles import examples

D = date
FOUNDED = D(1990, 1, 1)
DAY = D(2020, 7, 1)
EVE = DAY - timedelta(days=1)
LATER = D(2024, 1, 1)
AN_PHU_CELLS = {"D1.X1.C1", "D1.X1.C2", "D1.X1.C3"}


# Reading the tree back ------------------------------------------------------------------------

def org(code: str) -> Organization:
    return Organization.objects.get(code=code)


def name_of(code: str) -> str:
    return org(code).name


def tree_on(day: date) -> dict[str, str | None]:
    """Code -> parent code of every organization that exists on `day`."""
    periods = OrgPeriod.objects.as_of(day).select_related("organization", "parent")
    return {p.organization.code: p.parent.code if p.parent_id else None for p in periods}


def names_on(day: date) -> dict[str, str]:
    return dict(OrgPeriod.objects.as_of(day).values_list("organization__code", "name"))


def path_on(code: str, day: date) -> str:
    return services.period_on(org(code), day).path


def path_of(*codes: str) -> str:
    """The materialized path made of these organizations' ids, top down."""
    return "".join(f"{org(code).pk}/" for code in codes)


def children_on(world, code: str, day: date) -> list[str]:
    nodes = queries.children(world.users["admin"], org(code), day)
    return sorted(node.org.code for node in nodes)


def child_count_on(world, code: str, day: date) -> int:
    """The number of children the tree view shows next to `code` on `day`."""
    period = services.period_on(org(code), day)
    parent = Organization.objects.get(pk=period.parent_id)
    nodes = queries.children(world.users["admin"], parent, day)
    return next(node.child_count for node in nodes if node.org.code == code)


def subtree_on(code: str, day: date) -> set[str]:
    """The organization and everything below it on `day`, read as a range of paths."""
    period = services.period_on(org(code), day)
    periods = OrgPeriod.objects.as_of(day).in_subtree(period.path)
    return set(periods.values_list("organization__code", flat=True))


def breadcrumb_on(world, code: str, day: date) -> list[str]:
    period = services.period_on(org(code), day)
    return [p.organization.code
            for p in queries.breadcrumb(world.users["admin"], period, day)]


def crumb_names(world, code: str, day: date) -> list[str]:
    period = services.period_on(org(code), day)
    return [p.name for p in queries.breadcrumb(world.users["admin"], period, day)]


def stretches(code: str) -> list[tuple]:
    """(from, to, parent code, name) of every period of the organization, in order."""
    return [(p.valid_from, p.valid_to, p.parent.code if p.parent_id else None, p.name)
            for p in OrgPeriod.objects.filter(organization=org(code))
            .select_related("parent").order_by("valid_from", "valid_to")]


def last_seq() -> int:
    return AuditRecord.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def audit_since(seq: int) -> list[tuple[str, str]]:
    """(action, organization code) of the audit records written after `seq`."""
    codes = {str(pk): code for pk, code in Organization.objects.values_list("pk", "code")}
    return [(r.action, codes[r.object_id])
            for r in AuditRecord.objects.filter(seq__gt=seq).order_by("seq")]


def db_state() -> dict:
    """Everything a tree service writes, to show that a refused change wrote nothing."""
    models = (Organization, OrgPeriod, Reorganization, AuditRecord, Village)
    return {
        "counts": {model.__name__: model.objects.count() for model in models},
        "organizations": list(Organization.objects.order_by("pk").values_list()),
        "periods": list(OrgPeriod.objects.order_by("pk").values_list()),
        "reorganizations": list(Reorganization.objects.order_by("pk").values_list()),
        "villages": list(Village.objects.order_by("pk").values_list()),
    }


def assert_refused(change, message: str | None, error=RuleViolation):
    """`change()` raises `error` with exactly `message`, and the database is as it was."""
    before = db_state()
    with pytest.raises(error) as caught:
        change()
    if message is not None:
        assert getattr(caught.value, "messages", [str(caught.value)]) == [message]
    assert db_state() == before


# Making changes (as the system unless told) ---------------------------------------------------

def move(code, parent, day, actor=SYSTEM):
    return services.move_organization(org(code), actor=actor, new_parent=org(parent),
                                      effective_on=day)


def rename(code, new_name, day, actor=SYSTEM):
    return services.rename_organization(org(code), actor=actor, new_name=new_name,
                                        effective_on=day)


def merge(code, into, day, actor=SYSTEM):
    return services.merge_organization(org(code), actor=actor, into=org(into), effective_on=day)


def dissolve(code, day, actor=SYSTEM):
    return services.dissolve_organization(org(code), actor=actor, effective_on=day)


def create(code, kind, parent, day=FOUNDED, name=None, actor=SYSTEM, **extra):
    return make_org(code, name or f"Tổ chức {code}", kind, org(parent) if parent else None,
                    established_on=day, actor=actor, **extra)


def label(kind: str) -> str:
    return str(OrgKind(kind).label)


def does_not_fit(kind: str, parent: str) -> str:
    parent_org = org(parent)
    return (f"{label(kind)} không thể trực thuộc {label(parent_org.kind)} "
            f"({parent_org.name}).")


def date_order(who: str, later: date, day: date) -> str:
    return (f"{who} đã có thay đổi ngày {later:%d/%m/%Y}, sau ngày {day:%d/%m/%Y}: hãy ghi các "
            "thay đổi theo thứ tự thời gian.")


def parent_changed_later(parent: str, day: date) -> str:
    return (f"Tổ chức cấp trên {parent} đã có thay đổi sau ngày {day:%d/%m/%Y}: hãy ghi các "
            "thay đổi theo thứ tự thời gian.")


def parent_missing(parent: str, day: date) -> str:
    return f"Tổ chức cấp trên {parent} chưa thành lập hoặc đã giải thể vào ngày {day:%d/%m/%Y}."


# Moves -----------------------------------------------------------------------------------------

def test_a_commune_moves_to_another_district_with_its_cells(world):
    seq = last_seq()
    change = services.move_organization(org("D1.X1"), actor=SYSTEM, new_parent=org("D2"),
                                        effective_on=DAY, decision_no="125-QĐ/TU")

    # The day before, An Phú and its cells are still in Sơn Dương, at their old paths.
    assert children_on(world, "D1", EVE) == ["D1.X1", "D1.X2"]
    assert children_on(world, "D2", EVE) == ["D2.X1"]
    assert subtree_on("D1", EVE) == {"D1", "D1.X1", "D1.X2", "D1.X2.C1", *AN_PHU_CELLS}
    assert subtree_on("D2", EVE) == {"D2", "D2.X1", "D2.X1.C1"}
    assert breadcrumb_on(world, "D1.X1.C1", EVE) == ["TQ", "D1", "D1.X1"]
    assert path_on("D1.X1.C1", EVE) == path_of("TQ", "D1", "D1.X1", "D1.X1.C1")
    assert child_count_on(world, "D2", EVE) == 1

    # From the day on, they are in Hàm Yên, and every descendant's path says so.
    for day in (DAY, LATER):
        assert children_on(world, "D1", day) == ["D1.X2"]
        assert children_on(world, "D2", day) == ["D1.X1", "D2.X1"]
        assert children_on(world, "D1.X1", day) == sorted(AN_PHU_CELLS)
        assert subtree_on("D1", day) == {"D1", "D1.X2", "D1.X2.C1"}
        assert subtree_on("D2", day) == {"D2", "D2.X1", "D2.X1.C1", "D1.X1", *AN_PHU_CELLS}
        assert breadcrumb_on(world, "D1.X1.C1", day) == ["TQ", "D2", "D1.X1"]
        assert path_on("D1.X1.C1", day) == path_of("TQ", "D2", "D1.X1", "D1.X1.C1")
        assert child_count_on(world, "D2", day) == 2

    # The organization rows carry the latest place.
    an_phu, dong_ma = org("D1.X1"), org("D1.X1.C1")
    assert (an_phu.parent.code, an_phu.path, an_phu.depth) == (
        "D2", path_of("TQ", "D2", "D1.X1"), 2)
    assert (dong_ma.parent.code, dong_ma.path, dong_ma.depth) == (
        "D1.X1", path_of("TQ", "D2", "D1.X1", "D1.X1.C1"), 3)
    # A cell's life is cut in two on the day; its parent and name stay the same.
    assert stretches("D1.X1.C1") == [
        (FOUNDED, DAY, "D1.X1", "Chi bộ thôn Đồng Mạ"),
        (DAY, END_OF_TIME, "D1.X1", "Chi bộ thôn Đồng Mạ"),
    ]
    assert (change.change, change.old_parent.code, change.new_parent.code, change.effective_on,
            change.decision_no) == ("move", "D1", "D2", DAY, "125-QĐ/TU")
    assert Reorganization.objects.count() == 1
    assert audit_since(seq) == [("organization.move", "D1.X1")]


def test_moving_twice_keeps_each_stretch_of_the_history(world):
    seq = last_seq()
    move("D1.X1", "D2", D(2015, 1, 1))
    move("D1.X1", "TQ", D(2020, 1, 1))

    expected = {
        D(2014, 12, 31): ["TQ", "D1", "D1.X1"],
        D(2015, 1, 1): ["TQ", "D2", "D1.X1"],
        D(2019, 12, 31): ["TQ", "D2", "D1.X1"],
        D(2020, 1, 1): ["TQ", "D1.X1"],
        LATER: ["TQ", "D1.X1"],
    }
    for day, crumbs in expected.items():
        assert breadcrumb_on(world, "D1.X1.C2", day) == crumbs, day
        assert tree_on(day)["D1.X1"] == crumbs[-2], day
        assert path_on("D1.X1.C2", day) == path_of(*crumbs, "D1.X1.C2"), day
        assert subtree_on(crumbs[-2], day) >= {"D1.X1", *AN_PHU_CELLS}, day
    assert [(start, parent) for start, _end, parent, _name in stretches("D1.X1")] == [
        (FOUNDED, "D1"), (D(2015, 1, 1), "D2"), (D(2020, 1, 1), "TQ"),
    ]
    assert len(stretches("D1.X1.C2")) == 3
    an_phu = org("D1.X1")
    assert (an_phu.parent.code, an_phu.depth, org("D1.X1.C2").depth) == ("TQ", 1, 2)
    assert [(c.old_parent.code, c.new_parent.code) for c in Reorganization.objects.all()] == [
        ("D1", "D2"), ("D2", "TQ"),
    ]
    assert audit_since(seq) == [("organization.move", "D1.X1")] * 2


@pytest.mark.parametrize("move_first", [True, False], ids=["move-then-rename", "rename-then-move"])
def test_a_move_and_a_rename_on_the_same_day_make_one_new_stretch(world, move_first):
    seq = last_seq()
    steps = [lambda: move("D1.X1", "D2", DAY),
             lambda: rename("D1.X1", "Đảng bộ xã An Phú Mới", DAY)]
    for step in steps if move_first else reversed(steps):
        step()

    assert stretches("D1.X1") == [
        (FOUNDED, DAY, "D1", "Đảng bộ xã An Phú"),
        (DAY, END_OF_TIME, "D2", "Đảng bộ xã An Phú Mới"),
    ]
    assert names_on(EVE)["D1.X1"] == "Đảng bộ xã An Phú"
    assert names_on(DAY)["D1.X1"] == "Đảng bộ xã An Phú Mới"
    assert crumb_names(world, "D1.X1.C1", EVE) == [
        "Đảng bộ tỉnh Tuyên Quang", "Đảng bộ huyện Sơn Dương", "Đảng bộ xã An Phú"]
    assert crumb_names(world, "D1.X1.C1", DAY) == [
        "Đảng bộ tỉnh Tuyên Quang", "Đảng bộ huyện Hàm Yên", "Đảng bộ xã An Phú Mới"]
    an_phu = org("D1.X1")
    assert (an_phu.name, an_phu.parent.code, an_phu.search_key) == (
        "Đảng bộ xã An Phú Mới", "D2", "dang bo xa an phu moi")
    assert sorted(Reorganization.objects.values_list("change", flat=True)) == ["move", "rename"]
    actions = [action for action, _code in audit_since(seq)]
    assert sorted(actions) == ["organization.move", "organization.rename"]


def test_an_organization_created_and_changed_on_the_same_day_has_one_stretch(world):
    seq = last_seq()
    create("D1.X2.C2", "cell", "D1.X2", DAY, name="Chi bộ Trường Mầm non")
    rename("D1.X2.C2", "Chi bộ Trường Mầm non Đồng Quý", DAY)
    move("D1.X2.C2", "D1.X1", DAY)

    assert stretches("D1.X2.C2") == [(DAY, END_OF_TIME, "D1.X1", "Chi bộ Trường Mầm non Đồng Quý")]
    assert "D1.X2.C2" not in tree_on(EVE)
    assert children_on(world, "D1.X1", DAY) == sorted({*AN_PHU_CELLS, "D1.X2.C2"})
    assert children_on(world, "D1.X2", DAY) == ["D1.X2.C1"]
    assert org("D1.X2.C2").path == path_of("TQ", "D1", "D1.X1", "D1.X2.C2")
    assert audit_since(seq) == [("organization.create", "D1.X2.C2"),
                                ("organization.rename", "D1.X2.C2"),
                                ("organization.move", "D1.X2.C2")]


def test_a_cell_moves_under_a_partial_committee_and_back(world):
    create("D1.X1.B1", "partial_committee", "D1.X1", D(2000, 1, 1), name="Đảng bộ bộ phận Trường")
    move("D1.X1.C3", "D1.X1.B1", D(2010, 1, 1))
    move("D1.X1.C3", "D1.X1", D(2015, 1, 1))

    assert breadcrumb_on(world, "D1.X1.C3", D(2009, 12, 31)) == ["TQ", "D1", "D1.X1"]
    assert breadcrumb_on(world, "D1.X1.C3", D(2012, 1, 1)) == ["TQ", "D1", "D1.X1", "D1.X1.B1"]
    assert breadcrumb_on(world, "D1.X1.C3", D(2015, 1, 1)) == ["TQ", "D1", "D1.X1"]
    assert subtree_on("D1.X1.B1", D(2012, 1, 1)) == {"D1.X1.B1", "D1.X1.C3"}
    assert subtree_on("D1.X1.B1", D(2015, 1, 1)) == {"D1.X1.B1"}
    assert org("D1.X1.C3").depth == 3


# Renames ----------------------------------------------------------------------------------------

def test_a_rename_holds_from_its_day_and_earlier_days_keep_the_old_name(world):
    seq = last_seq()
    change = rename("D1.X2", "  Đảng bộ xã Đồng Quý Mới ", DAY)

    assert names_on(EVE)["D1.X2"] == "Đảng bộ xã Đồng Quý"
    assert names_on(DAY)["D1.X2"] == "Đảng bộ xã Đồng Quý Mới"
    assert tree_on(EVE) == tree_on(DAY)  # the places do not change
    assert path_on("D1.X2", EVE) == path_on("D1.X2", DAY)
    assert [p.search_key for p in queries.search(world.users["admin"], "dong quy moi", DAY)] == [
        "dang bo xa dong quy moi"]
    assert queries.search(world.users["admin"], "dong quy moi", EVE) == []
    assert org("D1.X2").name == "Đảng bộ xã Đồng Quý Mới"
    assert (change.change, change.old_name, change.new_name) == (
        "rename", "Đảng bộ xã Đồng Quý", "Đảng bộ xã Đồng Quý Mới")
    assert audit_since(seq) == [("organization.rename", "D1.X2")]


def test_the_dispatcher_names_the_change_by_its_kind(world):
    seq = last_seq()
    services.reorganize(org("D2.X1"), actor=SYSTEM, change="rename", effective_on=DAY,
                        new_name="Đảng bộ xã Yên Lâm Mới", decision_no="7-QĐ/HU", note="Sáp nhập")
    services.reorganize(org("D2.X1"), actor=SYSTEM, change="move", effective_on=LATER,
                        new_parent=org("TQ"))
    assert [(c.change, c.decision_no, c.note) for c in Reorganization.objects.all()] == [
        ("rename", "7-QĐ/HU", "Sáp nhập"), ("move", "", "")]
    assert tree_on(LATER)["D2.X1"] == "TQ"
    assert names_on(LATER)["D2.X1"] == "Đảng bộ xã Yên Lâm Mới"
    assert [action for action, _code in audit_since(seq)] == [
        "organization.rename", "organization.move"]


# Merges -----------------------------------------------------------------------------------------

def test_merging_a_commune_moves_its_cells_into_the_other(world):
    seq = last_seq()
    change = merge("D1.X1", "D1.X2", DAY)

    # Before the day, An Phú and its cells are where they were.
    assert children_on(world, "D1", EVE) == ["D1.X1", "D1.X2"]
    assert children_on(world, "D1.X1", EVE) == sorted(AN_PHU_CELLS)
    assert children_on(world, "D1.X2", EVE) == ["D1.X2.C1"]
    assert breadcrumb_on(world, "D1.X1.C1", EVE) == ["TQ", "D1", "D1.X1"]
    assert names_on(EVE)["D1.X1"] == "Đảng bộ xã An Phú"

    # From the day, An Phú is gone and its cells are in Đồng Quý.
    for day in (DAY, LATER):
        assert "D1.X1" not in tree_on(day)
        assert children_on(world, "D1", day) == ["D1.X2"]
        assert children_on(world, "D1.X2", day) == sorted({"D1.X2.C1", *AN_PHU_CELLS})
        assert subtree_on("D1.X2", day) == {"D1.X2", "D1.X2.C1", *AN_PHU_CELLS}
        assert breadcrumb_on(world, "D1.X1.C1", day) == ["TQ", "D1", "D1.X2"]
        assert path_on("D1.X1.C1", day) == path_of("TQ", "D1", "D1.X2", "D1.X1.C1")

    an_phu = org("D1.X1")
    assert (an_phu.ended_on, an_phu.merged_into.code) == (DAY, "D1.X2")
    assert stretches("D1.X1") == [(FOUNDED, DAY, "D1", "Đảng bộ xã An Phú")]
    dong_ma = org("D1.X1.C1")
    assert (dong_ma.parent.code, dong_ma.path) == (
        "D1.X2", path_of("TQ", "D1", "D1.X2", "D1.X1.C1"))
    assert (change.change, change.into.code, change.effective_on) == ("merge", "D1.X2", DAY)
    assert Reorganization.objects.count() == 1  # the cells' moves are part of the merge
    assert audit_since(seq) == [("organization.merge", "D1.X1")]
    assert [entry.text for entry in queries.history(org("D1.X2"))] == [
        "Thành lập", "Tiếp nhận Đảng bộ xã An Phú (D1.X1) hợp nhất vào"]


def test_merging_a_commune_into_one_of_another_district_moves_the_cells_across(world):
    merge("D2.X1", "D1.X1", DAY)
    assert breadcrumb_on(world, "D2.X1.C1", EVE) == ["TQ", "D2", "D2.X1"]
    assert breadcrumb_on(world, "D2.X1.C1", DAY) == ["TQ", "D1", "D1.X1"]
    assert subtree_on("D2", DAY) == {"D2"}
    assert org("D2.X1.C1").path == path_of("TQ", "D1", "D1.X1", "D2.X1.C1")


def test_a_cell_with_members_merges_without_the_occupancy_check(world, monkeypatch):
    # Members follow a merge, so the check that guards dissolutions is not asked.
    monkeypatch.setattr(services, "OCCUPANCY_CHECKS", [lambda org, day: "Còn đảng viên."])
    merge("D1.X1.C2", "D1.X1.C1", DAY)
    assert org("D1.X1.C2").merged_into == org("D1.X1.C1")


# Dissolutions -----------------------------------------------------------------------------------

def test_dissolving_an_empty_cell(world):
    seq = last_seq()
    change = dissolve("D1.X1.C3", DAY)

    assert children_on(world, "D1.X1", EVE) == sorted(AN_PHU_CELLS)
    assert children_on(world, "D1.X1", DAY) == ["D1.X1.C1", "D1.X1.C2"]
    assert child_count_on(world, "D1.X1", EVE) == 3
    assert child_count_on(world, "D1.X1", DAY) == 2
    assert "D1.X1.C3" not in subtree_on("D1", DAY)
    school = org("D1.X1.C3")
    assert (school.ended_on, school.merged_into, school.is_active_on(EVE),
            school.is_active_on(DAY)) == (DAY, None, True, False)
    # The row keeps its last name and place, for lists of past organizations.
    assert (school.parent.code, school.path) == ("D1.X1", path_of("TQ", "D1", "D1.X1", "D1.X1.C3"))
    assert stretches("D1.X1.C3") == [(FOUNDED, DAY, "D1.X1", "Chi bộ Trường Tiểu học An Phú")]
    assert (change.change, change.effective_on) == ("dissolve", DAY)
    assert audit_since(seq) == [("organization.dissolve", "D1.X1.C3")]


def test_the_2025_reform_communes_under_the_province_then_districts_dissolved(world):
    reform, eve = D(2025, 7, 1), D(2025, 6, 30)
    tree_before, names_before = tree_on(eve), names_on(eve)
    seq = last_seq()

    create("TQ.X1", "grassroots_committee", "TQ", reform, name="Đảng bộ xã Sơn Dương",
           sector="commune")
    merge("D1.X1", "TQ.X1", reform)
    merge("D1.X2", "TQ.X1", reform)
    move("D2.X1", "TQ", reform)
    dissolve("D1", reform)
    dissolve("D2", reform)

    # The eve of the reform reads exactly as before it was recorded.
    assert tree_on(eve) == tree_before
    assert names_on(eve) == names_before
    assert breadcrumb_on(world, "D1.X1.C1", eve) == ["TQ", "D1", "D1.X1"]

    # On the day: two levels, province then communes.
    assert tree_on(reform) == {
        "TQ": None, "CQ": "TQ", "CQ.S1": "CQ", "TQ.X1": "TQ", "D2.X1": "TQ",
        "D1.X1.C1": "TQ.X1", "D1.X1.C2": "TQ.X1", "D1.X1.C3": "TQ.X1", "D1.X2.C1": "TQ.X1",
        "D2.X1.C1": "D2.X1",
    }
    assert children_on(world, "TQ", reform) == ["CQ", "D2.X1", "TQ.X1"]
    assert breadcrumb_on(world, "D1.X1.C1", reform) == ["TQ", "TQ.X1"]
    assert breadcrumb_on(world, "D2.X1.C1", reform) == ["TQ", "D2.X1"]
    assert subtree_on("TQ.X1", reform) == {"TQ.X1", "D1.X2.C1", *AN_PHU_CELLS}
    for code in ("D1.X1.C1", "D1.X2.C1", "D2.X1.C1"):
        assert org(code).depth == 2
    assert [(o.code, o.ended_on, o.merged_into_id and o.merged_into.code)
            for o in Organization.objects.filter(ended_on__isnull=False).order_by("code")] == [
        ("D1", reform, None), ("D1.X1", reform, "TQ.X1"), ("D1.X2", reform, "TQ.X1"),
        ("D2", reform, None),
    ]
    assert sorted(Reorganization.objects.filter(effective_on=reform)
                  .values_list("organization__code", "change")) == [
        ("D1", "dissolve"), ("D1.X1", "merge"), ("D1.X2", "merge"), ("D2", "dissolve"),
        ("D2.X1", "move"),
    ]
    assert audit_since(seq) == [
        ("organization.create", "TQ.X1"), ("organization.merge", "D1.X1"),
        ("organization.merge", "D1.X2"), ("organization.move", "D2.X1"),
        ("organization.dissolve", "D1"), ("organization.dissolve", "D2"),
    ]


def test_a_village_gets_a_new_cell_once_the_old_one_is_dissolved(world):
    dissolve("D1.X1.C1", DAY)
    assert_refused(
        lambda: create("D1.X1.C9", "cell", "D1.X1", EVE, village=world.villages["V1"]),
        "Thôn Đồng Mạ đã có chi bộ Chi bộ thôn Đồng Mạ (D1.X1.C1) đang hoạt động.")
    create("D1.X1.C9", "cell", "D1.X1", DAY, village=world.villages["V1"])
    assert org("D1.X1.C9").village.code == "V1"


# Refusals: cycles -------------------------------------------------------------------------------

@pytest.mark.parametrize("code, under", [
    ("D1.X1", "D1.X1"), ("D1.X1", "D1.X1.C1"), ("D1", "D1.X1"), ("TQ", "D2"),
])
def test_an_organization_cannot_move_under_itself_or_below_itself(world, code, under):
    assert_refused(lambda: move(code, under, DAY),
                   f"Không thể đưa {name_of(code)} vào trực thuộc chính nó hoặc tổ chức cấp dưới "
                   f"của nó ({name_of(under)}).")


def test_an_organization_cannot_merge_into_itself_or_below_itself(world):
    assert_refused(lambda: merge("D1.X1", "D1.X1", DAY),
                   "Không thể hợp nhất một tổ chức vào chính nó.")
    assert_refused(lambda: merge("D1.X1", "D1.X1.C1", DAY),
                   "Không thể hợp nhất Đảng bộ xã An Phú vào tổ chức cấp dưới của nó.")
    assert_refused(lambda: merge("D1", "D1.X2", DAY),
                   "Không thể hợp nhất Đảng bộ huyện Sơn Dương vào tổ chức cấp dưới của nó.")


# Refusals: kinds --------------------------------------------------------------------------------

@pytest.mark.parametrize("kind, parent", [
    ("cell", "D1"), ("district", "D1.X1"), ("provincial", "TQ"), ("partial_committee", "D1"),
    ("grassroots_committee", "D1.X1.C1"), ("cell", "CQ"), ("bloc", "CQ"),
])
def test_a_new_organization_must_fit_its_parent(world, kind, parent):
    assert_refused(lambda: create("NEW", kind, parent, DAY), does_not_fit(kind, parent))


@pytest.mark.parametrize("kind", ["district", "cell", "grassroots_committee"])
def test_only_a_provincial_committee_stands_without_a_parent(world, kind):
    assert_refused(lambda: create("NEW", kind, None, DAY),
                   f"{label(kind)} phải trực thuộc một tổ chức cấp trên.")


def test_an_unknown_kind_is_refused(world):
    assert_refused(lambda: create("NEW", "branch", "D1", DAY), "Loại tổ chức không hợp lệ.")


@pytest.mark.parametrize("code, under", [
    ("D1.X1.C1", "CQ"), ("D1.X1.C1", "D2"), ("D1.X1", "CQ.S1"), ("D1", "CQ"), ("D1.X1", "D2.X1"),
])
def test_a_move_must_fit_the_new_parent(world, code, under):
    assert_refused(lambda: move(code, under, DAY), does_not_fit(org(code).kind, under))


def test_a_merge_must_fit_the_kinds(world):
    assert_refused(lambda: merge("D1.X1.C1", "D1.X2", DAY),
                   "Đảng viên của một chi bộ chỉ có thể hợp nhất vào một chi bộ.")
    # A committee merges only into an organization of its own kind.
    assert_refused(lambda: merge("D1.X1", "D2", DAY),
                   "Đảng bộ cơ sở chỉ có thể hợp nhất vào một đảng bộ cơ sở.")
    assert_refused(lambda: merge("D1.X1", "D1.X1.C1", DAY),
                   "Không thể hợp nhất Đảng bộ xã An Phú vào tổ chức cấp dưới của nó.")


def test_a_merge_refused_after_moving_children_undoes_everything(world, monkeypatch):
    """A merge moves the children first; a refusal after that (here from a merge hook, as the
    member records could raise) leaves the tree exactly as it was."""
    def refuse(org, into, day):
        raise RuleViolation("refused by a hook")

    monkeypatch.setattr(services, "MERGE_HOOKS", [refuse])
    assert_refused(lambda: merge("D1.X1", "D1.X2", DAY), "refused by a hook")
    assert tree_on(DAY)["D1.X1.C1"] == "D1.X1"


# Refusals: dates and the parent's life ----------------------------------------------------------

def test_a_child_cannot_be_older_than_its_parent(world):
    assert_refused(lambda: create("D1.X1.C9", "cell", "D1.X1", D(1985, 1, 1)),
                   "Tổ chức cấp trên Đảng bộ xã An Phú thành lập ngày 01/01/1990, sau ngày thành "
                   "lập của tổ chức này.")


def test_the_new_parent_must_exist_on_the_day(world):
    create("D1.X9", "grassroots_committee", "D1", D(2010, 1, 1), name="Đảng bộ xã Tân Trào")
    assert_refused(lambda: move("D1.X1.C1", "D1.X9", D(2005, 1, 1)),
                   parent_missing("Đảng bộ xã Tân Trào", D(2005, 1, 1)))
    assert_refused(lambda: merge("D1.X1", "D1.X9", D(2005, 1, 1)),
                   parent_missing("Đảng bộ xã Tân Trào", D(2005, 1, 1)))

    dissolve("D1.X2.C1", D(2010, 1, 1))
    dissolve("D1.X2", D(2015, 1, 1))
    after = D(2016, 1, 1)
    assert_refused(lambda: move("D1.X1.C1", "D1.X2", after),
                   parent_missing("Đảng bộ xã Đồng Quý", after))
    assert_refused(lambda: create("D1.X2.C9", "cell", "D1.X2", after),
                   parent_missing("Đảng bộ xã Đồng Quý", after))
    assert_refused(lambda: merge("D1.X1.C3", "D1.X2.C1", after),
                   parent_missing("Chi bộ thôn Khuổi Phầy", after))
    # Before its dissolution the commune existed, but it was recorded as ending empty.
    assert_refused(lambda: create("D1.X2.C9", "cell", "D1.X2", D(2012, 1, 1)),
                   parent_changed_later("Đảng bộ xã Đồng Quý", D(2012, 1, 1)))


def test_an_organization_that_does_not_exist_on_the_day_cannot_change(world):
    dissolve("D1.X1.C3", DAY)
    gone = "Chi bộ Trường Tiểu học An Phú (D1.X1.C3) không tồn tại vào ngày 01/01/2024."
    assert_refused(lambda: rename("D1.X1.C3", "Chi bộ khác", LATER), gone)
    assert_refused(lambda: move("D1.X1.C3", "D1.X2", LATER), gone)
    assert_refused(lambda: dissolve("D1.X1.C3", LATER), gone)
    assert_refused(lambda: merge("D1.X1.C3", "D1.X1.C1", LATER), gone)
    assert_refused(lambda: rename("D1.X1.C1", "Chi bộ khác", D(1989, 12, 31)),
                   "Chi bộ thôn Đồng Mạ (D1.X1.C1) không tồn tại vào ngày 31/12/1989.")


def test_dissolving_needs_a_day_after_the_establishment(world):
    assert_refused(lambda: dissolve("D1.X1.C3", FOUNDED),
                   "Ngày giải thể phải sau ngày thành lập (01/01/1990).")
    assert_refused(lambda: merge("D1.X1.C3", "D1.X1.C1", FOUNDED),
                   "Ngày giải thể phải sau ngày thành lập (01/01/1990).")
    assert_refused(lambda: dissolve("D1.X1.C3", D(1989, 6, 1)),
                   "Chi bộ Trường Tiểu học An Phú (D1.X1.C3) không tồn tại vào ngày 01/06/1989.")


# Refusals: dissolving what is not empty ---------------------------------------------------------

def test_an_organization_with_children_on_the_day_cannot_be_dissolved(world):
    assert_refused(lambda: dissolve("D1.X1", DAY),
                   "Không thể giải thể Đảng bộ xã An Phú: còn tổ chức trực thuộc Chi bộ thôn "
                   "Đồng Mạ (D1.X1.C1) vào ngày 01/07/2020.")
    assert_refused(lambda: dissolve("TQ", DAY),
                   "Không thể giải thể Đảng bộ tỉnh Tuyên Quang: còn tổ chức trực thuộc Đảng bộ "
                   "huyện Sơn Dương (D1) vào ngày 01/07/2020.")


def test_a_child_that_leaves_later_still_keeps_its_parent_from_being_dissolved(world):
    move("D1.X2.C1", "D1.X1", DAY)
    # The cell was there on that day; its later move is also a later change of the commune.
    assert_refused(lambda: dissolve("D1.X2", D(2015, 1, 1)),
                   date_order("Đảng bộ xã Đồng Quý", DAY, D(2015, 1, 1)))
    dissolve("D1.X2", DAY)  # once the cell has left, it can go


def test_a_child_established_or_moved_in_later_keeps_its_parent_from_being_dissolved(world):
    dissolve("D1.X2.C1", D(2010, 1, 1))
    create("D1.X2.C2", "cell", "D1.X2", D(2020, 1, 1))
    assert_refused(lambda: dissolve("D1.X2", D(2015, 1, 1)),
                   date_order("Đảng bộ xã Đồng Quý", D(2020, 1, 1), D(2015, 1, 1)))

    dissolve("D1.X2.C2", D(2021, 1, 1))
    move("D1.X1.C3", "D1.X2", D(2022, 1, 1))
    assert_refused(lambda: dissolve("D1.X2", D(2021, 6, 1)),
                   date_order("Đảng bộ xã Đồng Quý", D(2022, 1, 1), D(2021, 6, 1)))


def test_an_organization_with_members_cannot_be_dissolved(world, monkeypatch):
    asked = []

    def members_left(organization, day):
        asked.append((organization.code, day))
        if organization.code == "D1.X1.C1":
            return f"{organization.name} còn 12 đảng viên vào ngày {day:%d/%m/%Y}."
        return None

    monkeypatch.setattr(services, "OCCUPANCY_CHECKS", [])
    services.register_occupancy_check(members_left)
    services.register_occupancy_check(members_left)  # registering twice asks once
    assert_refused(lambda: dissolve("D1.X1.C1", DAY),
                   "Chi bộ thôn Đồng Mạ còn 12 đảng viên vào ngày 01/07/2020.")
    dissolve("D1.X1.C2", DAY)
    assert asked == [("D1.X1.C1", DAY), ("D1.X1.C2", DAY)]


# Refusals: villages -----------------------------------------------------------------------------

def test_a_village_has_one_active_cell(world):
    taken = "Thôn Đồng Mạ đã có chi bộ Chi bộ thôn Đồng Mạ (D1.X1.C1) đang hoạt động."
    assert_refused(lambda: create("D1.X1.C9", "cell", "D1.X1", DAY,
                                  village=world.villages["V1"]), taken)
    assert_refused(lambda: services.update_organization(
        org("D1.X1.C3"), actor=SYSTEM, village=world.villages["V1"]), taken)
    assert_refused(lambda: create("D1.X9", "grassroots_committee", "D1", DAY,
                                  village=world.villages["V2"]),
                   "Chỉ chi bộ mới gắn với thôn, tổ dân phố.")


# Refusals: changes out of date order -----------------------------------------------------------

def test_a_move_dated_before_a_later_move_of_the_same_organization_is_refused(world):
    move("D1.X1", "D2", DAY)
    assert_refused(lambda: move("D1.X1", "TQ", D(2015, 1, 1)),
                   date_order("Đảng bộ xã An Phú", DAY, D(2015, 1, 1)))
    # A cell of it was moved along on that day: its own back-dated changes are refused too.
    assert_refused(lambda: move("D1.X1.C1", "D1.X2", D(2015, 1, 1)),
                   date_order("Chi bộ thôn Đồng Mạ", DAY, D(2015, 1, 1)))
    assert_refused(lambda: rename("D1.X1.C1", "Chi bộ khác", D(2015, 1, 1)),
                   date_order("Chi bộ thôn Đồng Mạ", DAY, D(2015, 1, 1)))


def test_a_change_dated_before_a_later_change_inside_the_subtree_is_refused(world):
    rename("D1.X1.C1", "Chi bộ thôn Đồng Mạ 1", DAY)
    before = D(2015, 1, 1)
    refused = date_order("Đảng bộ xã An Phú", DAY, before)
    assert_refused(lambda: move("D1.X1", "D2", before), refused)
    assert_refused(lambda: rename("D1.X1", "Đảng bộ xã An Phú Mới", before), refused)
    assert_refused(lambda: merge("D1.X1", "D1.X2", before), refused)


def test_a_change_dated_before_a_descendant_left_or_ended_is_refused(world):
    # Yên Lâm took Đồng Mạ's cell from An Phú in 2020: merging An Phú away in 2015 would leave
    # that recorded move starting from an organization that no longer existed.
    move("D1.X1.C1", "D2.X1", DAY)
    before = D(2015, 1, 1)
    refused = date_order("Đảng bộ xã An Phú", DAY, before)
    assert_refused(lambda: merge("D1.X1", "D1.X2", before), refused)
    assert_refused(lambda: move("D1.X1", "D2", before), refused)
    assert_refused(lambda: dissolve("D1.X1", before), refused)
    # The same for a cell dissolved later.
    dissolve("D1.X2.C1", LATER)
    assert_refused(lambda: move("D1.X2", "D2", before),
                   date_order("Đảng bộ xã Đồng Quý", LATER, before))
    # The earliest later change is the one named.
    rename("D1.X1.C2", "Chi bộ thôn Nà Khà 2", LATER)
    assert_refused(lambda: rename("D1.X1", "Đảng bộ xã An Phú Mới", before), refused)


def test_a_change_dated_before_a_recorded_rename_or_dissolution_is_refused(world):
    rename("D1.X1.C3", "Chi bộ Trường Tiểu học", DAY)
    assert_refused(lambda: dissolve("D1.X1.C3", D(2015, 1, 1)),
                   date_order("Chi bộ Trường Tiểu học", DAY, D(2015, 1, 1)))
    dissolve("D1.X1.C2", DAY)
    ended = ("Chi bộ thôn Nà Khà đã được ghi giải thể ngày 01/07/2020, sau ngày 01/01/2015: hãy "
             "ghi các thay đổi theo thứ tự thời gian.")
    assert_refused(lambda: move("D1.X1.C2", "D1.X2", D(2015, 1, 1)), ended)
    assert_refused(lambda: rename("D1.X1.C2", "Chi bộ khác", D(2015, 1, 1)), ended)


def test_a_child_or_a_move_into_a_parent_with_a_later_change_is_refused(world):
    rename("D1.X1", "Đảng bộ xã An Phú Mới", DAY)
    before = D(2015, 1, 1)
    refused = parent_changed_later("Đảng bộ xã An Phú Mới", before)
    assert_refused(lambda: create("D1.X1.C9", "cell", "D1.X1", before), refused)
    assert_refused(lambda: move("D1.X2.C1", "D1.X1", before), refused)
    assert_refused(lambda: merge("D1.X2", "D1.X1", before), refused)
    # On the day of the change itself (or after) the parent is open again.
    create("D1.X1.C9", "cell", "D1.X1", DAY)


# Refusals: plain input faults -------------------------------------------------------------------

def test_a_rename_needs_a_new_non_empty_name(world):
    assert_refused(lambda: rename("D1.X1", "Đảng bộ xã An Phú", DAY), "Tên mới trùng tên hiện tại.")
    assert_refused(lambda: rename("D1.X1", " Đảng bộ xã An Phú  ", DAY),
                   "Tên mới trùng tên hiện tại.")
    assert_refused(lambda: rename("D1.X1", "", DAY), "Tên mới không được để trống.")
    assert_refused(lambda: rename("D1.X1", "   ", DAY), "Tên mới không được để trống.")
    assert_refused(lambda: services.update_organization(org("D1.X1"), actor=SYSTEM, name="  "),
                   "Tên tổ chức không được để trống.")


def test_a_move_needs_another_parent(world):
    assert_refused(lambda: move("D1.X1", "D1", DAY),
                   "Đảng bộ xã An Phú đã trực thuộc Đảng bộ huyện Sơn Dương.")


@pytest.mark.parametrize("code, message", [
    ("D1.X1", "Mã D1.X1 đã được dùng."),
    ("D1.X1 ", "Mã D1.X1 đã được dùng."),
    ("D1.X1.C 9", "Mã tổ chức không được để trống hoặc chứa dấu cách."),
    ("D1.X1.C\t9", "Mã tổ chức không được để trống hoặc chứa dấu cách."),
    ("", "Mã tổ chức không được để trống hoặc chứa dấu cách."),
])
def test_a_code_is_unique_and_has_no_spaces(world, code, message):
    assert_refused(lambda: create(code, "cell", "D1.X1", DAY), message)


def test_a_new_organization_needs_a_name(world):
    assert_refused(lambda: create("D1.X1.C9", "cell", "D1.X1", DAY, name=" "),
                   "Tên tổ chức không được để trống.")


def test_the_dispatcher_refuses_an_unknown_or_incomplete_change(world):
    def reorganize(change, **extra):
        return lambda: services.reorganize(org("D1.X1"), actor=SYSTEM, change=change,
                                           effective_on=DAY, **extra)

    assert_refused(reorganize("split"), "Loại thay đổi không hợp lệ: split")
    assert_refused(reorganize("move"), "Cần chọn tổ chức cấp trên mới.")
    assert_refused(reorganize("merge"), "Cần chọn tổ chức hợp nhất vào.")
    assert_refused(reorganize("rename"), "Tên mới không được để trống.")


# Permissions inside the services ----------------------------------------------------------------

def organizer_of(code: str):
    user = create_user(actor=SYSTEM, username=f"organizer-{code}", password=None)
    grant_role(user, actor=SYSTEM, role=Role.ORGANIZER, organization=org(code))
    return user


def test_a_clerk_cannot_reshape_the_tree(world):
    clerk = world.users["commune"]  # clerk of An Phú: manages members, not organizations
    for change in [
        lambda: rename("D1.X1.C1", "Chi bộ khác", DAY, actor=clerk),
        lambda: move("D1.X1.C3", "D1.X2", DAY, actor=clerk),
        lambda: merge("D1.X1.C2", "D1.X1.C1", DAY, actor=clerk),
        lambda: dissolve("D1.X1.C3", DAY, actor=clerk),
        lambda: create("D1.X1.C9", "cell", "D1.X1", DAY, actor=clerk),
        lambda: services.update_organization(org("D1.X1.C1"), actor=clerk, name="Chi bộ khác"),
        lambda: services.create_village(actor=clerk, code="V9", name="Thôn Mới", kind="village",
                                        commune=org("D1.X1")),
    ]:
        assert_refused(change, None, PermissionDenied)


def test_a_district_organizer_reshapes_only_inside_their_district(world):
    organizer = organizer_of("D1")
    seq = last_seq()
    move("D1.X1.C3", "D1.X2", DAY, actor=organizer)
    assert audit_since(seq) == [("organization.move", "D1.X1.C3")]

    for change in [
        lambda: move("D1.X1", "D2", LATER, actor=organizer),      # out of their district
        lambda: move("D2.X1", "D1", LATER, actor=organizer),      # in from another district
        lambda: merge("D1.X2", "D2.X1", LATER, actor=organizer),
        lambda: merge("D2.X1", "D1.X1", LATER, actor=organizer),
        lambda: rename("D2.X1", "Đảng bộ xã khác", LATER, actor=organizer),
        lambda: dissolve("D2.X1.C1", LATER, actor=organizer),
        lambda: create("D2.X1.C9", "cell", "D2.X1", LATER, actor=organizer),
    ]:
        assert_refused(change, None, PermissionDenied)
    assert_refused(lambda: create("HG", "provincial", None, LATER, actor=organizer),
                   "Chỉ quản trị hệ thống mới lập được tổ chức gốc.", PermissionDenied)


def test_a_stale_object_does_not_carry_an_old_place_into_a_permission(world):
    organizer = organizer_of("D1")
    # Copies read while An Phú was in the organizer's district, one for each attempt.
    an_phu, school = [org("D1.X1") for _ in range(3)], [org("D1.X1.C3") for _ in range(2)]
    move("D1.X1", "D2", DAY)  # by the province, meanwhile
    for change in [
        lambda: services.rename_organization(an_phu[0], actor=organizer,
                                             new_name="Đảng bộ xã khác", effective_on=LATER),
        lambda: services.move_organization(an_phu[1], actor=organizer, new_parent=org("D1"),
                                           effective_on=LATER),
        lambda: services.update_organization(an_phu[2], actor=organizer, name="Đảng bộ xã khác"),
        lambda: services.merge_organization(school[0], actor=organizer, into=org("D1.X2.C1"),
                                            effective_on=LATER),
        lambda: services.dissolve_organization(school[1], actor=organizer, effective_on=LATER),
    ]:
        assert_refused(change, None, PermissionDenied)


# A property: random reorganizations against a plain model ---------------------------------------

SMALL_TREE = [  # code, kind, parent code
    ("P", "provincial", None),
    ("H1", "district", "P"), ("H2", "district", "P"), ("K", "bloc", "P"),
    ("X1", "grassroots_committee", "H1"), ("X2", "grassroots_committee", "H1"),
    ("X3", "grassroots_committee", "H2"), ("G", "grassroots_cell", "K"),
    ("B1", "partial_committee", "X1"),
    ("C1", "cell", "X1"), ("C2", "cell", "B1"), ("C3", "cell", "X2"), ("C4", "cell", "X3"),
]
CODES = [code for code, _kind, _parent in SMALL_TREE]
SAME_NAME = object()
START = D(2000, 1, 1)


@dataclass
class TreeModel:
    """The tree as plain dictionaries: organizations that exist now, their parents and names."""

    kind: dict[str, str]
    parent: dict[str, str | None]
    name: dict[str, str]
    ended: dict[str, date] = field(default_factory=dict)

    def below(self, code: str) -> set[str]:
        """`code` and its descendants."""
        found = {code}
        for other in self.parent:
            chain = other
            while chain is not None and chain not in found:
                chain = self.parent[chain]
            if chain is not None:
                found.add(other)
        return found

    def path(self, code: str, ids: dict[str, int]) -> str:
        parts = []
        while code is not None:
            parts.append(f"{ids[code]}/")
            code = self.parent[code]
        return "".join(reversed(parts))

    def children(self, code: str) -> list[str]:
        return [c for c, p in self.parent.items() if p == code]

    def fits(self, kind: str, parent: str) -> bool:
        return self.kind[parent] in ALLOWED_PARENT_KINDS[kind]

    def refusal(self, op, code, other, new_name) -> str | None:
        """The code of the error the service must refuse the change with, or None."""
        alive = self.parent
        if op == "rename" and not new_name.strip():
            return "rule"  # checked before anything is read
        if code not in alive:
            return "not_active"
        if op == "move":
            if other not in alive:
                return "parent_not_active"
            if self.parent[code] == other:
                return "same_parent"
            if other in self.below(code):
                return "cycle"
            return None if self.fits(self.kind[code], other) else "kind"
        if op == "rename":
            return "rule" if new_name.strip() == self.name[code] else None
        if op == "dissolve":
            return "not_empty" if self.children(code) else None
        # merge
        if other == code:
            return "cycle"
        if other not in alive:
            return "parent_not_active"
        if other in self.below(code):
            return "cycle"
        return None if other in self.merge_targets(code) else "kind"

    def move_targets(self, code: str) -> list[str]:
        """Where `code` can move: under a kind it fits, not its parent, not below itself."""
        below = self.below(code)
        return [c for c in self.parent if self.fits(self.kind[code], c)
                and c != self.parent[code] and c not in below]

    def merge_targets(self, code: str) -> list[str]:
        """What `code` can merge into: a cell into a cell, a committee into its own kind, not
        below itself, where its children fit."""
        kind, below = self.kind[code], self.below(code)
        return [c for c in self.parent if c not in below
                and (self.kind[c] in MEMBER_HOLDING_KINDS if kind in MEMBER_HOLDING_KINDS
                     else self.kind[c] == kind)
                and all(self.fits(self.kind[child], c) for child in self.children(code))]

    def subject(self, op: str, pick: int, anywhere: bool) -> str:
        """The organization to change: mostly one that exists and can take the change (for a
        move or a merge, one with somewhere to go); sometimes (`anywhere`) any, ended too."""
        targets = {"move": self.move_targets, "merge": self.merge_targets}.get(op)
        able = sorted(c for c in self.parent if targets is None or targets(c))
        if able and not anywhere:
            return able[pick % len(able)]
        return CODES[pick % len(CODES)]

    def target(self, op: str, code: str, pick: int, anywhere: bool) -> str:
        """A parent for a move, or an organization to merge into: one the change can go to, or
        (`anywhere`) any, so that refusals are tried too."""
        if code in self.parent and not anywhere:
            fitting = self.move_targets(code) if op == "move" else self.merge_targets(code)
            if fitting:
                return sorted(fitting)[pick % len(fitting)]
        return CODES[pick % len(CODES)]

    def apply(self, op, code, other, new_name, day) -> None:
        if op == "move":
            self.parent[code] = other
        elif op == "rename":
            self.name[code] = new_name.strip()
        else:
            for child in self.children(code):
                self.parent[child] = other
            del self.parent[code]
            self.ended[code] = day


@pytest.fixture
def small_tree(db) -> dict[str, int]:
    """Code -> id of a small tree with every kind, established 01/01/1990. Built once for the
    property test: each example rolls its changes back to it."""
    ids: dict[str, int] = {}
    for code, kind, parent in SMALL_TREE:
        parent_org = Organization.objects.get(pk=ids[parent]) if parent else None
        ids[code] = make_org(code, f"Tổ chức {code}", kind, parent_org).pk
    return ids


def check_tree_on(day: date, model: TreeModel, ids: dict[str, int], subtrees=True) -> None:
    """The database's tree on `day` is the model's: parents, names, paths and subtrees."""
    codes = {pk: code for code, pk in ids.items()}
    periods = list(OrgPeriod.objects.as_of(day))
    got = {codes[p.organization_id]: (codes.get(p.parent_id), p.name) for p in periods}
    assert len(got) == len(periods), f"two periods of one organization on {day}"
    assert got == {c: (model.parent[c], model.name[c]) for c in model.parent}, day
    for p in periods:
        code = codes[p.organization_id]
        assert p.path == model.path(code, ids), (day, code)
        assert p.depth == p.path.count("/") - 1
        if not subtrees:
            continue
        subtree = OrgPeriod.objects.as_of(day).in_subtree(p.path)
        assert {codes[i] for i in subtree.values_list("organization_id", flat=True)} == \
            model.below(code), (day, code)


def check_latest(model: TreeModel, ids: dict[str, int], merged: dict[str, str]) -> None:
    """Organization rows carry their latest period and their end; a merged organization's row
    is placed under its successor's, so that whoever holds the successor reads its history."""
    for code, pk in ids.items():
        row = Organization.objects.get(pk=pk)
        last = OrgPeriod.objects.filter(organization_id=pk).order_by("valid_from").last()
        assert (row.name, row.parent_id) == (last.name, last.parent_id), code
        if code in merged:
            successor = Organization.objects.get(pk=ids[merged[code]])
            assert (row.path, row.depth) == (f"{successor.path}{pk}/", successor.depth + 1), code
        else:
            assert (row.path, row.depth) == (last.path, last.depth), code
        assert row.ended_on == model.ended.get(code), code
        assert row.merged_into_id == (ids[merged[code]] if code in merged else None), code


operations = st.lists(
    st.tuples(
        st.sampled_from([0, 0, 1, 45, 400]),  # days after the previous change; 0 = same day
        st.sampled_from(["move", "move", "rename", "merge", "merge", "merge", "dissolve"]),
        st.integers(0, 40),  # which organization (see TreeModel.subject)
        st.integers(0, 40),  # which target (see TreeModel.target)
        st.sampled_from([False, False, False, True]),  # any organization and target
        st.sampled_from(["", " ", "Tên mới", " Tên khác ", SAME_NAME]),
    ),
    min_size=3, max_size=10,
)


@settings(max_examples=examples(30),
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=operations, probes=st.lists(st.integers(0, 4000), max_size=3))
def test_random_reorganizations_match_a_plain_model(small_tree, monkeypatch, ops, probes):
    monkeypatch.setattr(services, "OCCUPANCY_CHECKS", [])
    ids = small_tree
    with transaction.atomic():
        model = TreeModel(kind={c: k for c, k, _p in SMALL_TREE},
                          parent={c: p for c, _k, p in SMALL_TREE},
                          name={c: f"Tổ chức {c}" for c in CODES})
        nothing_yet = TreeModel(kind=model.kind, parent={}, name={})
        history = [(D.min, nothing_yet), (FOUNDED, copy.deepcopy(model))]
        merged: dict[str, str] = {}
        day = START
        for gap, op, which, pick, anywhere, new_name in ops:
            day += timedelta(days=gap)
            code = model.subject(op, which, anywhere)
            other = model.target(op, code, pick, anywhere)
            if new_name is SAME_NAME:
                new_name = model.name.get(code, "Tên mới")
            refusal = model.refusal(op, code, other, new_name)
            before = db_state()
            try:
                services.reorganize(
                    Organization.objects.get(pk=ids[code]), actor=SYSTEM, change=op,
                    effective_on=day, new_parent=Organization.objects.get(pk=ids[other]),
                    into=Organization.objects.get(pk=ids[other]), new_name=new_name)
            except RuleViolation as refused:
                assert refused.code == refusal, (op, code, other, new_name, day,
                                                 refused.messages)
                assert db_state() == before
                event(f"{op} refused ({refusal})")
                continue
            assert refusal is None, (op, code, other, new_name, day)
            event(f"{op} accepted")
            model.apply(op, code, other, new_name, day)
            if op == "merge":
                merged[code] = other
            history.append((day, copy.deepcopy(model)))

        def model_on(when: date) -> TreeModel:
            return [m for start, m in history if start <= when][-1]

        # Subtrees (a query per organization) on the days of the changes and random days;
        # parents, names and paths also on the eve of each change, where periods end.
        days = {FOUNDED, day + timedelta(days=1)} | {start for start, _m in history[2:]}
        days |= {START + timedelta(days=n) for n in probes}
        eves = {start - timedelta(days=1) for start, _m in history[1:]} - days
        for when in sorted(days | eves):
            check_tree_on(when, model_on(when), ids, subtrees=when in days)
        check_latest(model, ids, merged)
        transaction.set_rollback(True)
