"""The member rules and the statistics, pinned on both sides of each boundary: the day before,
the day itself and the day after (or the value below, at and above), through the services and
through the bundle import alike.

- age bands of the statistics and the member list: completed years on the as-of day, so a
  birthday on that very day already counts (chibo/core/ages.py `age_q`, docs/statistics.md);
  the age at admission of the flows' breakdown (`admitted.upto_30`);
- the starting row of a member file (spec/BUNDLE.md, members.csv; chibo/members/lifecycle.py
  `start`): the arrival (`org_since`) and the official recognition cannot be before the
  admission; the same day can;
- the probation (RULES.md §1, 12 months; chibo/members/findings.py): a recognition one day
  short of 12 months is a finding, which a page refuses and an import keeps and lists;
- the events (lifecycle `event`): none before the member arrived; one recorded after a later
  one takes its place by date;
- party age (RULES.md §1 "Party age", lifecycle `party_age_days`): it stops on the day of death;
- the as-of day and the period's last day are included (spec/METRICS.md): a member admitted on
  the as-of day counts, one removed that day does not; a fact on the last day of a month that
  ends on the as-of day falls in the period.
"""

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest

from chibo.accounts.policy import SYSTEM
from chibo.core.exceptions import RuleViolation
from chibo.findings.queries import record_findings
from chibo.interchange.importer import import_bundle
from chibo.members import lifecycle, queries
from chibo.members import services as member_services
from chibo.members.findings import PROBATION
from chibo.members.models import Member
from chibo.organizations.models import Organization
from chibo.stats import engine
from chibo.stats.stocks import AGE_BANDS
from tests.conftest import FOUNDED, admit, build_world
from tests.test_bundle import BASE, row_counts, write_bundle

D = date
AS_OF = D(2026, 5, 15)
BANDS = [f"members.age.{band}" for band in AGE_BANDS]


def day_before(day: date) -> date:
    return date.fromordinal(day.toordinal() - 1)


def day_after(day: date) -> date:
    return date.fromordinal(day.toordinal() + 1)


# Members through a service or through the import ------------------------------------------------

@dataclass(frozen=True)
class NewMember:
    code: str
    birth_date: date = D(1980, 5, 17)
    admitted_on: date = D(2010, 3, 1)
    official_on: date | None = None
    org_since: date | None = None
    cell: str = "C1"


@dataclass(frozen=True)
class Refusal:
    column: str  # the service's field, the import's COLUMN
    message: str


@dataclass
class Via:
    """The same records through the services (`admit_member`, `record_event`) on the test
    province of conftest, or through one bundle on the base tree of test_bundle (cells founded
    1995-01-01). Cells are named C1 and C2, the root is `root`."""

    how: str
    tmp_path: Path
    cells: dict[str, str] = field(default_factory=dict)
    founded: date = FOUNDED  # the day the cells were founded

    def __post_init__(self):
        if self.how == "service":
            build_world()
            self.cells, self.root_code = {"C1": "D1.X1.C1", "C2": "D1.X1.C2"}, "TQ"
        else:
            self.cells, self.root_code = {"C1": "P.D.X.C1", "C2": "P.D.X.C2"}, "P"
            self.founded = D(1995, 1, 1)

    @property
    def root(self) -> Organization:
        return Organization.objects.get(code=self.root_code)

    def cell(self, name: str) -> Organization:
        return Organization.objects.get(code=self.cells[name])

    def add(self, members: list[NewMember], events=()) -> Refusal | None:
        """Add the members, then their events (code, kind, day, cell name or None); a refusal
        (nothing written) or None."""
        return (self._by_services if self.how == "service" else self._by_import)(members, events)

    def _by_services(self, members, events) -> Refusal | None:
        steps = [lambda m=m: admit(m.code, f"Người {m.code}", self.cell(m.cell),
                                   admitted_on=m.admitted_on, birth_date=m.birth_date,
                                   official_on=m.official_on, org_since=m.org_since)
                 for m in members]
        steps += [lambda e=e: member_services.record_event(
            Member.objects.get(member_code=e[0]), actor=SYSTEM, event=e[1], effective_on=e[2],
            org=self.cell(e[3]) if e[3] else None) for e in events]
        for step in steps:
            before = row_counts()
            try:
                step()
            except RuleViolation as error:
                assert row_counts() == before, "a refused change wrote something"
                return Refusal(error.field, " ".join(error.messages))
        return None

    def _by_import(self, members, events) -> Refusal | None:
        header = ("member_code,full_name,gender,birth_date,admitted_on,official_on,org_code,"
                  "org_since")
        rows = [f"{m.code},Người {m.code},male,{m.birth_date},{m.admitted_on},"
                f"{m.official_on or ''},{self.cells[m.cell]},{m.org_since or ''}" for m in members]
        event_rows = [f"{code},{kind},{day},{self.cells[cell] if cell else ''}"
                      for code, kind, day, cell in events]
        path = write_bundle(self.tmp_path / "b", {
            "members.csv": "\n".join([header, *rows]) + "\n",
            "member_events.csv": "\n".join(["member_code,event,effective_on,org_code",
                                            *event_rows]) + "\n",
            "positions.csv": BASE["positions.csv"].splitlines()[0] + "\n"})
        before = row_counts()
        result = import_bundle(path)
        if result.ok:
            return None
        assert row_counts() == before, "a refused import wrote something"
        assert len(result.errors) == 1, result.errors
        where, message = result.errors[0].split(": ", 1)
        return Refusal(where.rsplit(":", 1)[1], message)


