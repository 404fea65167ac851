"""The dues process's contract fixtures: dues.csv and the dues metric groups (chibo.dues
registers them in its app's ready()).

The payments come through the bundle's importer (`import_records`), so they pass every check a
province's files do: in Đồng Mạ cell (D1.X1.C1), Lan (M001) paid every month of 2025 and Thắng
(M002) January to June; Dương, An and Hoa paid nothing in 2025 (three months and more behind
on 31 December, but An, admitted in September, owes only September to November); Bình in Nà Khà
cell paid March 2025. Through the services: Hoa's January 2026, with its receipt.
ROUTES: every page and endpoint. Reading needs `dues.view` (the cell's secretary, the offices,
organization boards, inspection), recording `dues.record` (the treasurer, the offices).
"""

import io
from datetime import date

from chibo.accounts.policy import SYSTEM
from chibo.dues import services
from chibo.dues.capabilities import RECORD_DUES, VIEW_DUES
from chibo.dues.models import Payment, Receipt
from chibo.interchange.importer import import_records
from tests.conftest import D
from tests.contract.registry import DomainFixtures, Query, Route, register

CELL = "D1.X1.C1"


def _row(member, month, amount=20000, category="other"):
    return {"member_code": member, "month": f"2025-{month:02d}", "amount": amount,
            "paid_on": date(2025, month, 20), "category": category, "basis_amount": None}


def build(world, people) -> dict:
    rows = [_row("M001", month) for month in range(1, 13)]
    rows += [_row("M002", month, 5000, "student") for month in range(1, 7)]
    rows += [_row("M006", 3)]
    result = import_records({"dues.csv": rows}, actor=SYSTEM)
    assert result.errors == [], result.errors
    services.record_payments(people["hoa"], [services.MonthPaid(D(2026, 1, 1), 20000)],
                             paid_on=D(2026, 1, 15), actor=SYSTEM)
    return {}


READ = {"org": CELL, "capability": VIEW_DUES,
        "allowed": ("admin", "province", "inspector", "commune", "secretary"),
        "denied": ("viewer", "member"), "outside": ("other_commune", "nobody")}
RECORD = {**READ, "capability": RECORD_DUES, "method": "POST", "allowed": ("admin", "commune"),
          "denied": ("province", "inspector", "secretary", "viewer", "member")}
UNREACHED = "a member outside the caller's sight, named in the body, is refused on its field " \
            "(422, docs/api.md)"


def _receipt(built) -> dict:
    return {"pk": Receipt.objects.get().pk}


def _february(built):
    return Payment.objects.filter(member__member_code="M002", month=D(2026, 2, 1)).count()


def _sheet(built) -> dict:
    upload = io.BytesIO(b"member_code,month,amount,paid_on\nM002,2026-02,5000,2026-03-01\n")
    upload.name = "cong-dvc.csv"
    return {"file": upload, "channel": "portal"}


ROUTES = (
    Route("dues:sheet", f"/org/{CELL}/dues/?month=2025-03", shows="Nông Thị Lan", **READ),
    Route("dues:receipt", f"/org/{CELL}/dues/receipts/{{pk}}/", kwargs=_receipt,
          shows="0001/2026", **READ),
    Route("dues:pay", f"/org/{CELL}/dues/pay/", **RECORD, success=302,
          body={"member": "M002", "month": "2026-02", "amount": "5000",
                "paid_on": "01/03/2026"}, state=_february),
    Route("dues:import", f"/org/{CELL}/dues/import/", shows="import-form",
          **{**RECORD, "method": "GET"}),
    Route("dues:import", f"/org/{CELL}/dues/import/", **RECORD, success=302, body=_sheet,
          state=_february),
    Route("dues:report", f"/org/{CELL}/dues/report/", shows="dues-report-form", **READ),
    Route("dues:report_xlsx", f"/org/{CELL}/dues/report.xlsx?year=2025", **READ),
    Route("api:get_dues_sheet", f"/api/v1/dues/sheet?org={CELL}&month=2025-03",
          shows="M001", **READ),
    Route("api:record_dues", "/api/v1/dues/payments", **RECORD, success=201,
          body={"member_code": "M002", "months": [{"month": "2026-02", "amount": 5000}],
                "paid_on": "2026-03-01"},
          xfail={"other_commune": UNREACHED, "nobody": UNREACHED}, state=_february),
)

register(DomainFixtures(
    key="dues", build=build, sections=("dues",), groups=("dues", "dues_unpaid"),
    pages=("dues",), api=("dues",), routes=ROUTES,
    sum_keys={"dues.amount": "amount"},
    queries=(
        Query("TQ", D(2025, 1, 1), D(2025, 12, 31), D(2025, 12, 31)),
        Query("D1.X1", D(2025, 3, 1), D(2025, 6, 30), D(2025, 6, 30)),
        Query(CELL, D(2025, 1, 1), D(2025, 12, 31), D(2025, 12, 31)),
        Query("D1.X1.C2", D(2025, 1, 1), D(2025, 3, 31), D(2025, 4, 2)),
    ),
))
