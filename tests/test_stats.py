"""Statistics: every query of the conformance example, drill-down counts, interfaces, scope."""

import io
import json
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from chibo.accounts.choices import Role
from chibo.accounts.policy import SYSTEM
from chibo.accounts.services import create_user, grant_role
from chibo.core.text import name_sort_key
from chibo.interchange.importer import import_bundle
from chibo.meetings import metrics as meetings
from chibo.meetings import services
from chibo.meetings.choices import GuestRole
from chibo.meetings.services import AttendanceEntry
from chibo.organizations import services as org_services
from chibo.organizations.models import Organization
from chibo.stats import engine, groups
from tests.conftest import D
from tests.test_meeting_rules import year  # noqa: F401 (a fixture)
from tests.test_meetings import close, schedule

# A copy of shared/spec/examples/province-99 (the conformance example), so the suite runs alone.
EXAMPLE = Path(__file__).resolve().parent / "bundles" / "province-99"
EXPECTED = json.loads((EXAMPLE / "expected.json").read_text())


def query_key(query: dict) -> tuple:
    return query["org"], query["as_of"], query["from"], query["to"]


# The version-2 example holds this bundle's files byte for byte and every query of it: a key of
# a registered group that reads the members' files alone has its value there, exactly.
V2_VALUES = {query_key(q): q["values"] for q in json.loads(
    (EXAMPLE.parent / "province-99-v2" / "expected.json").read_text())}
# the cells in which no admission fell; the members of the working sectors (residence liaison)
FROM_MEMBERS_ALONE = ("cells.no_admission", "liaison.working_members")


def registered_keys() -> set[str]:
    """The keys of the processes' registered groups: the meetings' (docs/metrics-meetings.md)
    and the test-only sample domain's (tests/sample_domain)."""
    return {key for group in groups.ordered() for key in group.keys}


def spec_less(values: dict) -> dict:
    """The values of the keys beyond the spec's (the registered groups' keys)."""
    return {k: v for k, v in values.items() if k in registered_keys()}


@pytest.fixture
def province(db):
    result = import_bundle(EXAMPLE / "bundle", actor=SYSTEM)
    assert result.ok, result.errors[:5]
    people = {}
    for username, role, code in [("province", Role.ORGANIZER, "TQ"),
                                 ("commune", Role.CLERK, "D1.X2"),
                                 ("viewer", Role.VIEWER, "TQ")]:
        people[username] = create_user(actor=SYSTEM, username=username, password="x-12345678")
        grant_role(people[username], actor=SYSTEM, role=role,
                   organization=Organization.objects.get(code=code))
    return people


def request_of(query) -> engine.Request:
    return engine.Request.parse(date.fromisoformat(query["as_of"]),
                                date.fromisoformat(query["from"]), date.fromisoformat(query["to"]))


def test_every_query_of_the_conformance_example(province):
    wrong = []
    for query in EXPECTED:
        org = Organization.objects.get(code=query["org"])
        values = engine.compute(org, request_of(query))
        wrong += [(query["org"], query["as_of"], key, values[key], expected)
                  for key, expected in query["values"].items() if values[key] != expected]
    assert wrong == []
    # every key of the spec; the registered groups' keys (the meetings'...) come on top
    assert set(EXPECTED[0]["values"]) == set(engine.all_keys()) - registered_keys()
    assert set(meetings.KEYS) <= registered_keys()


def test_drill_down_count_equals_the_number_for_every_key(province):
    for query in EXPECTED[::6]:
        org = Organization.objects.get(code=query["org"])
        request = request_of(query)
        values = engine.compute(org, request)
        # the spec's keys, and the registered groups' (meetings, sample visits): the bundle has
        # no meetings and no visits, so each of those counts nothing — but the cells that should
        # meet, at most every cell of the subtree (the spec's organization counts)
        cells = query["values"]["orgs.cell"] + query["values"]["orgs.grassroots_cell"]
        assert 0 < values["meetings.cells"] <= cells or cells == 0, query["org"]
        for key in engine.all_keys():
            expected = query["values"].get(key, 0)
            if key == "meetings.cells":
                expected = values[key]
            if key in FROM_MEMBERS_ALONE:  # the version-2 example's value: the same query there
                expected = V2_VALUES[query_key(query)][key]
            assert values[key] == expected, (query["org"], key)
            assert engine.records(org, request, key).count() == expected, (query["org"], key)


