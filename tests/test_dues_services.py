"""The dues services (chibo.dues.services): the cell's treasurer records a month on the cell's
sheet with a receipt; what the history forbids is refused on its field, nothing written; a
payment that is not the month's rate is refused unless an exception is given; the derived
years follow; the treasurer's capabilities end at the cell."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from chibo.accounts.choices import Role
from chibo.accounts.policy import SYSTEM, can
from chibo.accounts.services import create_user, grant_role
from chibo.core.exceptions import RuleViolation
from chibo.dues import queries, services
from chibo.dues.config import install_defaults
from chibo.dues.models import DuesYear, Payment, Receipt
from chibo.findings.models import RecordedException
from chibo.findings.services import Decision

D = date
MARCH = D(2026, 3, 1)


@pytest.fixture(autouse=True)
def _rates(db):
    """The rules the migration installs (a transactional test before may have emptied them)."""
    install_defaults()


@pytest.fixture
def treasurer(world):
    user = create_user(actor=SYSTEM, username="treasurer", password="a-test-password-1")
    grant_role(user, actor=SYSTEM, role=Role.TREASURER, organization=world.orgs["D1.X1.C1"])
    return user


def test_the_treasurer_records_a_month_with_its_receipt(world, people, treasurer):
    lan = people["lan"]
    services.set_basis(lan, valid_from=D(2026, 1, 1), category="student", basis_amount=None,
                       actor=treasurer)
    rows = services.record_payments(lan, [services.MonthPaid(MARCH)], paid_on=D(2026, 3, 20),
                                    actor=treasurer)
    payment = Payment.objects.get(member=lan, month=MARCH)
    assert rows == [payment] and payment.amount == 5000 and payment.category == "student"
    receipt = payment.receipt
    assert (receipt.cell.code, receipt.number, receipt.total) == ("D1.X1.C1", 1, 5000)
    assert DuesYear.objects.get(member=lan, year=2026).paid_03 == D(2026, 3, 20)
    sheet = {row.member.member_code: row for row in queries.sheet(world.orgs["D1.X1.C1"],
                                                                   MARCH, D(2026, 4, 2))}
    assert sheet["M001"].paid and sheet["M001"].due == 5000
    assert sheet["M001"].unpaid_this_year == 2  # January and February
    assert not sheet["M002"].paid and sheet["M002"].unpaid_this_year == 3
    again = services.record_payments(lan, [services.MonthPaid(D(2026, 4, 1))],
                                     paid_on=D(2026, 4, 2), actor=treasurer)
    assert again[0].receipt.number == 2


@pytest.mark.parametrize("months, paid_on, field", [
    ([MARCH, MARCH], D(2026, 3, 20), "month"),  # twice
    ([D(2009, 1, 1)], D(2026, 3, 20), "month"),  # before her admission
    ([MARCH], D(2099, 1, 1), "paid_on"),
    ([], D(2026, 3, 20), "month"),
])
def test_what_the_history_forbids_is_refused_and_nothing_written(people, treasurer, months,
                                                                 paid_on, field):
    with pytest.raises(RuleViolation) as refused:
        services.record_payments(people["lan"], [services.MonthPaid(m, 5000) for m in months],
                                 paid_on=paid_on, actor=treasurer)
    assert refused.value.field == field
    assert not Payment.objects.exists() and not Receipt.objects.exists()


def test_a_month_without_a_known_due_needs_its_amount(people, treasurer):
    with pytest.raises(RuleViolation) as refused:
        services.record_payments(people["lan"], [services.MonthPaid(MARCH)],
                                 paid_on=D(2026, 3, 20), actor=treasurer)
    assert refused.value.field == "amount"


def test_a_payment_below_the_rate_needs_an_exception(people, treasurer):
    lan = people["lan"]
    services.set_basis(lan, valid_from=MARCH, category="salary", basis_amount=6_000_000,
                       actor=treasurer)
    with pytest.raises(RuleViolation) as refused:
        services.record_payments(lan, [services.MonthPaid(MARCH, 50000)],
                                 paid_on=D(2026, 3, 20), actor=treasurer)
    assert refused.value.code == "finding" and "60.000" in str(refused.value)
    assert not Payment.objects.exists()
    services.record_payments(lan, [services.MonthPaid(MARCH, 50000)], paid_on=D(2026, 3, 20),
                             actor=treasurer, exception=Decision("12-QĐ/ĐU", D(2026, 3, 1),
                                                                 "D1.X1"))
    assert RecordedException.objects.get().record == "M001|2026-03"


def test_the_treasurer_records_only_in_their_cell(world, people, treasurer):
    assert can(treasurer, "dues.record", world.orgs["D1.X1.C1"])
    assert not can(treasurer, "dues.record", world.orgs["D1.X1.C2"])
    assert not can(treasurer, "member.view", world.orgs["D1.X1.C1"])
    with pytest.raises(PermissionDenied):
        services.record_payments(people["binh"], [services.MonthPaid(MARCH, 5000)],
                                 paid_on=D(2026, 3, 20), actor=treasurer)
    with pytest.raises(PermissionDenied):
        services.record_payments(people["lan"], [services.MonthPaid(MARCH, 5000)],
                                 paid_on=D(2026, 3, 20), actor=world.users["secretary"])