@pytest.fixture(params=["service", "import"])
def via(request, db, tmp_path) -> Via:
    return Via(request.param, tmp_path)


def stats(org, as_of: date, keys, date_from: date | None = None) -> dict[str, int]:
    return engine.compute(org, engine.Request.parse(as_of, date_from, None, ",".join(keys)))


def child_stats(org, as_of: date, keys, date_from: date | None = None) -> dict[str, int]:
    """The per-child table's numbers (its own grouped reading), summed over the children."""
    rows = engine.compute_children(org, engine.Request.parse(as_of, date_from, None,
                                                             ",".join(keys)))
    return {key: sum(values[key] for _period, values in rows) for key in keys}


# Age bands ---------------------------------------------------------------------------------------

# (birth date, as-of day, the one band the member falls in): each edge of AGE_BANDS on the
# birthday that crosses it, the day before and the day after.
AGE_EDGES = [
    (D(1995, 5, 16), AS_OF, "upto_30"),  # 31 tomorrow
    (D(1995, 5, 15), AS_OF, "31_40"),  # 31 today
    (D(1995, 5, 14), AS_OF, "31_40"),
    (D(1985, 5, 16), AS_OF, "31_40"),  # 41 tomorrow
    (D(1985, 5, 15), AS_OF, "41_50"),
    (D(1975, 5, 16), AS_OF, "41_50"),  # 51 tomorrow
    (D(1975, 5, 15), AS_OF, "51_60"),
    (D(1965, 5, 16), AS_OF, "51_60"),  # 61 tomorrow
    (D(1965, 5, 15), AS_OF, "over_60"),  # 61 today
    (D(1965, 5, 14), AS_OF, "over_60"),
    # born on 29 February: the year completes on 1 March when there is no 29th
    (D(1996, 2, 29), D(2027, 2, 28), "upto_30"),
    (D(1996, 2, 29), D(2027, 3, 1), "31_40"),
    (D(1996, 2, 29), D(2028, 2, 29), "31_40"),
    # as of 29 February: 31 years before is 28 February of a year without a 29th
    (D(1997, 3, 1), D(2028, 2, 29), "upto_30"),
    (D(1997, 2, 28), D(2028, 2, 29), "31_40"),
]


@pytest.mark.parametrize(("birth", "as_of", "band"), AGE_EDGES)
def test_age_bands_count_completed_years_on_the_as_of_day(via, birth, as_of, band):
    assert via.add([NewMember("A1", birth_date=birth, admitted_on=D(2020, 1, 1))]) is None
    expected = {key: int(key == f"members.age.{band}") for key in BANDS}
    assert stats(via.root, as_of, BANDS) == expected
    assert child_stats(via.root, as_of, BANDS) == expected
    records = engine.records(via.root, engine.Request.parse(as_of, None, None, None),
                             f"members.age.{band}")
    assert [period.member.member_code for period in records] == ["A1"]


@pytest.mark.parametrize(("birth", "as_of", "band"), AGE_EDGES)
def test_the_member_list_filters_age_bands_as_the_statistics_do(via, birth, as_of, band):
    assert via.add([NewMember("A1", birth_date=birth, admitted_on=D(2020, 1, 1))]) is None
    chosen = [name for name in AGE_BANDS if queries.MemberFilter(age_band=name).apply(
        Member.objects.all(), as_of).exists()]
    assert chosen == [band]