def api(user, url):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client.get(f"/api/v1/{url}")


def test_api_answers_like_the_spec(province):
    query = EXPECTED[0]
    url = (f"stats?org={query['org']}&as_of={query['as_of']}&from={query['from']}"
           f"&to={query['to']}")
    data = api(province["province"], url).json()
    # every key: the spec's, exactly, then the meeting keys (docs/metrics-meetings.md)
    assert list(data["values"]) == engine.all_keys()
    assert data == {"org": query["org"], "as_of": query["as_of"], "from": query["from"],
                    "to": query["to"], "values": query["values"] | spec_less(data["values"])}
    some = api(province["province"], url + "&metrics=members.total,admitted").json()
    assert some["values"] == {k: query["values"][k] for k in ("members.total", "admitted")}
    assert api(province["province"], url + "&metrics=members.bogus").status_code == 400
    assert api(province["province"], "stats?org=TQ&as_of=2024-13-01").status_code == 400
    assert api(province["province"], "stats?org=NOPE").status_code == 404
    assert api(None, "stats?org=TQ").status_code == 401


def test_children_and_records_endpoints(province):
    user = province["province"]
    rows = api(user, "stats/children?org=TQ&as_of=2019-12-31&metrics=members.total").json()
    codes = [row["org"] for row in rows["rows"]]
    assert "D1" in codes and all(set(r["values"]) == {"members.total"} for r in rows["rows"])
    total = api(user, "stats?org=TQ&as_of=2019-12-31&metrics=members.total").json()
    assert sum(r["values"]["members.total"] for r in rows["rows"]) == \
        total["values"]["members.total"]
    page = api(user, "stats/records?metric=members.female&org=D1&as_of=2019-12-31&limit=10")
    data = page.json()
    expected = api(user, "stats?org=D1&as_of=2019-12-31&metrics=members.female").json()
    assert data["count"] == expected["values"]["members.female"]
    assert len(data["items"]) == 10 and data["next"]


def test_member_records_come_by_cell_then_by_name_and_page_through_once(province):
    """A subtree's member records keep each cell's members together, in name order within the
    cell (the order of the covering index, so a page streams from it); following `next` reads
    every record once."""
    client = Client()
    client.force_login(province["province"])
    url, items = "/api/v1/stats/records?metric=members.total&org=TQ&as_of=2019-12-31&limit=7", []
    while url:
        data = client.get(url).json()
        items += data["items"]
        url = data["next"]
    assert len(items) == data["count"] > 7
    assert len({item["member_code"] for item in items}) == len(items)
    cells = [item["org"] for item in items]
    blocks = [cell for i, cell in enumerate(cells) if i == 0 or cells[i - 1] != cell]
    assert len(blocks) == len(set(blocks)) > 1  # each cell's members in one run
    for cell in blocks:
        names = [item["full_name"] for item in items if item["org"] == cell]
        assert names == sorted(names, key=name_sort_key)


def test_scope_commune_cannot_read_the_province_viewer_reads_stats_not_files(province):
    assert api(province["commune"], "stats?org=TQ").status_code == 404
    assert api(province["commune"], "stats?org=D1.X2").status_code == 200
    assert api(province["viewer"], "stats?org=TQ").status_code == 200
    assert api(province["viewer"], "members?org=TQ").status_code == 404


def test_cli_json_is_the_api_json(province):
    query = EXPECTED[3]
    out = io.StringIO()
    call_command("stats", "--org", query["org"], "--as-of", query["as_of"], "--from",
                 query["from"], "--to", query["to"], "--format", "json", stdout=out)
    values = json.loads(out.getvalue())["values"]
    assert values == query["values"] | spec_less(values)


# Meeting metrics (docs/metrics-meetings.md) through the engine, the API, the CLI and the pages --

