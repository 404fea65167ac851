"""The demo province tree (pure data; no Django, no database)."""

import time
from collections import Counter
from datetime import date

import pytest
from vietnam_provinces import ProvinceCode, Ward, legacy

from chibo.organizations.demo_tree import DemoTree, build_tuyen_quang

ALLOWED_PARENT_KINDS = {
    "provincial": set(),
    "district": {"provincial"},
    "bloc": {"provincial"},
    "grassroots_committee": {"provincial", "district", "bloc"},
    "grassroots_cell": {"provincial", "district", "bloc"},
    "partial_committee": {"grassroots_committee"},
    "cell": {"grassroots_committee", "partial_committee"},
}
MEMBER_HOLDING = {"cell", "grassroots_cell"}
SECTORS = {
    "commune", "ward", "town", "agency", "public_service_unit", "state_enterprise",
    "non_state_enterprise", "army", "police", "other",
}
COMMUNE_COUNTS = {
    "Đảng bộ thành phố Tuyên Quang": 15, "Đảng bộ huyện Lâm Bình": 10,
    "Đảng bộ huyện Na Hang": 12, "Đảng bộ huyện Chiêm Hóa": 24, "Đảng bộ huyện Hàm Yên": 18,
    "Đảng bộ huyện Yên Sơn": 28, "Đảng bộ huyện Sơn Dương": 30,
}
REFORM_DATE = date(2025, 7, 1)


@pytest.fixture(scope="module")
def tree() -> DemoTree:
    return build_tuyen_quang()


def by_code(tree: DemoTree) -> dict:
    return {o.code: o for o in tree.organizations}


def communes(tree: DemoTree) -> list:
    return [o for o in tree.organizations if o.legacy_code]


def test_same_seed_gives_the_same_tree(tree):
    assert build_tuyen_quang(2025) == tree
    assert build_tuyen_quang(7) == build_tuyen_quang(7)


def test_another_seed_gives_other_village_names(tree):
    other = build_tuyen_quang(7)
    assert [v.name for v in other.villages] != [v.name for v in tree.villages]
    assert len(other.villages) == len(tree.villages) == 1733


def test_districts_and_their_real_communes(tree):
    orgs = by_code(tree)
    districts = [o for o in tree.organizations if o.kind == "district"]
    assert len(districts) == 7
    counted = Counter(orgs[c.parent_code].name for c in communes(tree))
    assert counted == COMMUNE_COUNTS
    # Same as the package, commune by commune.
    old = list(legacy.Ward.iter_by_province(legacy.ProvinceCode.P_08))
    assert sorted(int(c.legacy_code) for c in communes(tree)) == sorted(w.code.value for w in old)
    types = {str(w.code.value): w.division_type.value for w in old}
    sector_of = {"xã": "commune", "phường": "ward", "thị trấn": "town"}
    for commune in communes(tree):
        assert commune.kind == "grassroots_committee"
        assert commune.sector == sector_of[types[commune.legacy_code]]
        assert commune.name.startswith(f"Đảng bộ {types[commune.legacy_code]} ")


def test_villages_each_with_exactly_one_cell(tree):
    assert len(tree.villages) == 1733
    orgs = by_code(tree)
    cells = Counter(o.village_code for o in tree.organizations if o.village_code)
    assert set(cells) == {v.code for v in tree.villages}
    assert set(cells.values()) == {1}
    for org in tree.organizations:
        if org.village_code:
            assert org.kind == "cell"
            assert org.code.startswith(org.parent_code + ".C")
    per_commune = Counter(v.commune_code for v in tree.villages)
    for village in tree.villages:
        commune = orgs[village.commune_code]
        assert commune.legacy_code
        expected = "village" if commune.sector == "commune" else "residential_group"
        assert village.kind == expected
        assert village.code.startswith(village.commune_code + ".V")
    for code, count in per_commune.items():
        low, high = (8, 20) if orgs[code].sector == "commune" else (8, 25)
        assert low <= count <= high
    assert set(per_commune) == {c.code for c in communes(tree)}
    names = Counter((v.commune_code, v.name) for v in tree.villages)
    assert max(names.values()) == 1


def test_codes_unique_and_parents_first(tree):
    codes = [o.code for o in tree.organizations]
    assert len(codes) == len(set(codes))
    village_codes = [v.code for v in tree.villages]
    assert len(village_codes) == len(set(village_codes))
    seen = set()
    for org in tree.organizations:
        assert org.parent_code == "" or org.parent_code in seen
        assert org.code.startswith(org.parent_code)
        seen.add(org.code)


