"""Every key and finding of the public example province-99-v2 stays the same once the
planner has statistics (ANALYZE, which every committed import runs). SQLite 3.40 answered a
correlated EXISTS comparing dates wrongly with statistics (the inspection group's committee
members, session 10); the statistics and findings still hold a few such EXISTS (flows, stocks,
meetings, courses): this pins them all, with every file of the example this version reads (the
ratings' findings included)."""

from django.db import connection

from chibo.admission import rules as admission_rules
from chibo.inspection import rules as inspection_rules
from chibo.interchange import versions
from chibo.ratings import rules as ratings_rules
from chibo.stats import engine
from tests.example_v2 import (
    V2,
    WINDOW,
    compare_with_the_example,
    findings_and_the_example,
    imported_example,
)

READ = tuple(sorted(path.name for path in (V2 / "bundle").iterdir()
                    if path.name not in versions.planned() and path.name != "bundle.csv"))
example = imported_example(*READ)


def _analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def test_every_key_is_the_same_once_the_planner_has_statistics(example, db):
    assert example.errors == []
    _analyze()
    wrong, compared = compare_with_the_example(engine.all_keys())
    assert wrong == []
    assert compared > 41 * 100


def test_the_findings_are_the_same_once_the_planner_has_statistics(example, db):
    _analyze()
    keys = (*admission_rules.KEYS, *inspection_rules.KEYS, *ratings_rules.KEYS)
    got, want, _files = findings_and_the_example(WINDOW[0], keys)
    assert got == want