MEETING_PERIODS = [(D(2026, 1, 1), D(2026, 4, 30)), (D(2026, 2, 15), D(2026, 5, 15)),
                   (D(2026, 3, 1), D(2026, 3, 31)), (D(2026, 4, 10), D(2026, 4, 20))]
ASKED = "from=2026-01-01&to=2026-04-30&as_of=2026-05-15"


@pytest.fixture
def meetings_held(world, people, year):  # noqa: F811 (the fixture)
    """`year` (D1.X1.C1 meets from January to April 2026), a higher-level visit in March, an
    invited secretary (not a visit), and an extraordinary model meeting of D1.X1.C2 in April."""
    services.add_guest(year[3], actor=SYSTEM, role=GuestRole.HIGHER_LEVEL,
                       full_name="Hà Văn Sơn", title="Phó Bí thư Đảng ủy xã",
                       org=world.orgs["D1.X1"])
    services.add_guest(year[3], actor=SYSTEM, role=GuestRole.INVITED_SECRETARY,
                       full_name="Lê Văn Bình", org=world.orgs["D1.X1.C2"])
    two = [AttendanceEntry(people["binh"], "present", "", True),
           AttendanceEntry(people["cuong"], "excused", "Ốm", False)]
    close(schedule(world, cell="D1.X1.C2", day=D(2026, 4, 20), kind="extraordinary",
                   is_model=True), people, attendance=two)
    return year


def check_every_meeting_key(world, as_of):
    """Drill-down count = number for every key, and per child = the child's own number."""
    for date_from, date_to in MEETING_PERIODS:
        request = engine.Request.parse(as_of, date_from, date_to)
        asked = engine.Request.parse(as_of, date_from, date_to, ",".join(meetings.KEYS))
        for code in ("TQ", "D1", "D1.X1", "D1.X2", "D1.X1.C1", "D2"):
            org = world.orgs[code]
            values = engine.compute(org, request)
            for key in engine.all_keys():
                assert engine.records(org, request, key).count() == values[key], (code, key)
            for period, child_values in engine.compute_children(org, asked) or []:
                assert child_values == engine.compute(period.organization, asked), (
                    code, period.organization.code, date_from)


def test_meeting_keys_drill_down_and_per_child(world, meetings_held):
    d1 = engine.compute(world.orgs["D1"], engine.Request.parse(
        D(2026, 5, 15), D(2026, 1, 1), D(2026, 4, 30), ",".join(meetings.KEYS)))
    assert d1 == {"meetings.held": 5, "meetings.held.regular": 4, "meetings.held.thematic": 1,
                  "meetings.held.extraordinary": 1, "meetings.held.model": 1,
                  # Lan's absences in January, February and April; April's one of two present
                  "meetings.below_quality": 4, "meetings.attendance.expected": 22,
                  "meetings.attendance.present": 18, "meetings.guest_visits": 1,
                  "meetings.cells": 2, "meetings.cells_every_month": 1}
    check_every_meeting_key(world, D(2026, 5, 15))
    # C1 moves to D1.X2 on 1 March: its January and February meetings stay in D1.X1
    org_services.move_organization(world.orgs["D1.X1.C1"], actor=SYSTEM,
                                   new_parent=world.orgs["D1.X2"], effective_on=D(2026, 3, 1))
    request = engine.Request.parse(D(2026, 5, 15), D(2026, 1, 1), D(2026, 4, 30),
                                   "meetings.held,meetings.cells")
    rows = dict((p.organization.code, v) for p, v in
                engine.compute_children(world.orgs["D1"], request))
    assert rows == {"D1.X1": {"meetings.held": 3, "meetings.cells": 1},
                    "D1.X2": {"meetings.held": 2, "meetings.cells": 1}}
    check_every_meeting_key(world, D(2026, 5, 15))
    check_every_meeting_key(world, D(2026, 2, 1))  # the children as they were before the move


