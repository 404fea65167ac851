"""Writing a bundle: a directory or a .zip of CSV files, or one .xlsx workbook, by the path.

The output depends only on the rows: CSV is RFC 4180 (CRLF, UTF-8 without BOM); zip entries and
the workbook carry a fixed timestamp, so exporting the same records twice gives the same bytes.
"""

import csv
import io
import zipfile
from datetime import datetime
from pathlib import Path

from chibo.core.xlsx import workbook

FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the zip format's epoch

# file name -> rows of text, header first; written in this order (the marker first)
Tables = dict[str, list[list[str]]]


def write_bundle(path: Path, tables: Tables) -> None:
    suffix = path.suffix.lower()
    if suffix == ".zip":
        _write_zip(path, tables)
    elif suffix == ".xlsx":
        _write_xlsx(path, tables)
    else:
        _write_directory(path, tables)


def csv_bytes(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _write_directory(path: Path, tables: Tables) -> None:
    path.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        (path / name).write_bytes(csv_bytes(rows))


def _write_zip(path: Path, tables: Tables) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, rows in tables.items():
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, csv_bytes(rows))


def _write_xlsx(path: Path, tables: Tables) -> None:
    """Every cell is written as text, so that codes such as 0912… keep their zeros and dates
    read back exactly as exported."""
    book = workbook(str(path), strings_to_numbers=False)
    book.set_properties({"created": datetime(*FIXED_TIME)})
    bold = book.add_format({"bold": True})
    for name, rows in tables.items():
        sheet = book.add_worksheet(name.removesuffix(".csv"))
        for number, row in enumerate(rows):
            for position, value in enumerate(row):
                sheet.write_string(number, position, value, bold if number == 0 else None)
        sheet.freeze_panes(1, 0)
        sheet.set_column(0, len(rows[0]) - 1, 16)
    book.close()
