"""The demo members, their histories and posts (pure data; no Django, no database)."""

import hashlib
import os
import subprocess
import sys
import time
from collections import Counter, defaultdict
from datetime import date, timedelta

import pytest

from chibo.members.demo_people import (
    EVENT_COLUMNS,
    MEMBER_COLUMNS,
    POSITION_COLUMNS,
    TODAY,
    People,
    build_people,
    small_codes,
    subset_tree,
)
from chibo.members.findings import JUDGED_EVENTS, PROBATION, READMISSION, Facts, breaches
from chibo.members.lifecycle import Event, LifecycleError, Rules, Start, Timeline, replay
from chibo.organizations.demo_tree import DemoTree, build_tuyen_quang

CELL_KINDS = {"cell", "grassroots_cell"}
PARTY_POSTS = {"secretary", "deputy_secretary", "standing_member", "committee_member"}
VILLAGE_POSTS = {"village_head", "front_work_head"}
ENDINGS = {"remove", "expel", "leave", "die", "not_recognized"}
BUNDLE_MEMBER_KEYS = {
    "member_code", "full_name", "gender", "birth_date", "ethnicity", "religion", "national_id",
    "phone", "email", "hometown", "residence", "occupation", "card_number", "general_education",
    "professional_level", "theory_level", "admitted_on", "official_on", "org_code", "org_since",
}
PROFESSIONAL = {"none", "vocational", "intermediate", "college", "university", "master", "doctor"}
THEORY = {"none", "elementary", "intermediate", "advanced"}
PROVINCE_SECONDS = 30


# ---------------------------------------------------------------- fixtures and helpers


@pytest.fixture(scope="module")
def tree() -> DemoTree:
    return build_tuyen_quang()


@pytest.fixture(scope="module")
def small_tree(tree) -> DemoTree:
    return subset_tree(tree, small_codes(tree))


@pytest.fixture(scope="module")
def small(tree) -> People:
    return build_people(tree, 11, "small")


@pytest.fixture(scope="module")
def province_tree(tree) -> DemoTree:
    return tree


@pytest.fixture(scope="module")
def timed_province(tree) -> tuple[People, float]:
    started = time.process_time()
    people = build_people(tree, 11)
    return people, time.process_time() - started


@pytest.fixture(scope="module")
def province(timed_province) -> People:
    return timed_province[0]


class Org:
    """What the tree says about an organization: kind, dates, parent before the reform."""

    def __init__(self, tree: DemoTree):
        self.orgs = {o.code: o for o in tree.organizations}
        self.ends = {}
        for change in tree.reform:
            if change.change in ("merge", "dissolve"):
                self.ends.setdefault(change.org_code, change.effective_on)
        self.villages = {v.code: v for v in tree.villages}

    def exists(self, code: str, day: date) -> bool:
        org = self.orgs.get(code)
        return org is not None and org.established_on <= day and (
            code not in self.ends or day < self.ends[code])

    def cell_exists(self, code, day: date) -> bool:
        return self.exists(code, day) and self.orgs[code].kind in CELL_KINDS


def rules(tree: DemoTree) -> Rules:
    return Rules(cell_exists=Org(tree).cell_exists)


def statutory_breaches(m: dict, history: list[Event]) -> list:
    """The member's breaches of the probation and readmission rules (chibo.members.findings);
    the demo admits by completed years, so the admission age by month is not asked."""
    ordered = sorted(enumerate(history), key=lambda pair: pair[1].effective_on)
    facts = Facts(m["birth_date"], m["admitted_on"], m["official_on"], "",
                  tuple((e.kind, e.effective_on) for _i, e in ordered if e.kind in JUDGED_EVENTS))
    return [b for b in breaches(facts) if b.key in (PROBATION, READMISSION)]


def events_by_member(people: People) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = defaultdict(list)
    for row in people.events:
        out[row["member_code"]].append(row)
    return out