def test_meeting_keys_in_the_api_and_the_cli(world, meetings_held):
    user, outsider = world.users["province"], world.users["other_commune"]
    keys = "meetings.held,meetings.attendance.present,meetings.attendance.expected"
    data = api(user, f"stats?org=D1&{ASKED}&metrics={keys}").json()
    assert data["values"] == {"meetings.held": 5, "meetings.attendance.present": 18,
                              "meetings.attendance.expected": 22}
    assert all(type(v) is int for v in api(user, f"stats?org=D1&{ASKED}").json()[
        "values"].values())
    assert api(user, f"stats?org=D1&{ASKED}&metrics=meetings.attendance_rate").status_code == 400
    assert api(outsider, f"stats?org=D1&{ASKED}&metrics={keys}").status_code == 404
    page = api(user, f"stats/records?metric=meetings.attendance.present&org=D1&{ASKED}").json()
    assert page["count"] == 18 and {i["type"] for i in page["items"]} == {"attendance"}
    guests = api(user, f"stats/records?metric=meetings.guest_visits&org=D1&{ASKED}").json()
    assert [g["full_name"] for g in guests["items"]] == ["Hà Văn Sơn"]
    rows = api(user, f"stats/children?org=D1.X1&{ASKED}&metrics=meetings.held").json()["rows"]
    assert [(r["org"], r["values"]["meetings.held"]) for r in rows] == [
        ("D1.X1.C1", 4), ("D1.X1.C2", 1), ("D1.X1.C3", 0)]
    out = io.StringIO()
    call_command("stats", "--org", "D1", "--as-of", "2026-05-15", "--from", "2026-01-01",
                 "--to", "2026-04-30", "--metrics", keys, "--format", "json", stdout=out)
    assert json.loads(out.getvalue()) == data


def test_meeting_keys_on_the_pages(world, meetings_held):
    client = world.client("viewer")  # reads statistics of D1
    page = client.get(f"/stats/D1/?{ASKED}").content.decode()
    assert "Sinh hoạt chi bộ trong kỳ" in page and "Lượt đảng viên dự sinh hoạt" in page
    assert "81,8 %" in page  # 18 of 22 attended: the attendance rate, as a share
    assert "/stats/D1/records/meetings.attendance.present/" in page
    children = client.get(f"/stats/D1.X1/children/?{ASKED}&group=meetings").content.decode()
    assert "Chi bộ thôn Đồng Mạ" in children and "meetings.cells_every_month" in children
    for key, shown in [("meetings.held", "Sinh hoạt tháng 3"), ("meetings.guest_visits",
                       "Hà Văn Sơn"), ("meetings.attendance.expected", "Vắng có lý do"),
                       ("meetings.cells_every_month", "Chi bộ thôn Đồng Mạ")]:
        response = client.get(f"/stats/D1/records/{key}/?{ASKED}")
        assert response.status_code == 200 and shown in response.content.decode(), key
    assert world.client("other_commune").get(f"/stats/D1/?{ASKED}").status_code == 404


# The dashboard's ten-year series: a few grouped statements, the engine's numbers ---------------

@pytest.mark.parametrize("code", ["TQ", "D1", "D1.X2", "D2.X3", "AG"])
def test_dashboard_series_equal_the_engine_for_each_year(province, code):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from chibo.stats import dashboard

    org, as_of = Organization.objects.get(code=code), D(2026, 6, 30)
    with CaptureQueriesContext(connection) as queries:
        admissions = dashboard.admissions_by_year(org, as_of)
        status = dashboard.status_over_time(org, as_of)
    assert len(queries) <= 9  # was two engine calls a year (≈80 statements)
    for i, end in enumerate(dashboard.year_ends(as_of)):
        flow = engine.compute(org, engine.Request.parse(end, D(end.year, 1, 1), end, "admitted"))
        assert admissions["values"][i] == flow["admitted"], (code, end)
        stock = engine.compute(org, engine.Request.parse(end, metrics=",".join(
            dashboard.STATUS_KEYS)))
        for series in status["series"]:
            assert series["values"][i] == stock[series["key"]], (code, end, series["key"])
    assert sum(admissions["values"]) > 0 or code == "AG"
