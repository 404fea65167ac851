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
from chibo.interchange.importer import import_bundle
from chibo.meetings import metrics as meetings
from chibo.organizations.models import Organization
from chibo.stats import engine

# A copy of shared/spec/examples/province-99 (the conformance example), so the suite runs alone.
EXAMPLE = Path(__file__).resolve().parent / "bundles" / "province-99"
EXPECTED = json.loads((EXAMPLE / "expected.json").read_text())


def spec_less(values: dict) -> dict:
    """The values of the keys beyond the spec's (the meeting keys)."""
    return {k: v for k, v in values.items() if k in meetings.KEYS}


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
    # every key of the spec; the meeting keys (docs/metrics-meetings.md) come on top
    assert set(EXPECTED[0]["values"]) == set(engine.all_keys()) - set(meetings.KEYS)


def test_drill_down_count_equals_the_number_for_every_key(province):
    for query in EXPECTED[::6]:
        org = Organization.objects.get(code=query["org"])
        request = request_of(query)
        for key, expected in query["values"].items():
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