@pytest.mark.parametrize(("admitted_on", "counted"), [
    (D(2026, 5, 14), True),  # 30 years old, the day before the 31st birthday
    (D(2026, 5, 15), False),  # 31 on the day of the admission
    (D(2026, 5, 16), False),
])
def test_admissions_up_to_30_count_the_age_on_the_admission_day(via, admitted_on, counted):
    assert via.add([NewMember("A1", birth_date=D(1995, 5, 15), admitted_on=admitted_on)]) is None
    keys = ["admitted", "admitted.upto_30"]
    expected = {"admitted": 1, "admitted.upto_30": int(counted)}
    assert stats(via.root, D(2026, 12, 31), keys) == expected
    assert child_stats(via.root, D(2026, 12, 31), keys) == expected


# The starting row ------------------------------------------------------------------------------

@pytest.mark.parametrize("offset", [-1, 0, 1])
def test_no_admission_into_a_cell_before_it_was_founded(via, offset):
    day = date.fromordinal(via.founded.toordinal() + offset)
    refusal = via.add([NewMember("A1", birth_date=D(1960, 1, 1), admitted_on=day)])
    if offset < 0:
        assert refusal.column == "org_code" and "không tồn tại" in refusal.message
        assert day.strftime("%d/%m/%Y") in refusal.message
    else:
        assert refusal is None
        assert Member.objects.get(member_code="A1").periods.get().valid_from == day


ADMITTED = D(2015, 6, 10)


@pytest.mark.parametrize(("org_since", "flow"), [
    (day_before(ADMITTED), None),  # refused
    (ADMITTED, "admitted"),
    (day_after(ADMITTED), "transferred_in"),  # admitted elsewhere, then arrived
])
def test_the_arrival_cannot_be_before_the_admission(via, org_since, flow):
    refusal = via.add([NewMember("A1", admitted_on=ADMITTED, org_since=org_since)])
    if flow is None:
        assert refusal.column == "org_since"
        assert "trước ngày kết nạp" in refusal.message and "09/06/2015" in refusal.message
        return
    assert refusal is None
    values = stats(via.root, D(2015, 12, 31), ["admitted", "transferred_in"])
    assert values == {"admitted": int(flow == "admitted"),
                      "transferred_in": int(flow == "transferred_in")}


def _probation_findings(via) -> list[str]:
    listed = record_findings(via.root, D(2026, 1, 1), [PROBATION])
    return [item.finding.record for item in listed]


@pytest.mark.parametrize(("official_on", "outcome"), [
    (day_before(ADMITTED), "error"),  # cannot have happened: refused everywhere
    (ADMITTED, "finding"),  # the same day: possible, but 12 months short
    (D(2016, 6, 9), "finding"),  # one day short of 12 months
    (D(2016, 6, 10), "fine"),  # 12 months to the day
    (D(2016, 6, 11), "fine"),
])
def test_official_recognition_is_not_before_the_admission_and_after_12_months(
        via, official_on, outcome):
    refusal = via.add([NewMember("A1", admitted_on=ADMITTED, official_on=official_on)])
    if outcome == "error":
        assert refusal.column == "official_on"
        assert "trước ngày kết nạp" in refusal.message
    elif outcome == "finding" and via.how == "service":
        # a page refuses it unless the decision that allowed it is recorded
        assert refusal.column == "official_on" and "12 tháng" in refusal.message
    elif outcome == "finding":
        # an import keeps it as history and the findings list it
        assert refusal is None and _probation_findings(via) == ["A1"]
    else:
        assert refusal is None and _probation_findings(via) == []
        assert Member.objects.get(member_code="A1").official_on == official_on


# Events --------------------------------------------------------------------------------------

ARRIVED = D(2012, 1, 1)


@pytest.mark.parametrize(("day", "refused"), [
    (day_before(ARRIVED), True), (ARRIVED, False), (day_after(ARRIVED), False)])
def test_no_event_before_the_member_arrived(via, day, refused):
    """Admitted elsewhere in 2010, arrived on 1/1/2012: the cell's file starts then."""
    member = NewMember("A1", admitted_on=D(2010, 3, 1), official_on=D(2011, 3, 1),
                       org_since=ARRIVED)
    refusal = via.add([member], [("A1", "exempt", day, None)])
    if refused:
        assert refusal.column == "effective_on"
        assert "31/12/2011" in refusal.message and "01/01/2012" in refusal.message
        return
    assert refusal is None
    assert Member.objects.get(member_code="A1").is_exempt


