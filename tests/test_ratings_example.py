"""The public example province-99-v2 (spec/examples): its version-1 files with discipline.csv
(the findings read it) and ratings.csv import without an error; every key of METRICS-v2
"Ratings" equals expected.json in its 41 queries, and the records behind each key are as many
as its value; findings.json's ratings findings are reported exactly, for a "today" at both
ends of its window."""

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from django.db import transaction

from chibo.accounts.policy import SYSTEM
from chibo.findings.queries import record_findings
from chibo.interchange.importer import import_bundle
from chibo.organizations.models import Organization
from chibo.ratings import metrics, rules
from chibo.ratings.models import Rating
from chibo.stats import engine
from tests.test_admission_example import WINDOW
from tests.test_bundle_v2 import compare_with_the_example

V2 = Path(__file__).parent / "bundles" / "province-99-v2"
FILES = ("organizations.csv", "villages.csv", "org_changes.csv", "members.csv",
         "member_events.csv", "positions.csv", "bundle.csv", "inspections.csv",
         "inspection_subjects.csv", "discipline.csv", "ratings.csv")


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
    assert example.counts["ratings.csv"] == 1475
    assert Rating.objects.count() == 1475


def test_every_ratings_key_equals_the_example(example, db):
    wrong, compared = compare_with_the_example(metrics.KEYS)
    assert wrong == []
    assert compared == 41 * len(metrics.KEYS) == 41 * 12


def _wanted(item: dict) -> str:
    if item.get("subjects"):
        return f"{item['decided_by']}|{item['year']}|{item['subjects']}"
    return f"{item['year']}|{item.get('org_code') or ''}|{item.get('member_code') or ''}"


@pytest.mark.parametrize("today", WINDOW)
def test_the_ratings_findings_are_those_of_the_example(example, db, today):
    expected = json.loads((V2 / "findings.json").read_text())
    province = Organization.objects.get(code="TQ")
    found = record_findings(province, today, rules.KEYS)
    got = {key: sorted(f.finding.record for f in found if f.finding.key == key)
           for key in rules.KEYS}
    want = {key: sorted(_wanted(item) for item in expected[key]) for key in rules.KEYS}
    assert got == want
    assert all(want.values())
    assert {f.finding.file for f in found} == {"ratings.csv"}


def test_the_records_behind_each_key_are_as_many_as_its_value(example, db):
    queries = json.loads((V2 / "expected.json").read_text())
    checked = 0
    for query in queries:
        org = Organization.objects.get(code=query["org"])
        request = engine.Request.parse(*(date.fromisoformat(query[k])
                                         for k in ("as_of", "from", "to")))
        for key in metrics.KEYS:
            assert engine.records(org, request, key).count() == query["values"][key], (
                query["org"], query["from"], key)
            checked += 1
    assert checked == 41 * 12
