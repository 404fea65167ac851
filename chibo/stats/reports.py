"""Reports in the official layout (Excel and Word), built from report templates that are data.

A report template is a JSON file: a title and a list of rows, each a section heading or a metric
with an optional label, denominator (`of`) and `sub` (numbered 1.1, 1.2 under the row above).
The templates shipped with chibo are in `report_templates/` beside this module; a province adds
its own by dropping files in `$CHIBO_DATA_DIR/report_templates/` (same format; a file with the
same name replaces the shipped one). docs/statistics.md describes the format.
"""

import io
import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from chibo.core.xlsx import workbook
from chibo.organizations.models import OrgPeriod
from chibo.organizations.queries import ancestors
from chibo.stats import catalogue, engine

BUILT_IN = Path(__file__).resolve().parent / "report_templates"
PARTY = "ĐẢNG CỘNG SẢN VIỆT NAM"
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
ROW_KEYS = {"section", "metric", "label", "of", "percent", "sub"}


class TemplateError(ValueError):
    """A report template that cannot be used; the message names the file and the row."""


@dataclass(frozen=True)
class TemplateRow:
    section: str = ""
    metric: str = ""
    label: str = ""
    of: str | None = None
    percent: bool = True
    sub: bool = False


@dataclass(frozen=True)
class ReportTemplate:
    name: str
    title: str
    description: str
    rows: tuple[TemplateRow, ...]
    source: Path

    def keys(self) -> list[str]:
        """Every metric the report needs: its rows' and their denominators'."""
        keys = [row.metric for row in self.rows if row.metric]
        return list(dict.fromkeys(keys + [row.of for row in self.rows if row.of]))

    def has_flows(self) -> bool:
        return any(catalogue.metric(key).flow for key in self.keys())


def template_dirs() -> list[Path]:
    """Shipped templates first, then the province's own (which win on the same name)."""
    return [BUILT_IN, Path(settings.DATA_DIR) / "report_templates"]


def load_templates() -> dict[str, ReportTemplate]:
    """Every report template by name (the file name without `.json`)."""
    found: dict[str, ReportTemplate] = {}
    for directory in template_dirs():
        if directory.is_dir():
            for path in sorted(directory.glob("*.json")):
                found[path.stem] = parse_template(path)
    return found


def get_template(name: str) -> ReportTemplate | None:
    """The template called `name` (the province's own first), None when there is none."""
    if not re.fullmatch(r"[\w-]+", name):
        return None
    for directory in reversed(template_dirs()):
        path = directory / f"{name}.json"
        if path.is_file():
            return parse_template(path)
    return None


