"""No text written to Excel becomes a formula or a link, whoever typed it."""

import io
from pathlib import Path

from openpyxl import load_workbook

from chibo.core.xlsx import workbook


def test_text_that_looks_like_a_formula_stays_text():
    buffer = io.BytesIO()
    book = workbook(buffer, in_memory=True)
    sheet = book.add_worksheet()
    sheet.write(0, 0, '=HYPERLINK("http://evil.example","Bấm")')
    sheet.write(1, 0, "http://evil.example")
    book.close()
    cells = load_workbook(io.BytesIO(buffer.getvalue())).active
    assert cells["A1"].value == '=HYPERLINK("http://evil.example","Bấm")'
    assert cells["A1"].data_type == "s"
    assert cells["A2"].hyperlink is None


def test_every_workbook_is_made_by_the_safe_helper():
    package = Path(__file__).parent.parent / "chibo"
    direct = [str(path.relative_to(package)) for path in package.rglob("*.py")
              if "xlsxwriter.Workbook(" in path.read_text(encoding="utf-8")]
    assert direct == ["core/xlsx.py"]
