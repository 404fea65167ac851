"""The public example province-99-v2 (spec/examples), shared by the tests of each process's
section: its files, the window its findings hold for, the example imported once per module,
and the comparisons of keys, findings and records with what it expects.

    example = imported_example("inspections.csv", "inspection_subjects.csv", "discipline.csv")

at a test module's top level gives its tests the fixture `example` (the import's result)."""

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
from chibo.stats import engine

V2 = Path(__file__).parent / "bundles" / "province-99-v2"
V1_FILES = ("organizations.csv", "villages.csv", "org_changes.csv", "members.csv",
            "member_events.csv", "positions.csv")
# The window findings.json holds for (examples/README.md).
WINDOW = (date(2026, 12, 4), date(2027, 12, 31))


def example_folder(path: Path, *own: str) -> Path:
    """The version-1 files, bundle.csv and the section's `own` files, copied to `path`."""
    path.mkdir()
    for name in (*V1_FILES, "bundle.csv", *own):
        shutil.copy(V2 / "bundle" / name, path / name)
    return path


def imported_example(*own: str):
    """A module fixture: the example with the `own` files, imported once for the module's
    tests, which only read; kept in a transaction rolled back after the last one (each test
    runs in a savepoint inside it)."""

    @pytest.fixture(scope="module")
    def example(django_db_setup, django_db_blocker, tmp_path_factory):
        with django_db_blocker.unblock(), transaction.atomic():
            folder = example_folder(tmp_path_factory.mktemp("v2") / "b", *own)
            yield import_bundle(folder, actor=SYSTEM)
            transaction.set_rollback(True)

    return example


def queries() -> list[dict]:
    """expected.json: its 41 queries (org, as_of, from, to, values)."""
    found = json.loads((V2 / "expected.json").read_text())
    assert len(found) == 41
    return found


def request_of(query: dict) -> engine.Request:
    return engine.Request.parse(*(date.fromisoformat(query[k]) for k in ("as_of", "from", "to")))


def compare_with_the_example(keys) -> tuple[list, int]:
    """(the values of `keys` that differ from expected.json, as (org, as_of, from, key, value,
    expected); how many were compared), over its 41 queries."""
    wrong, compared = [], 0
    for query in queries():
        values = engine.compute(Organization.objects.get(code=query["org"]), request_of(query))
        for key in set(keys) & set(query["values"]):
            compared += 1
            if values[key] != query["values"][key]:
                wrong.append((query["org"], query["as_of"], query["from"], key, values[key],
                              query["values"][key]))
    return wrong, compared


def records_unlike_the_values(keys) -> tuple[list, int]:
    """(the keys whose records are not as many as their value, as (org, from, key, records,
    value); how many were checked), over the 41 queries."""
    wrong, checked = [], 0
    for query in queries():
        org, request = Organization.objects.get(code=query["org"]), request_of(query)
        for key in keys:
            count = engine.records(org, request, key).count()
            checked += 1
            if count != query["values"][key]:
                wrong.append((query["org"], query["from"], key, count, query["values"][key]))
    return wrong, checked


def record_of(item: dict) -> str:
    """A findings.json item as chibo names its record (chibo.findings.rules): its code, or
    (ratings.csv, which has none) a rating's key columns — year, org_code, member_code — or a
    quota group's decider, year and kind of subject, or (badges.csv) a badge's member_code and
    years, joined by `|`; dues.unpaid's member and year; a liaison's member and introduction
    day; a member's code."""
    if "code" in item:
        return item["code"]
    if item.get("file") == "dues.csv":  # a member's year behind (dues.unpaid)
        return f"{item['member_code']}|{item['year']}"
    if item.get("file") == "residence_liaison.csv":  # a liaison (liaison.no_feedback)
        return f"{item['member_code']}|{item['introduced_on']}"
    if item.get("file") == "members.csv":  # a member (liaison.missing)
        return item["member_code"]
    if item.get("subjects"):
        return f"{item['decided_by']}|{item['year']}|{item['subjects']}"
    if "years" in item:  # badges.csv: member_code, years
        return f"{item['member_code']}|{item['years']}"
    return f"{item['year']}|{item.get('org_code') or ''}|{item.get('member_code') or ''}"


def findings_and_the_example(today: date, keys) -> tuple[dict, dict, set]:
    """(the records of each finding of `keys` found for the province on `today`, those
    findings.json names, the files they were found in)."""
    expected = json.loads((V2 / "findings.json").read_text())
    found = record_findings(Organization.objects.get(code="TQ"), today, keys)
    got = {key: sorted(f.finding.record for f in found if f.finding.key == key) for key in keys}
    want = {key: sorted(record_of(item) for item in expected[key]) for key in keys}
    return got, want, {f.finding.file for f in found}
