"""The yearly dues report (chibo.dues.report, its page and download): the engine's dues keys,
then the shares kept at each level and sent up (342-QĐ/TW's shares, shipped as configuration):
a cell under a commune's committee keeps 30 %, the commune 90 % of the rest, each level above
50 % of what reaches it."""

import io

from openpyxl import load_workbook

from chibo.accounts.policy import SYSTEM
from chibo.dues import report
from chibo.dues.config import install_defaults
from chibo.interchange.importer import import_records


def _paid(people):
    install_defaults()  # the shares (a transactional test before may have emptied them)
    rows = [{"member_code": "M001", "month": f"2025-{m:02d}", "amount": 20000,
             "paid_on": f"2025-{m:02d}-10"} for m in range(1, 13)]
    assert import_records({"dues.csv": rows}, actor=SYSTEM).errors == []


def test_the_shares_kept_and_sent_up(world, people):
    _paid(people)
    first, last = report.period(2025)
    commune = report.shares(world.orgs["D1.X1"], first, last)
    assert dict(commune) == {"collected": 240000, "cells": 72000, "grassroots": 151200,
                             "sent": 16800}
    province = report.shares(world.orgs["TQ"], first, last)
    assert (province["above"], province["sent"]) == (8400 + 4200, 4200)
    cell = report.shares(world.orgs["D1.X1.C1"], first, last)
    assert (cell["cells"], cell["sent"]) == (72000, 168000)


def test_the_report_downloads_as_excel(world, people):
    _paid(people)
    client = world.client("commune")
    assert client.get("/org/D1.X1/dues/report/").status_code == 200
    answer = client.get("/org/D1.X1/dues/report.xlsx?year=2025")
    assert answer.status_code == 200
    sheet = load_workbook(io.BytesIO(answer.content)).active
    text = " ".join(str(cell) for row in sheet.iter_rows(values_only=True) for cell in row
                    if cell is not None)
    assert "ĐẢNG PHÍ" in text and "151200" in text.replace(".", "").replace(",", "")
    assert client.get("/org/D1.X1/dues/report.xlsx?year=3000").status_code == 400
    assert world.client("viewer").get("/org/D1.X1/dues/report.xlsx?year=2025").status_code == 403