def test_kinds_sectors_and_dates_fit_the_parents(tree):
    orgs = by_code(tree)
    roots = [o for o in tree.organizations if not o.parent_code]
    assert [r.code for r in roots] == ["TQ"]
    for org in tree.organizations:
        if org.kind.startswith("grassroots_"):
            assert org.sector in SECTORS
        else:
            assert org.sector == ""
        assert org.established_on < REFORM_DATE
        if org.parent_code:
            parent = orgs[org.parent_code]
            assert parent.kind in ALLOWED_PARENT_KINDS[org.kind], org.code
            assert org.established_on >= parent.established_on, org.code
    kinds = Counter(o.kind for o in tree.organizations)
    assert kinds["bloc"] == 4 and kinds["partial_committee"] >= 2
    assert kinds["grassroots_cell"] > 0
    assert {o.sector for o in tree.organizations if o.kind.startswith("grassroots_")} >= (
        SECTORS - {"other"}
    )


def replay(tree: DemoTree) -> dict:
    """Apply the reform to an in-memory tree, checking every change as the services would."""
    state = {
        o.code: {"kind": o.kind, "parent": o.parent_code, "name": o.name, "active": True,
                 "merged_into": "", "legacy": o.legacy_code}
        for o in tree.organizations
    }

    def children(code):
        return [c for c, o in state.items() if o["active"] and o["parent"] == code]

    def in_subtree(code, root):
        while code:
            if code == root:
                return True
            code = state[code]["parent"]
        return False

    for change in tree.reform:
        assert change.effective_on == REFORM_DATE
        org = state[change.org_code]
        assert org["active"], change
        if change.change == "move":
            parent = state[change.new_parent_code]
            assert parent["active"] and change.new_parent_code != org["parent"], change
            assert parent["kind"] in ALLOWED_PARENT_KINDS[org["kind"]], change
            assert not in_subtree(change.new_parent_code, change.org_code), change
            org["parent"] = change.new_parent_code
        elif change.change == "rename":
            assert change.new_name and change.new_name != org["name"], change
            org["name"] = change.new_name
        elif change.change == "merge":
            into = state[change.into_code]
            assert into["active"] and change.into_code != change.org_code, change
            assert not in_subtree(change.into_code, change.org_code), change
            assert org["kind"] not in MEMBER_HOLDING or into["kind"] in MEMBER_HOLDING
            for child in children(change.org_code):
                assert into["kind"] in ALLOWED_PARENT_KINDS[state[child]["kind"]], change
                state[child]["parent"] = change.into_code
            org["active"], org["merged_into"] = False, change.into_code
        elif change.change == "dissolve":
            assert children(change.org_code) == [], change
            org["active"] = False
        else:
            pytest.fail(f"unknown change {change}")
        assert change.decision_no
    return state


def test_reform_replays_and_leaves_one_committee_per_new_unit(tree):
    state = replay(tree)
    assert not [c for c, o in state.items() if o["active"] and o["kind"] == "district"]
    remaining = {c: o for c, o in state.items() if o["active"] and o["legacy"]}
    assert all(o["parent"] == "TQ" for o in remaining.values())
    ours = {c.legacy_code for c in communes(tree)}
    new_units = [
        w for w in Ward.iter_by_province(ProvinceCode.P_08)
        if any(str(s.code.value) in ours for s in w.get_legacy_sources())
    ]
    assert len(new_units) == 51
    assert len(remaining) == len(new_units)
    expected_names = {f"Đảng bộ {w.division_type.value} {w.name.split(' ', 1)[1]}"
                      for w in new_units}
    assert {o["name"] for o in remaining.values()} == expected_names
    # Every village's commune leads, through merges, to a remaining commune committee.
    for village in tree.villages:
        code = village.commune_code
        while not state[code]["active"]:
            code = state[code]["merged_into"]
        assert code in remaining
    # Every cell is still active, under an active organization.
    for code, org in state.items():
        if org["kind"] == "cell":
            assert org["active"] and state[org["parent"]]["active"], code


def test_reform_change_counts(tree):
    kinds = Counter(c.change for c in tree.reform)
    assert kinds["merge"] == 137 - 51
    assert kinds["dissolve"] == 14  # 7 districts and their 7 agency committees
    assert all(c.change in {"move", "rename", "merge", "dissolve"} for c in tree.reform)


def test_build_is_fast(tree):
    start = time.perf_counter()
    build_tuyen_quang(11)
    assert time.perf_counter() - start < 0.5