def parse_template(path: Path) -> ReportTemplate:
    """Read and check one template; TemplateError names the file and the row at fault."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise TemplateError(f"{path.name}: {error}") from error
    if not isinstance(data, dict) or not isinstance(data.get("rows"), list):
        raise TemplateError(f"{path.name}: cần một đối tượng JSON có \"title\" và \"rows\"")
    if not str(data.get("title", "")).strip():
        raise TemplateError(f"{path.name}: thiếu \"title\"")
    rows = tuple(_row(path, number, raw) for number, raw in enumerate(data["rows"], start=1))
    return ReportTemplate(path.stem, str(data["title"]), str(data.get("description", "")),
                          rows, path)


def _row(path: Path, number: int, raw) -> TemplateRow:
    where = f"{path.name}: dòng {number}"
    if not isinstance(raw, dict) or not set(raw) <= ROW_KEYS:
        raise TemplateError(f"{where}: mỗi dòng là một đối tượng với các khóa "
                            f"{', '.join(sorted(ROW_KEYS))}")
    if "section" in raw:
        return TemplateRow(section=str(raw["section"]))
    known = set(engine.all_keys())
    for name in ("metric", "of"):
        key = raw.get(name)
        if (name == "metric" or key is not None) and key not in known:
            raise TemplateError(f"{where}: không có chỉ tiêu \"{key}\"")
    return TemplateRow(metric=raw["metric"], label=str(raw.get("label", "")), of=raw.get("of"),
                       percent=bool(raw.get("percent", True)), sub=bool(raw.get("sub", False)))


@dataclass(frozen=True)
class Line:
    """One printed row: its number, label, count and percentage (None when not a share)."""

    number: str
    label: str
    metric: str = ""
    value: int | None = None
    share: float | None = None
    section: bool = False
    sub: bool = False


@dataclass
class Report:
    template: ReportTemplate
    org: object
    org_name: str
    upper_name: str
    place: str
    request: engine.Request
    lines: list[Line] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.template.title

    def dated(self) -> str:
        day = self.request.as_of
        return _("%(place)s, ngày %(d)02d tháng %(m)02d năm %(y)d") % {
            "place": self.place, "d": day.day, "m": day.month, "y": day.year}

    def subtitle(self) -> str:
        text = _("Tính đến ngày %(day)s") % {"day": _dmy(self.request.as_of)}
        if self.template.has_flows():
            text += "; " + _("kỳ báo cáo từ ngày %(start)s đến ngày %(end)s") % {
                "start": _dmy(self.request.date_from), "end": _dmy(self.request.date_to)}
        return text


def _dmy(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def build(org, template: ReportTemplate, request: engine.Request,
          place: str | None = None) -> Report:
    """Compute the template's numbers for `org`'s subtree (one engine call) and number the
    rows: sections I, II, …; rows 1, 2, … in each section; sub-rows 1.1, 1.2 under their row."""
    asked = narrowed(request, catalogue.with_denominators(template.keys()))
    values = engine.compute(org, asked)
    period = OrgPeriod.objects.as_of(request.as_of).filter(organization=org).first()
    # the official header names the upper organization, even one above the reader's scope
    above = ancestors(period, request.as_of) if period else []
    report = Report(template, org, period.name if period else org.name,
                    above[-1].name if above else "",
                    place or place_of(above, period, org), asked)
    sections = main = sub = 0
    for row in template.rows:
        if row.section:
            sections, main = sections + 1, 0
            report.lines.append(Line(_roman(sections), row.section, section=True))
            continue
        is_sub = row.sub and main > 0
        if is_sub:
            sub += 1
            number = f"{main}.{sub}"
        else:
            main, sub = main + 1, 0
            number = str(main)
        share = catalogue.share(values, row.metric, row.of) if row.percent else None
        report.lines.append(Line(number, row.label or catalogue.label(row.metric), row.metric,
                                 values[row.metric], share, sub=is_sub))
    return report


def narrowed(request: engine.Request, keys) -> engine.Request:
    """The same day and period, asking only `keys` (the engine computes only those)."""
    return engine.Request.parse(request.as_of, request.date_from, request.date_to,
                                ",".join(keys))


def _roman(n: int) -> str:
    return ROMAN[n - 1] if n <= len(ROMAN) else str(n)


PLACE_PREFIXES = ("đảng bộ tỉnh ", "đảng bộ thành phố ", "tỉnh ủy ", "thành ủy ")


def place_of(ancestors: list[OrgPeriod], period: OrgPeriod | None, org) -> str:
    """The place written before the date: the province of the tree's top (“Đảng bộ tỉnh
    Tuyên Quang” → “Tuyên Quang”), else the top organization's name."""
    top = ancestors[0].name if ancestors else (period.name if period else org.name)
    for prefix in PLACE_PREFIXES:
        if top.lower().startswith(prefix):
            return top[len(prefix):]
    return top


def _vi_number(value) -> str:
    with translation.override("vi"):
        return number_format(value, force_grouping=True)


def _vi_share(share: float | None) -> str:
    if share is None:
        return ""
    with translation.override("vi"):
        return number_format(round(share, 2), 2, force_grouping=True)


def header_left(report: Report) -> list[str]:
    lines = [report.upper_name.upper()] if report.upper_name else []
    return [*lines, report.org_name.upper(), "*"]


COLUMNS = ("STT", "Chỉ tiêu", "Số lượng", "Tỷ lệ (%)")


def to_xlsx(report: Report) -> bytes:
    """The report as an Excel workbook: the party's header, the title, numbered rows with counts
    (integers) and percentages (numbers with two decimals) in one sheet, ready to print."""

    output = io.BytesIO()
    book = workbook(output, in_memory=True)
    sheet = book.add_worksheet("Báo cáo")
    f = _xlsx_formats(book)
    sheet.set_column(0, 0, 7)
    sheet.set_column(1, 1, 62)
    sheet.set_column(2, 3, 13)
    left = header_left(report)
    for r, text in enumerate(left):
        sheet.merge_range(r, 0, r, 1, text, f["center_bold"] if r < len(left) - 1 else f["center"])
    sheet.merge_range(0, 2, 0, 3, PARTY, f["party"])
    sheet.merge_range(1, 2, 1, 3, report.dated(), f["italic"])
    row = len(left) + 1
    sheet.merge_range(row, 0, row, 3, report.title, f["title"])
    sheet.set_row(row, 36)
    sheet.merge_range(row + 1, 0, row + 1, 3, report.subtitle(), f["italic"])
    row += 3
    sheet.write_row(row, 0, COLUMNS, f["head"])
    for line in report.lines:
        row += 1
        if line.section:
            sheet.write(row, 0, line.number, f["section_no"])
            sheet.merge_range(row, 1, row, 3, line.label, f["section"])
            continue
        sheet.write(row, 0, line.number, f["cell_center"])
        sheet.write(row, 1, line.label, f["cell_sub"] if line.sub else f["cell"])
        sheet.write_number(row, 2, line.value, f["count"])
        if line.share is None:
            sheet.write_blank(row, 3, None, f["cell"])
        else:
            sheet.write_number(row, 3, round(line.share, 2), f["share"])
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    book.close()
    return output.getvalue()