def test_an_event_recorded_after_a_later_one_takes_its_place_by_date(via):
    """Transferred to C2 on 1/1/2020, exempted on 1/6/2019 (recorded second): the exemption
    began in C1. An exemption recorded after the death, on a later day, is refused."""
    member = NewMember("A1", official_on=D(2011, 3, 1))
    assert via.add([member], [("A1", "transfer", D(2020, 1, 1), "C2"),
                              ("A1", "exempt", D(2019, 6, 1), None)]) is None
    periods = list(Member.objects.get(member_code="A1").periods.order_by("valid_from")
                   .values_list("org__code", "exempt", "valid_from"))
    assert periods == [(via.cells["C1"], False, D(2010, 3, 1)),
                       (via.cells["C1"], False, D(2011, 3, 1)),
                       (via.cells["C1"], True, D(2019, 6, 1)),
                       (via.cells["C2"], True, D(2020, 1, 1))]


@pytest.mark.parametrize(("order", "refused"), [(("exempt", "die"), False),
                                                 (("die", "exempt"), True)])
def test_events_of_one_day_apply_in_the_order_recorded(via, order, refused):
    member = NewMember("A1", official_on=D(2011, 3, 1))
    refusal = via.add([member], [("A1", kind, D(2024, 2, 1), None) for kind in order])
    if refused:
        assert refusal.column == "event" and "từ trần" in refusal.message
    else:
        assert refusal is None


# Party age -----------------------------------------------------------------------------------

DIED = D(2020, 1, 1)
PARTY_AGE_AT_DEATH = (DIED - D(2000, 1, 1)).days


@pytest.mark.parametrize(("day", "days"), [
    (day_before(DIED), PARTY_AGE_AT_DEATH - 1),
    (DIED, PARTY_AGE_AT_DEATH),
    (day_after(DIED), PARTY_AGE_AT_DEATH),
    (D(2030, 1, 1), PARTY_AGE_AT_DEATH),
])
def test_party_age_stops_on_the_day_of_death(via, day, days):
    member = NewMember("A1", birth_date=D(1970, 1, 1), admitted_on=D(2000, 1, 1),
                       official_on=D(2001, 1, 1))
    assert via.add([member], [("A1", "die", DIED, None)]) is None
    a1 = Member.objects.get(member_code="A1")
    assert lifecycle.party_age_days(queries.timeline_of(a1), day) == days


def test_party_age_years_of_the_dead_stay_those_at_death(via):
    member = NewMember("A1", birth_date=D(1970, 1, 1), admitted_on=D(2000, 1, 1),
                       official_on=D(2001, 1, 1))
    assert via.add([member], [("A1", "die", DIED, None)]) is None
    a1 = Member.objects.get(member_code="A1")
    assert queries.party_age_years(a1, D(2040, 1, 1)) == 20  # not 40
    assert queries.next_badge(a1, D(2029, 1, 1)) is None  # 30 years would be reached in 2030


# The as-of day and the period's last day ------------------------------------------------------

@pytest.mark.parametrize(("admitted_on", "counted"), [
    (day_before(AS_OF), 1), (AS_OF, 1), (day_after(AS_OF), 0)])
def test_a_member_admitted_on_the_as_of_day_is_counted(via, admitted_on, counted):
    assert via.add([NewMember("A1", birth_date=D(1990, 1, 1), admitted_on=admitted_on)]) is None
    assert stats(via.root, AS_OF, ["members.total"]) == {"members.total": counted}
    assert child_stats(via.root, AS_OF, ["members.total"]) == {"members.total": counted}


@pytest.mark.parametrize(("removed_on", "counted"), [
    (day_before(AS_OF), 0), (AS_OF, 0), (day_after(AS_OF), 1)])
def test_a_member_removed_on_the_as_of_day_is_no_longer_counted(via, removed_on, counted):
    member = NewMember("A1", official_on=D(2011, 3, 1))
    assert via.add([member], [("A1", "remove", removed_on, None)]) is None
    assert stats(via.root, AS_OF, ["members.total"]) == {"members.total": counted}
    assert child_stats(via.root, AS_OF, ["members.total"]) == {"members.total": counted}


MONTH_END = D(2026, 3, 31)


@pytest.mark.parametrize(("as_of", "counted"), [
    (day_before(MONTH_END), 0),  # the month is not over: the fact of its last day is to come
    (MONTH_END, 1),  # the month ends on the as-of day: its last day is in the period
    (day_after(MONTH_END), 1),
])
def test_a_fact_on_the_last_day_of_a_month_ending_on_the_as_of_day(via, as_of, counted):
    """The default period runs from 1 January to the as-of day, both included."""
    member = NewMember("A1", official_on=D(2011, 3, 1))
    assert via.add([member], [("A1", "remove", MONTH_END, None)]) is None
    keys = ["removed"]
    assert stats(via.root, as_of, keys) == {"removed": counted}
    assert child_stats(via.root, as_of, keys) == {"removed": counted}
    assert stats(via.root, as_of, keys, date_from=D(2026, 3, 1)) == {"removed": counted}