def replay_all(people: People, tree: DemoTree) -> dict[str, Timeline]:
    """Every member through chibo.members.lifecycle; fails on the first impossible history."""
    the_rules = rules(tree)
    events = events_by_member(people)
    timelines, errors = {}, []
    for m in people.members:
        start = Start(m["admitted_on"], m["org_code"], m["official_on"], m["org_since"])
        history = [Event(e["event"], e["effective_on"], e["org_code"])
                   for e in events.get(m["member_code"], ())]
        try:
            timelines[m["member_code"]] = replay(start, history, the_rules)
        except LifecycleError as error:
            errors.append((m["member_code"], error.message, error.index, error.field))
        errors += [(m["member_code"], b.detail) for b in statutory_breaches(m, history)]
    assert not errors, errors[:10]
    return timelines


@pytest.fixture(scope="module")
def small_timelines(small, small_tree) -> dict[str, Timeline]:
    return replay_all(small, small_tree)


@pytest.fixture(scope="module")
def province_timelines(province, tree) -> dict[str, Timeline]:
    return replay_all(province, tree)


def segment_on(timeline: Timeline, day: date):
    for segment in timeline.segments:
        if segment.start <= day < segment.end:
            return segment
    return None


def active_today(people: People, timelines) -> list[tuple[dict, object]]:
    out = []
    for m in people.members:
        segment = segment_on(timelines[m["member_code"]], TODAY)
        if segment is not None:
            out.append((m, segment))
    return out


