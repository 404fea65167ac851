"""Payments imported from a spreadsheet (chibo.dues.spreadsheet, the page): all or nothing,
every problem named by its row and column, as the bundle names dues.csv's; a member outside
the importer's organization refused."""

import io
from datetime import date

import pytest
from openpyxl import Workbook

from chibo.dues import spreadsheet
from chibo.dues.models import DuesYear, Payment

HEADER = "member_code,month,amount,paid_on\n"


def xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_sheet_of_payments_is_imported_whole(world, people):
    content = xlsx([["member_code", "month", "amount", "paid_on"],
                    ["M001", "2026-03", 5000, date(2026, 3, 25)],
                    ["M002", "2026-03", 5000, "2026-03-26"]])
    count = spreadsheet.import_payments(world.orgs["D1.X1"], "cong-dvc.xlsx", content,
                                        actor=world.users["commune"])
    assert count == 2
    lan = Payment.objects.get(member=people["lan"])
    assert (lan.channel, lan.receipt, lan.paid_on) == ("portal", None, date(2026, 3, 25))
    assert DuesYear.objects.get(member=people["thang"], year=2026).paid_03 == date(2026, 3, 26)


def test_every_problem_is_named_and_nothing_written(world, people):
    content = (HEADER + "M001,2026-03,5000,2026-03-25\n"  # good
               "M001,2026-03,5000,2026-03-25\n"  # twice
               "M404,2026-03,5000,2026-03-25\n"  # unknown
               "M002,2026-13,5000,2026-03-25\n"  # bad month
               "M003,2026-03,0,2026-03-25\n"  # nothing paid
               "M008,2026-03,5000,2026-03-25\n"  # outside the commune
               "M004,2025-01,5000,2025-03-25\n").encode()  # before An's admission
    with pytest.raises(spreadsheet.RefusedImport) as refused:
        spreadsheet.import_payments(world.orgs["D1.X1"], "sheet.csv", content,
                                    actor=world.users["commune"])
    prefixes = [line.split(" ")[0] for line in refused.value.lines]
    assert prefixes == ["3:month:", "4:member_code:", "5:month:", "6:amount:",
                        "7:member_code:", "8:month:"]
    assert not Payment.objects.exists()


def test_the_page_imports_and_shows_the_problems(world, people):
    client = world.client("commune")
    url = "/org/D1.X1/dues/import/"
    bad = io.BytesIO((HEADER + "M001,2026-03,abc,2026-03-25\n").encode())
    bad.name = "sheet.csv"
    page = client.post(url, {"file": bad, "channel": "portal"})
    assert page.status_code == 200 and "2:amount:" in page.content.decode()
    good = io.BytesIO((HEADER + "M001,2026-03,5000,2026-03-25\n").encode())
    good.name = "sheet.csv"
    assert client.post(url, {"file": good, "channel": "transfer"}).status_code == 302
    assert Payment.objects.get().channel == "transfer"
    assert world.client("secretary").get("/org/D1.X1.C1/dues/import/").status_code == 403
