"""The public example province-99-v2 (spec/examples): its version-1 files with
residence_liaison.csv import without an error; every key of METRICS-v2 "Residence liaison"
equals expected.json in its 41 queries, and the records behind each key are as many as its
value; findings.json's `liaison.missing` and `liaison.no_feedback` are reported exactly, for a
"today" at both ends of its window, and their years."""

import json

import pytest

from chibo.liaison import metrics, rules
from chibo.liaison.models import Liaison, Opinion
from tests.example_v2 import (
    V2,
    WINDOW,
    compare_with_the_example,
    findings_and_the_example,
    imported_example,
    records_unlike_the_values,
)

example = imported_example("residence_liaison.csv")


def test_the_example_imports_without_an_error(example, db):
    assert example.errors == []
    assert example.counts["residence_liaison.csv"] == 195
    assert Liaison.objects.count() == 41
    assert Opinion.objects.count() == 194


def test_every_liaison_key_equals_the_example(example, db):
    wrong, compared = compare_with_the_example(metrics.KEYS)
    assert wrong == []
    assert compared == 41 * len(metrics.KEYS) == 41 * 5


def test_the_records_behind_each_key_are_as_many_as_its_value(example, db):
    wrong, checked = records_unlike_the_values(metrics.KEYS)
    assert wrong == []
    assert checked == 41 * 5


@pytest.mark.parametrize("today", WINDOW)
def test_the_findings_are_those_of_the_example(example, db, today):
    keys = (rules.MISSING, rules.NO_FEEDBACK)
    got, want, files = findings_and_the_example(today, keys)
    assert got == want
    assert len(want[rules.MISSING]) == 6 and len(want[rules.NO_FEEDBACK]) == 3
    assert files == {"members.csv", "residence_liaison.csv"}


def test_the_overdue_years_are_those_of_the_example(example, db):
    from chibo.findings.queries import record_findings
    from chibo.organizations.models import Organization

    expected = json.loads((V2 / "findings.json").read_text())[rules.NO_FEEDBACK]
    found = record_findings(Organization.objects.get(code="TQ"), WINDOW[1], [rules.NO_FEEDBACK])
    details = {f.finding.record: f.finding.detail for f in found}
    for item in expected:
        record = f"{item['member_code']}|{item['introduced_on']}"
        assert details[record].endswith(", ".join(str(y) for y in item["years"]))
