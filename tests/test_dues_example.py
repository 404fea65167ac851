"""The public example province-99-v2 (spec/examples): its version-1 files with dues.csv import
without an error; every key of METRICS-v2 "Dues" equals expected.json in its 41 queries, and
the records behind each key make its value (`dues.amount`: their amounts add up to it);
findings.json's `dues.unpaid` is reported exactly, for a "today" at both ends of its window
(`dues.amount` is left out of findings.json: it depends on the configured rates)."""

import pytest
from django.db.models import Sum

from chibo.dues import metrics, rules, sheets
from chibo.dues.models import DuesYear, Payment
from chibo.organizations.models import Organization
from chibo.stats import engine
from tests.example_v2 import (
    WINDOW,
    compare_with_the_example,
    findings_and_the_example,
    imported_example,
    queries,
    request_of,
)

example = imported_example("dues.csv")


def test_the_example_imports_without_an_error(example, db):
    assert example.errors == []
    assert example.counts["dues.csv"] == 5133
    assert Payment.objects.count() == 5133
    assert DuesYear.objects.count() == Payment.objects.values("member", "month__year").distinct(
        ).count()


def test_every_dues_key_equals_the_example(example, db):
    wrong, compared = compare_with_the_example(metrics.KEYS)
    assert wrong == []
    assert compared == 41 * len(metrics.KEYS) == 41 * 3


@pytest.mark.parametrize("today", WINDOW)
def test_the_unpaid_findings_are_those_of_the_example(example, db, today):
    got, want, files = findings_and_the_example(today, (rules.UNPAID,))
    assert got == want
    assert len(want[rules.UNPAID]) == 7514
    assert files == {"dues.csv"}


def test_the_records_behind_each_key_make_its_value(example, db):
    wrong = []
    for query in queries():
        org, request = Organization.objects.get(code=query["org"]), request_of(query)
        for key in metrics.KEYS:
            rows = engine.records(org, request, key)
            made = (rows.aggregate(total=Sum("amount"))["total"] or 0) if key == metrics.AMOUNT \
                else rows.count()
            if made != query["values"][key]:
                wrong.append((query["org"], query["from"], key, made, query["values"][key]))
    assert wrong == []


def test_the_derived_years_are_those_the_payments_give(example, db):
    fields = ("member_id", "year", "paid_03", "upto_11", "count_07", "last_paid")
    before = sorted(DuesYear.objects.values_list(*fields))
    sheets.rebuild_all()
    assert sorted(DuesYear.objects.values_list(*fields)) == before