def age(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def share(items, predicate) -> float:
    items = list(items)
    return sum(1 for item in items if predicate(item)) / len(items)


def digest(people: People) -> str:
    text = repr((people.members, people.events, people.positions))
    return hashlib.sha256(text.encode()).hexdigest()


# ---------------------------------------------------------------- reproducibility and sizes


def test_same_seed_gives_the_same_rows(tree, small):
    again = build_people(tree, 11, "small")
    assert again == small


def test_another_seed_gives_other_rows(tree, small):
    other = build_people(tree, 12, "small")
    assert [m["full_name"] for m in other.members] != [m["full_name"] for m in small.members]
    assert other.positions != small.positions


def test_rows_do_not_depend_on_the_hash_seed(small):
    """No iteration over sets: another interpreter with another hash seed gives the same rows."""
    script = (
        "import hashlib\n"
        "from chibo.organizations.demo_tree import build_tuyen_quang\n"
        "from chibo.members.demo_people import build_people\n"
        "p = build_people(build_tuyen_quang(), 11, 'small')\n"
        "print(hashlib.sha256(repr((p.members, p.events, p.positions)).encode()).hexdigest())\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                         text=True, check=True, cwd=os.path.dirname(os.path.dirname(__file__)))
    assert out.stdout.strip() == digest(small)


def test_small_size_and_its_organizations(tree, small, small_timelines):
    assert 1800 <= len(small.members) <= 2200
    codes = small_codes(tree)
    assert {"TQ", "TQ.SD", "TQ.CQ", "TQ.DN", "TQ.QS", "TQ.CA"} <= codes
    assert not any(code.startswith(("TQ.TP", "TQ.YS", "TQ.LB")) for code in codes)
    for timeline in small_timelines.values():
        assert {segment.org for segment in timeline.segments} <= codes
    assert {p["org_code"] for p in small.positions if p["org_code"]} <= codes
    assert {m["org_code"] for m in small.members} <= codes


def test_province_size_and_time(timed_province, province_timelines):
    people, seconds = timed_province
    assert seconds < PROVINCE_SECONDS
    assert 63_000 <= len(people.members) <= 77_000
    active = active_today(people, province_timelines)
    assert 65_000 <= len(active) <= 70_000


def test_codes_restrict_where_members_are(tree):
    codes = {o.code for o in tree.organizations if o.code in ("TQ", "TQ.NH") or
             o.code.startswith("TQ.NH.")}
    people = build_people(tree, 3, codes=codes, target=600)
    assert 540 <= len(people.members) <= 660
    assert {m["org_code"] for m in people.members} <= codes
    assert {e["org_code"] for e in people.events if e["org_code"]} <= codes
    assert {p["org_code"] for p in people.positions if p["org_code"]} <= codes


# ---------------------------------------------------------------- rows


@pytest.mark.parametrize("which", ["small", "province"])
def test_columns_and_values(which, request):
    people = request.getfixturevalue(which)
    for m in people.members:
        assert tuple(m) == MEMBER_COLUMNS
        assert m["gender"] in ("male", "female")
        assert m["professional_level"] in PROFESSIONAL
        assert m["theory_level"] in THEORY
        assert m["general_education"] and "/" in m["general_education"]
        assert len(m["full_name"].split()) >= 3
    assert set(MEMBER_COLUMNS) == BUNDLE_MEMBER_KEYS
    assert all(tuple(e) == EVENT_COLUMNS for e in people.events)
    assert all(tuple(p) == POSITION_COLUMNS for p in people.positions)


@pytest.mark.parametrize("which", ["small", "province"])
def test_codes_ids_and_cards(which, request):
    people = request.getfixturevalue(which)
    codes = [m["member_code"] for m in people.members]
    assert len(set(codes)) == len(codes)
    assert all(len(c) == 8 and c.startswith("TQ") and c[2:].isdigit() for c in codes)
    assert codes == sorted(codes)
    admitted = [m["admitted_on"] for m in people.members]
    assert admitted == sorted(admitted)  # record numbers follow admission order
    ids = [m["national_id"] for m in people.members if m["national_id"]]
    assert len(ids) == len(set(ids))
    assert share(people.members, lambda m: m["national_id"]) > 0.8
    for m in people.members:
        nid = m["national_id"]
        if nid:
            assert len(nid) == 12 and nid.isdigit() and nid.startswith("008")
            female = m["gender"] == "female"
            assert int(nid[3]) == (2 if m["birth_date"].year >= 2000 else 0) + female
            assert nid[4:6] == f"{m['birth_date'].year % 100:02d}"
    cards = [m["card_number"] for m in people.members if m["card_number"]]
    assert len(cards) == len(set(cards))


# ---------------------------------------------------------------- histories


@pytest.mark.parametrize("which", ["small_timelines", "province_timelines"])
def test_every_member_replays_under_the_statutory_rules(which, request):
    assert request.getfixturevalue(which)  # replay_all asserts there is no error


@pytest.mark.parametrize("which", ["small", "province"])
def test_only_cells_hold_members(which, request):
    tree = request.getfixturevalue(f"{which}_tree")
    people = request.getfixturevalue(which)
    orgs = Org(tree).orgs
    assert {orgs[m["org_code"]].kind for m in people.members} <= CELL_KINDS
    targets = {e["org_code"] for e in people.events if e["event"] in ("transfer", "readmit")}
    assert {orgs[code].kind for code in targets} <= CELL_KINDS
    for e in people.events:
        assert (e["org_code"] is not None) == (e["event"] in ("transfer", "readmit"))


@pytest.mark.parametrize("which", ["small", "province"])
def test_admitted_between_18_and_60_and_readmitted_once(which, request):
    people = request.getfixturevalue(which)
    births = {m["member_code"]: m["birth_date"] for m in people.members}
    for m in people.members:
        assert 18 <= age(m["birth_date"], m["admitted_on"]) <= 60
        assert m["admitted_on"] >= date(1960, 1, 1)
        if m["org_since"] is not None:
            assert m["org_since"] > m["admitted_on"]
        if m["official_on"] is not None:
            assert m["official_on"] <= TODAY
    readmits = Counter(e["member_code"] for e in people.events if e["event"] == "readmit")
    assert set(readmits.values()) <= {1}
    for e in people.events:
        assert e["effective_on"] <= TODAY
        if e["event"] == "readmit":
            assert 18 <= age(births[e["member_code"]], e["effective_on"]) <= 60


def test_histories_have_every_kind_of_event(province):
    kinds = Counter(e["event"] for e in province.events)
    assert set(kinds) == {"official", "transfer", "transfer_out", "exempt", "exempt_end",
                          "remove", "expel", "leave", "die", "not_recognized", "readmit"}
    assert kinds["die"] > kinds["remove"] > kinds["expel"]
    assert kinds["transfer"] > 3000
    assert share(province.members, lambda m: m["org_since"] is not None) > 0.05
    # some come back after a transfer out of the province
    events = events_by_member(province)
    back = [code for code, rows in events.items()
            if [r["event"] for r in rows if r["event"] in ("transfer_out", "transfer")][:2]
            == ["transfer_out", "transfer"]]
    assert len(back) > 50
    # recognition 12–14 months after admission for most
    gaps = [(m["official_on"] - m["admitted_on"]).days for m in province.members
            if m["official_on"] and m["org_since"] is None]
    assert share(gaps, lambda g: 365 <= g <= 366 + 62) > 0.95


def test_deaths_are_mostly_of_old_members(province):
    births = {m["member_code"]: m["birth_date"] for m in province.members}
    deaths = [age(births[e["member_code"]], e["effective_on"]) for e in province.events
              if e["event"] == "die"]
    assert share(deaths, lambda a: a >= 65) > 0.7


def test_admissions_every_year(province):
    """In-tree admissions (members.csv rows admitted here, and readmissions) per year."""
    per_year = Counter(m["admitted_on"].year for m in province.members
                       if m["org_since"] is None)
    per_year.update(e["effective_on"].year for e in province.events if e["event"] == "readmit")
    assert all(per_year[year] > 300 for year in range(1993, 2026))
    for year in range(2020, 2026):
        assert 1500 <= per_year[year] <= 3300, (year, per_year[year])
    assert min(m["admitted_on"] for m in province.members) < date(1975, 1, 1)


# ---------------------------------------------------------------- the province today


def test_distributions_of_active_members(province, province_timelines):
    active = active_today(province, province_timelines)
    members = [m for m, _ in active]
    assert 0.35 <= share(members, lambda m: m["gender"] == "female") <= 0.45
    assert 0.48 <= share(members, lambda m: m["ethnicity"] != "Kinh") <= 0.62
    assert 0.25 <= share(members, lambda m: age(m["birth_date"], TODAY) >= 61) <= 0.35
    assert 0.08 <= share(members, lambda m: age(m["birth_date"], TODAY) <= 30) <= 0.20
    assert 0.08 <= share(active, lambda pair: pair[1].exempt) <= 0.12
    assert 0.01 <= share(active, lambda pair: pair[1].status == "probationary") <= 0.06
    assert 0.01 <= share(members, lambda m: m["religion"]) <= 0.05
    groups = Counter(m["ethnicity"] for m in members)
    assert 0.38 <= groups["Kinh"] / len(members) <= 0.52
    assert 0.20 <= groups["Tày"] / len(members) <= 0.30
    assert 0.07 <= groups["Dao"] / len(members) <= 0.14
    assert {"Sán Chay", "H'Mông", "Nùng", "Sán Dìu", "Hoa"} <= set(groups)
    assert 0.8 <= share(members, lambda m: m["general_education"] in ("12/12", "10/10")) <= 0.97


def test_minorities_by_district(province, province_timelines):
    active = active_today(province, province_timelines)
    by_district: dict[str, list] = defaultdict(list)
    for m, segment in active:
        by_district[segment.org.split(".")[1]].append(m)
    remote = by_district["LB"] + by_district["NH"]
    assert share(remote, lambda m: m["ethnicity"] != "Kinh") > 0.8
    assert share(by_district["SD"], lambda m: m["ethnicity"] != "Kinh") < 0.55
    assert share(remote, lambda m: m["ethnicity"] in ("H'Mông", "Dao")) > 0.25


def test_professional_levels_follow_the_sector(province, province_timelines, tree):
    orgs = Org(tree).orgs
    active = active_today(province, province_timelines)
    agency = [m for m, s in active if s.org.startswith("TQ.CQ.")]
    village = [m for m, s in active if orgs[s.org].village_code]
    university = ("university", "master", "doctor")
    assert share(agency, lambda m: m["professional_level"] in university) > 0.7
    assert share(village, lambda m: m["professional_level"] in university) < 0.35
    assert share(village, lambda m: m["theory_level"] == "none") > 0.3


def cell_sizes(people, timelines) -> Counter:
    return Counter(segment.org for _, segment in active_today(people, timelines))


def test_cell_sizes(province, province_timelines, tree):
    sizes = cell_sizes(province, province_timelines)
    orgs = Org(tree)
    cells = [o for o in tree.organizations if o.kind in CELL_KINDS and orgs.exists(o.code, TODAY)]
    assert all(sizes[o.code] >= 3 for o in cells)
    village = [sizes[o.code] for o in cells if o.village_code]
    assert len(village) == 1733
    assert 0.15 <= share(village, lambda n: n < 7) <= 0.25
    assert max(village) <= 72
    assert share([n for n in village if n >= 7], lambda n: 10 <= n <= 60) > 0.9
    others = [sizes[o.code] for o in cells if not o.village_code]
    assert share(others, lambda n: 5 <= n <= 40) > 0.9


# ---------------------------------------------------------------- posts


def posts_on(people: People, day: date, role: str) -> list[dict]:
    return [p for p in people.positions if p["role"] == role and p["start_on"] <= day
            and (p["end_on"] is None or day <= p["end_on"])]


@pytest.mark.parametrize("which", ["small", "province"])
def test_one_secretary_at_a_time(which, request):
    people = request.getfixturevalue(which)
    by_org: dict[str, list] = defaultdict(list)
    for p in people.positions:
        if p["role"] == "secretary":
            by_org[p["org_code"]].append((p["start_on"], p["end_on"] or date.max))
    for org, spans in by_org.items():
        spans.sort()
        for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
            assert end < start, org


@pytest.mark.parametrize("which", ["small", "province"])
def test_posts_are_well_formed(which, request):
    tree = request.getfixturevalue(f"{which}_tree")
    people = request.getfixturevalue(which)
    orgs = Org(tree)
    admitted = {m["member_code"]: m["admitted_on"] for m in people.members}
    for p in people.positions:
        assert p["end_on"] is None or p["end_on"] >= p["start_on"]
        assert p["start_on"] <= TODAY
        assert p["start_on"] >= admitted[p["member_code"]]
        if p["role"] in PARTY_POSTS or p["role"] == "commune_official":
            assert p["org_code"] and not p["village_code"], p
            assert orgs.exists(p["org_code"], p["start_on"]), p
            last = p["end_on"] or TODAY
            assert orgs.exists(p["org_code"], last), p
            if p["role"] == "commune_official":
                assert orgs.orgs[p["org_code"]].kind == "grassroots_committee"
        else:
            assert p["role"] in VILLAGE_POSTS
            assert p["village_code"] in orgs.villages and not p["org_code"], p
    assert {p["role"] for p in people.positions} == PARTY_POSTS | VILLAGE_POSTS | {
        "commune_official"}


@pytest.mark.parametrize("which", ["small", "province"])
def test_post_holders_are_active_members(which, request):
    tree = request.getfixturevalue(f"{which}_tree")
    people = request.getfixturevalue(which)
    timelines = request.getfixturevalue(f"{which}_timelines")
    orgs = Org(tree).orgs
    for p in people.positions:
        timeline = timelines[p["member_code"]]
        for day in (p["start_on"], p["end_on"] or TODAY):
            segment = segment_on(timeline, day)
            assert segment is not None, p
            if p["role"] in PARTY_POSTS and orgs[p["org_code"]].kind in CELL_KINDS:
                assert segment.org == p["org_code"], p
            if p["role"] in ("secretary", "deputy_secretary"):
                assert segment.status == "official" and not segment.exempt, p


@pytest.mark.parametrize("which", ["small", "province"])
def test_every_cell_has_a_secretary_today(which, request):
    tree = request.getfixturevalue(f"{which}_tree")
    people = request.getfixturevalue(which)
    orgs = Org(tree)
    codes = {m["org_code"] for m in people.members} | {
        e["org_code"] for e in people.events if e["org_code"]}
    cells = [o.code for o in tree.organizations
             if o.kind in CELL_KINDS and o.code in codes and orgs.exists(o.code, TODAY)]
    secretaries = Counter(p["org_code"] for p in posts_on(people, TODAY, "secretary"))
    assert all(secretaries[code] == 1 for code in cells)
    deputies = {p["org_code"] for p in posts_on(people, TODAY, "deputy_secretary")}
    assert len(deputies & set(cells)) / len(cells) > 0.9


def test_terms_of_secretaries(province):
    starts = Counter(p["start_on"].year for p in province.positions if p["role"] == "secretary")
    for year in (2010, 2015, 2020, 2025):
        assert starts[year] > 300
    assert min(starts) >= 2010
    earliest = min(p["start_on"] for p in province.positions)
    assert earliest >= date(2010, 1, 1)


def test_communes_have_committees(province, tree):
    communes = [o.code for o in tree.organizations if o.kind == "grassroots_committee"
                and o.sector in ("commune", "ward", "town")]
    day = date(2024, 1, 1)
    for role, least in (("secretary", 1), ("deputy_secretary", 1), ("standing_member", 1),
                        ("committee_member", 5)):
        held = Counter(p["org_code"] for p in posts_on(province, day, role))
        assert sum(1 for code in communes if held[code] >= least) >= 0.95 * len(communes), role
    # after the reform, only the surviving communes have committees
    survivors = {c.org_code for c in tree.reform if c.change == "move"} & set(communes)
    today = {p["org_code"] for p in posts_on(province, TODAY, "secretary")} & set(communes)
    assert today <= survivors and len(today) >= 0.95 * len(survivors)


def test_village_cell_secretaries_and_village_posts(province, tree):
    """Calibrated on the article: 812 of 1,733 village-cell secretaries are village heads."""
    village_of = {o.code: o.village_code for o in tree.organizations if o.village_code}
    secretary = {p["org_code"]: p["member_code"] for p in posts_on(province, TODAY, "secretary")
                 if p["org_code"] in village_of}
    assert len(secretary) == 1733
    heads = {(p["village_code"], p["member_code"])
             for p in posts_on(province, TODAY, "village_head")}
    fronts = {(p["village_code"], p["member_code"])
              for p in posts_on(province, TODAY, "front_work_head")}
    both = share(secretary.items(), lambda kv: (village_of[kv[0]], kv[1]) in heads)
    assert 0.45 <= both <= 0.50
    front = share(secretary.items(), lambda kv: (village_of[kv[0]], kv[1]) in fronts)
    assert 0.20 <= front <= 0.30
    officials = {p["member_code"] for p in posts_on(province, TODAY, "commune_official")}
    deputies: dict[str, list[str]] = defaultdict(list)
    for p in posts_on(province, TODAY, "deputy_secretary"):
        deputies[p["org_code"]].append(p["member_code"])
    with_official = share(secretary, lambda c: any(d in officials for d in deputies[c]))
    assert 0.02 <= with_official <= 0.15
    # one village head at a time per village
    spans: dict[str, list] = defaultdict(list)
    for p in province.positions:
        if p["role"] == "village_head":
            spans[p["village_code"]].append((p["start_on"], p["end_on"] or date.max))
    for village, rows in spans.items():
        rows.sort()
        for (_, end), (start, _) in zip(rows, rows[1:], strict=False):
            assert end < start, village


def test_commune_officials_follow_the_reform(province, tree):
    reform = min(c.effective_on for c in tree.reform)
    merged = {c.org_code for c in tree.reform if c.change == "merge"}
    for p in province.positions:
        if p["role"] == "commune_official" and p["org_code"] in merged:
            assert p["end_on"] is not None and p["end_on"] < reform
    after = [p for p in province.positions if p["role"] == "commune_official"
             and p["start_on"] >= reform]
    assert after and {p["org_code"] for p in after}.isdisjoint(merged)
    assert reform - timedelta(days=1) in {p["end_on"] for p in province.positions}
