"""The public example province-99-v2 (spec/examples): its version-1 files with candidates.csv,
courses.csv and enrollments.csv import without an error; every key of METRICS-v2 "Candidates
and admission" and "Courses" equals expected.json in its 41 queries; findings.json's admission
findings are reported exactly, for a "today" at both ends of its window; export → import →
export of the three files is identical."""

import pytest

from chibo.admission import metrics as admission_metrics
from chibo.admission import rules
from chibo.courses import metrics as course_metrics
from tests.example_v2 import (
    WINDOW,
    compare_with_the_example,
    findings_and_the_example,
    imported_example,
)

OWN = ("candidates.csv", "courses.csv", "enrollments.csv")
KEYS = (*admission_metrics.KEYS, *course_metrics.KEYS)
example = imported_example(*OWN)


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
    got, want, files = findings_and_the_example(today, rules.KEYS)
    assert got == want
    assert files == {"candidates.csv"}
