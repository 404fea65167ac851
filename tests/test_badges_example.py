"""The public example province-99-v2 (spec/examples): its version-1 files with discipline.csv
(the delay after a discipline reads it) and badges.csv import without an error; every key of
METRICS-v2 "Badges" equals expected.json in its 41 queries, and the records behind each key are
as many as its value; findings.json's badges findings are reported exactly, for a "today" at both
ends of its window. (badges.csv's round trip: tests/contract on the badges domain.)"""

import pytest

from chibo.badges import metrics, rules
from chibo.badges.models import Badge
from tests.example_v2 import (
    WINDOW,
    compare_with_the_example,
    findings_and_the_example,
    imported_example,
    records_unlike_the_values,
)

OWN = ("inspections.csv", "inspection_subjects.csv", "discipline.csv", "badges.csv")
example = imported_example(*OWN)


def test_the_example_imports_without_an_error(example, db):
    assert example.errors == []
    assert example.counts["badges.csv"] == 26
    assert Badge.objects.count() == 26


def test_every_badges_key_equals_the_example(example, db):
    wrong, compared = compare_with_the_example(metrics.KEYS)
    assert wrong == []
    assert compared == 41 * len(metrics.KEYS) == 41 * 13


@pytest.mark.parametrize("today", WINDOW)
def test_the_badges_findings_are_those_of_the_example(example, db, today):
    got, want, files = findings_and_the_example(today, rules.KEYS)
    assert got == want
    assert all(want.values())
    assert files == {"badges.csv"}


def test_the_records_behind_each_key_are_as_many_as_its_value(example, db):
    wrong, checked = records_unlike_the_values(metrics.KEYS)
    assert wrong == []
    assert checked == 41 * 13