def _xlsx_formats(book) -> dict:
    base = {"font_name": "Times New Roman", "font_size": 12, "valign": "vcenter"}
    box = {**base, "border": 1}

    def fmt(**extra):
        return book.add_format({**base, **extra})

    def cell(**extra):
        return book.add_format({**box, **extra})

    return {
        "center_bold": fmt(bold=True, align="center"), "center": fmt(align="center"),
        "party": fmt(bold=True, align="center", underline=1),
        "italic": fmt(italic=True, align="center"),
        "title": fmt(bold=True, align="center", text_wrap=True, font_size=14),
        "head": cell(bold=True, align="center", text_wrap=True),
        "section_no": cell(bold=True, align="center"), "section": cell(bold=True),
        "cell": cell(text_wrap=True), "cell_sub": cell(text_wrap=True, indent=2, italic=True),
        "cell_center": cell(align="center"),
        "count": cell(num_format="#,##0"), "share": cell(num_format="0.00"),
    }


def official_document(font_size: int = 13):
    """An empty Word document in the layout of the Party's papers: Times New Roman, margins of
    3 cm on the left and 2 cm elsewhere (the reports here, the admission forms' templates)."""
    from docx import Document
    from docx.shared import Cm, Pt

    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(font_size)
    for section in document.sections:
        section.left_margin, section.right_margin = Cm(3), Cm(2)
        section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    return document


def to_docx(report: Report) -> bytes:
    """The report as a Word document: the header as a borderless two-column table (the
    organization on the left, the party and the place and date on the right), the title, and
    the numbered table with counts written 1.733 and percentages 46,86."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    document = official_document()
    center = WD_ALIGN_PARAGRAPH.CENTER

    header = document.add_table(rows=1, cols=2)
    left, right = header.rows[0].cells
    _paragraphs(left, header_left(report), center, bold_all_but_last=True)
    party = right.paragraphs[0]
    party.alignment = center
    run = party.add_run(PARTY)
    run.bold = run.underline = True
    dated = right.add_paragraph()
    dated.alignment = center
    dated.add_run(report.dated()).italic = True

    title = document.add_paragraph()
    title.alignment = center
    title.paragraph_format.space_before = Pt(18)
    title.add_run(report.title).bold = True
    subtitle = document.add_paragraph()
    subtitle.alignment = center
    subtitle.add_run(report.subtitle()).italic = True

    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, COLUMNS, strict=True):
        cell.text = ""
        cell.paragraphs[0].alignment = center
        cell.paragraphs[0].add_run(text).bold = True
    for line in report.lines:
        cells = table.add_row().cells
        if line.section:
            cells[0].paragraphs[0].add_run(line.number).bold = True
            merged = cells[1].merge(cells[3])
            merged.paragraphs[0].add_run(line.label).bold = True
            continue
        cells[0].text = line.number
        cells[1].paragraphs[0].add_run(line.label).italic = line.sub
        cells[2].text = _vi_number(line.value)
        cells[3].text = _vi_share(line.share)
        cells[0].paragraphs[0].alignment = center
        for cell in cells[2:]:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    widths = (Cm(1.3), Cm(10.2), Cm(2.5), Cm(2.2))
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def _paragraphs(cell, lines: list[str], alignment, bold_all_but_last: bool) -> None:
    for index, text in enumerate(lines):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        paragraph.alignment = alignment
        paragraph.add_run(text).bold = bold_all_but_last and index < len(lines) - 1


def render(report: Report, kind: str) -> tuple[bytes, str]:
    """(content, content type) of the report as `kind` ("xlsx" or "docx"), in Vietnamese:
    official papers are written in Vietnamese whatever the reader's language."""
    with translation.override("vi"):
        if kind == "xlsx":
            return to_xlsx(report), ("application/vnd.openxmlformats-officedocument."
                                     "spreadsheetml.sheet")
        if kind == "docx":
            return to_docx(report), ("application/vnd.openxmlformats-officedocument."
                                     "wordprocessingml.document")
    raise ValueError(kind)


def filename(report: Report, kind: str) -> str:
    return f"{report.template.name}-{report.org.code}-{report.request.as_of.isoformat()}.{kind}"


# A yearly report's year (the ratings and dues reports) -------------------------------------------

FIRST_YEAR = 1930  # the Party's founding: no report before


class BadYear(ValueError):
    """A year a yearly report cannot be made for (the message says why, in Vietnamese)."""


def year_period(year: int, today: date | None = None) -> tuple[date, date]:
    """1 January to 31 December of `year` (to today for the current year); BadYear for a year
    to come or before the party."""
    today = today or timezone.localdate()
    if not FIRST_YEAR <= year <= today.year:
        raise BadYear(_("Năm %(year)s không hợp lệ: từ %(first)s đến %(last)s.") % {
            "year": year, "first": FIRST_YEAR, "last": today.year})
    return date(year, 1, 1), min(date(year, 12, 31), today)


def parse_year(text) -> int:
    """The year a form, a query or a command gives (BadYear when it is not one)."""
    try:
        year = int(str(text).strip())
    except ValueError:
        raise BadYear(_("Năm không hợp lệ: %(value)s (viết YYYY).") % {"value": text}) from None
    year_period(year)
    return year
