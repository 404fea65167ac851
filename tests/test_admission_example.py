"""The public example province-99-v2 (spec/examples): its version-1 files with candidates.csv,
courses.csv and enrollments.csv import without an error; every key of METRICS-v2 "Candidates
and admission" and "Courses" equals expected.json in its 41 queries; findings.json's admission
findings are reported exactly, for a "today" at both ends of its window; export → import →
export of the three files is identical."""

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from django.db import transaction

from chibo.accounts.policy import SYSTEM
from chibo.admission import metrics as admission_metrics
from chibo.admission import rules
from chibo.courses import metrics as course_metrics
from chibo.findings.queries import record_findings
from chibo.interchange.importer import import_bundle
from chibo.organizations.models import Organization
from tests.test_bundle_v2 import compare_with_the_example

V2 = Path(__file__).parent / "bundles" / "province-99-v2"
FILES = ("organizations.csv", "villages.csv", "org_changes.csv", "members.csv",
         "member_events.csv", "positions.csv", "bundle.csv", "candidates.csv", "courses.csv",
         "enrollments.csv")
KEYS = (*admission_metrics.KEYS, *course_metrics.KEYS)
# The window findings.json holds for (examples/README.md).
WINDOW = (date(2026, 12, 4), date(2027, 12, 31))


def example_folder(path: Path) -> Path:
    path.mkdir()
    for name in FILES:
        shutil.copy(V2 / "bundle" / name, path / name)
    return path


@pytest.fixture(scope="module")
def example(django_db_setup, django_db_blocker, tmp_path_factory):
    """The example imported once for the module's tests, which only read: kept in a
    transaction rolled back after the last one (each test runs in a savepoint inside it)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield import_bundle(example_folder(tmp_path_factory.mktemp("v2") / "b"), actor=SYSTEM)
        transaction.set_rollback(True)


def test_the_example_imports_without_an_error(example, db):
    assert example.errors == []
    assert example.counts["candidates.csv"] == 274
    assert example.counts["courses.csv"] == 40
    assert example.counts["enrollments.csv"] == 432


def test_every_admission_and_course_key_equals_the_example(example, db):
    wrong, compared = compare_with_the_example(KEYS)
    assert wrong == []
    assert compared == 41 * len(KEYS) == 41 * 27


@pytest.mark.parametrize("today", WINDOW)
def test_the_admission_findings_are_those_of_the_example(example, db, today):
    expected = json.loads((V2 / "findings.json").read_text())
    province = Organization.objects.get(code="TQ")
    found = record_findings(province, today, rules.KEYS)
    got = {key: sorted(f.finding.record for f in found if f.finding.key == key)
           for key in rules.KEYS}
    want = {key: sorted(item["code"] for item in expected[key]) for key in rules.KEYS}
    assert got == want
    assert {f.finding.file for f in found} == {"candidates.csv"}
