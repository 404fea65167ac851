"""ratings.csv in the bundle (spec BUNDLE-v2.md): a good bundle imports; each broken check is
an error naming file:row:column and nothing is written; the findings are not errors; an
exception to a rating's finding names its record; export is sorted by year and subject (the
example province-99-v2); export → import → export is identical (tests/contract/test_round_trip.py
on the ratings domain's fixtures)."""

from datetime import date
from decimal import Decimal

import pytest

from chibo.accounts.policy import SYSTEM
from chibo.findings.models import RecordedException
from chibo.interchange.exporter import export_bundle
from chibo.interchange.importer import import_bundle
from chibo.ratings.models import Rating
from tests.example_v2 import example_folder
from tests.test_admission_bundle import table
from tests.test_bundle import import_refused, prefixes, write_bundle
from tests.test_ratings_example import OWN

MARKER = "format_version,exported_at\n2,2026-07-01T08:00:00+07:00\n"
R1 = {"year": "2024", "org_code": "", "member_code": "M1", "level": "good", "score": "85.5",
      "decided_on": "2024-12-20", "decided_by": "P.D.X"}
R2 = {"year": "2024", "org_code": "P.D.X.C1", "member_code": "", "level": "excellent",
      "score": "", "decided_on": "", "decided_by": ""}
R3 = {"year": "2024", "org_code": "", "member_code": "M2", "level": "excellent",
      "score": "95", "decided_on": "2025-01-05", "decided_by": ""}


def files(*ratings, **extra) -> dict:
    return {"bundle.csv": MARKER, "ratings.csv": table(list(ratings or (R1, R2, R3))),
            **extra}


def test_a_good_bundle_imports(db, tmp_path):
    result = import_bundle(write_bundle(tmp_path / "b", files()), actor=SYSTEM)
    assert result.errors == []
    assert result.counts["ratings.csv"] == 3
    r1 = Rating.objects.get(member__member_code="M1")
    assert (r1.score, r1.decided_by.code, r1.decided_on) == (Decimal("85.5"), "P.D.X",
                                                             date(2024, 12, 20))
    r2 = Rating.objects.get(org__code="P.D.X.C1")
    assert (r2.score, r2.decided_by, r2.decided_on) == (None, None, None)


def test_findings_are_not_errors_and_an_exception_names_the_rating(db, tmp_path):
    """M2's excellent breaks the commune's quota (no good beside it) and its score 80 its
    band: both are kept; an exception names the rating by its key columns."""
    exceptions = table([{"finding": "ratings.score", "file": "ratings.csv",
                         "record": "2024||M2", "decision_no": "3-QĐ/ĐU",
                         "decided_on": "2025-01-05", "decided_by": "P.D.X", "note": ""},
                        {"finding": "ratings.quota", "file": "ratings.csv",
                         "record": "P.D.X|2024|members", "decision_no": "4-QĐ/ĐU",
                         "decided_on": "2025-01-05", "decided_by": "P.D", "note": ""}])
    bundle = files(R1, R2, {**R3, "score": "80"}, **{"exceptions.csv": exceptions})
    result = import_bundle(write_bundle(tmp_path / "b", bundle), actor=SYSTEM)
    assert result.errors == []
    assert sorted(RecordedException.objects.values_list("record", flat=True)) == [
        "2024||M2", "P.D.X|2024|members"]


def test_an_exception_to_an_unknown_rating_is_an_error(db, tmp_path):
    exceptions = table([{"finding": "ratings.score", "file": "ratings.csv",
                         "record": "2023||M2", "decision_no": "3-QĐ/ĐU",
                         "decided_on": "2025-01-05", "decided_by": "", "note": ""}])
    errors = import_refused(write_bundle(tmp_path / "b", files(
        **{"exceptions.csv": exceptions})))
    assert prefixes(errors) == ["exceptions.csv:2:record"]


BAD = [
    ("ratings.csv:3:member_code", (R1, R1)),  # twice in the year
    ("ratings.csv:2:org_code", ({**R1, "org_code": "P.D.X.C1"},)),  # two subjects
    ("ratings.csv:2:org_code", ({**R1, "member_code": ""},)),  # none
    ("ratings.csv:2:member_code", ({**R1, "member_code": "M9"},)),
    ("ratings.csv:2:org_code", ({**R2, "org_code": "P.D.X.C9"},)),
    ("ratings.csv:2:member_code", ({**R1, "year": "1999"},)),  # not yet a member
    ("ratings.csv:2:decided_on", ({**R1, "decided_on": "2023-12-31"},)),
    ("ratings.csv:2:score", ({**R1, "score": "100.5"},)),
    ("ratings.csv:2:score", ({**R1, "score": "85,5"},)),
    ("ratings.csv:2:year", ({**R1, "year": "24"},)),
    ("ratings.csv:2:level", ({**R1, "level": "best"},)),
    ("ratings.csv:2:decided_by", ({**R1, "decided_by": "NOPE"},)),
]


@pytest.mark.parametrize(("where", "ratings"), BAD)
def test_each_broken_check_is_an_error_and_nothing_is_written(db, tmp_path, where, ratings):
    errors = import_refused(write_bundle(tmp_path / "b", files(*ratings)))
    assert where in prefixes(errors), errors


def test_a_rating_already_stored_is_an_error(db, tmp_path):
    assert import_bundle(write_bundle(tmp_path / "a", files()), actor=SYSTEM).errors == []
    again = {"bundle.csv": MARKER, "organizations.csv": None, "villages.csv": None,
             "org_changes.csv": None, "members.csv": None, "member_events.csv": None,
             "positions.csv": None, "ratings.csv": table([R1])}
    errors = import_refused(write_bundle(tmp_path / "b", again))
    assert prefixes(errors) == ["ratings.csv:2:member_code"]


def test_the_export_of_the_example_is_every_row_sorted_by_key(db, tmp_path):
    assert import_bundle(example_folder(tmp_path / "v2", *OWN), actor=SYSTEM).errors == []
    first = tmp_path / "first"
    export_bundle(first)
    text = (first / "ratings.csv").read_text()
    lines = text.splitlines()
    assert lines[0] == "year,org_code,member_code,level,score,decided_on,decided_by"
    assert len(lines) == 1476
    assert lines == [lines[0], *sorted(lines[1:], key=lambda line: (
        line.split(",")[0], line.split(",")[1], line.split(",")[2]))]
