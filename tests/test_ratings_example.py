"""The public example province-99-v2 (spec/examples): its version-1 files with discipline.csv
(the findings read it) and ratings.csv import without an error; every key of METRICS-v2
"Ratings" equals expected.json in its 41 queries, and the records behind each key are as many
as its value; findings.json's ratings findings are reported exactly, for a "today" at both
ends of its window. (ratings.csv's round trip: tests/contract on the ratings domain.)"""

import pytest

from chibo.ratings import metrics, rules
from chibo.ratings.models import Rating
from tests.example_v2 import (
    WINDOW,
    compare_with_the_example,
    findings_and_the_example,
    imported_example,
    records_unlike_the_values,
)

# The discipline decisions with ratings.csv: the findings read them.
OWN = ("inspections.csv", "inspection_subjects.csv", "discipline.csv", "ratings.csv")
example = imported_example(*OWN)


def test_the_example_imports_without_an_error(example, db):
    assert example.errors == []
    assert example.counts["ratings.csv"] == 1475
    assert Rating.objects.count() == 1475


def test_every_ratings_key_equals_the_example(example, db):
    wrong, compared = compare_with_the_example(metrics.KEYS)
    assert wrong == []
    assert compared == 41 * len(metrics.KEYS) == 41 * 12


@pytest.mark.parametrize("today", WINDOW)
def test_the_ratings_findings_are_those_of_the_example(example, db, today):
    got, want, files = findings_and_the_example(today, rules.KEYS)
    assert got == want
    assert all(want.values())
    assert files == {"ratings.csv"}


def test_the_records_behind_each_key_are_as_many_as_its_value(example, db):
    wrong, checked = records_unlike_the_values(metrics.KEYS)
    assert wrong == []
    assert checked == 41 * 12
