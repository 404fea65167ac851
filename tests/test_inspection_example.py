"""The public example province-99-v2 (spec/examples): its version-1 files with inspections.csv,
inspection_subjects.csv and discipline.csv import without an error; every key of METRICS-v2
"Inspection and supervision" and "Discipline" equals expected.json in its 41 queries;
findings.json's discipline findings are reported exactly, for a "today" at both ends of its
window; the records behind each key are as many as its value. (The round trip is in
tests/test_inspection_bundle.py: it needs an empty database.)"""

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from django.db import connection, transaction

from chibo.accounts.policy import SYSTEM
from chibo.findings.queries import record_findings
from chibo.inspection import metrics, rules
from chibo.inspection.models import Discipline
from chibo.interchange.importer import import_bundle
from chibo.organizations.models import Organization
from chibo.stats import engine
from tests.test_admission_example import WINDOW
from tests.test_bundle_v2 import compare_with_the_example

V2 = Path(__file__).parent / "bundles" / "province-99-v2"
OWN = ("inspections.csv", "inspection_subjects.csv", "discipline.csv")
FILES = ("organizations.csv", "villages.csv", "org_changes.csv", "members.csv",
         "member_events.csv", "positions.csv", "bundle.csv", *OWN)


def example_folder(path: Path) -> Path:
    path.mkdir()
    for name in FILES:
        shutil.copy(V2 / "bundle" / name, path / name)
    return path


@pytest.fixture(scope="module")
def example(django_db_setup, django_db_blocker, tmp_path_factory):
    """Imported once for the module's read-only tests, rolled back after the last one."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield import_bundle(example_folder(tmp_path_factory.mktemp("v2") / "b"), actor=SYSTEM)
        transaction.set_rollback(True)


def test_the_example_imports_without_an_error(example, db):
    assert example.errors == []
    assert example.counts["inspections.csv"] == 79
    assert example.counts["inspection_subjects.csv"] == 396
    assert example.counts["discipline.csv"] == 62
    assert Discipline.objects.count() == 62


def test_every_inspection_and_discipline_key_equals_the_example(example, db):
    wrong, compared = compare_with_the_example(metrics.KEYS)
    assert wrong == []
    assert compared == 41 * len(metrics.KEYS) == 41 * 32


def test_the_keys_are_the_same_once_the_planner_has_statistics(example, db):
    """Every import analyzes its tables (on commit; the module's import never commits). With
    statistics, SQLite 3.40 answered the correlated EXISTS the committee members were counted
    with wrongly (posts begun after the start day counted): 9 values of 1,312 differed."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    wrong, _compared = compare_with_the_example(metrics.KEYS)
    assert wrong == []


@pytest.mark.parametrize("today", WINDOW)
def test_the_discipline_findings_are_those_of_the_example(example, db, today):
    expected = json.loads((V2 / "findings.json").read_text())
    province = Organization.objects.get(code="TQ")
    found = record_findings(province, today, rules.KEYS)
    got = {key: sorted(f.finding.record for f in found if f.finding.key == key)
           for key in rules.KEYS}
    want = {key: sorted(item["code"] for item in expected[key]) for key in rules.KEYS}
    assert got == want
    assert all(want.values())
    assert {f.finding.file for f in found} == {"discipline.csv"}


def test_the_records_behind_each_key_are_as_many_as_its_value(example, db):
    """Every key's records equal its value, in every query of the example where it is not 0
    (and in one where it is)."""
    queries = json.loads((V2 / "expected.json").read_text())
    checked = 0
    for query in queries:
        org = Organization.objects.get(code=query["org"])
        request = engine.Request.parse(*(date.fromisoformat(query[k])
                                         for k in ("as_of", "from", "to")))
        for key in metrics.KEYS:
            rows = engine.records(org, request, key)
            assert rows.count() == query["values"][key], (query["org"], query["from"], key)
            checked += 1
    assert checked == 41 * 32
