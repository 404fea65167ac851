"""The files and columns of the records core's bundle sections (spec/BUNDLE.md), the column
types every section uses, and how one cell is read.

Each column declares its type; `parse_row` turns a row of strings into typed values and reports
every bad cell. The allowed values of enumerated columns come from the models' choices, and the
longest text a column accepts from the model field it fills, so the bundle cannot drift from the
database.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from chibo.core import validation
from chibo.interchange.report import Report, Row
from chibo.members.choices import (
    EventKindChoices,
    Gender,
    PostRole,
    ProfessionalLevel,
    TheoryLevel,
)
from chibo.members.models import Member, MemberEvent
from chibo.organizations.choices import ChangeKind, OrgKind, Sector, VillageKind
from chibo.organizations.models import Organization, Reorganization, Village

TEXT, CODE, DATE, BOOL, CHOICE, GRADE = "text", "code", "date", "bool", "choice", "grade"
TIME, INT, DATETIME = "time", "int", "datetime"
DECIMAL, YEAR = "decimal", "year"  # spec BUNDLE-v2.md: `97.1`, `2024`
MONTH = "month"  # spec BUNDLE-v2.md: `2025-03`, read as the month's first day


@dataclass(frozen=True)
class Column:
    key: str
    type: str = TEXT
    required: bool = False
    choices: tuple[str, ...] = ()
    max_length: int | None = None
    # A rule of chibo.core.validation beyond the type's own (validate_phone, validate_email).
    check: Callable[[str], None] | None = None


@dataclass(frozen=True)
class FileSpec:
    name: str
    columns: tuple[Column, ...]

    @property
    def stem(self) -> str:
        return self.name.removesuffix(".csv")

    @property
    def keys(self) -> list[str]:
        return [column.key for column in self.columns]

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)


def text_column(key: str, model, field: str | None = None, required: bool = False,
                check: Callable[[str], None] | None = None) -> Column:
    """A text filling the column `model.field`: as long as the column, one line for a
    CharField (a long text, line breaks allowed, for a TextField), and `check` on top."""
    length = validation.column_length(model, field or key)
    return Column(key, TEXT, required, max_length=length, check=check)


def choice_column(key: str, choices, required: bool = False) -> Column:
    return Column(key, CHOICE, required, tuple(choices.values))


def code_column(key: str, required: bool = False) -> Column:
    return Column(key, CODE, required, max_length=64)


def date_column(key: str, required: bool = False) -> Column:
    return Column(key, DATE, required)


ORGANIZATIONS = FileSpec("organizations.csv", (
    code_column("code", True), text_column("name", Organization, required=True),
    choice_column("kind", OrgKind, True), choice_column("sector", Sector),
    code_column("parent_code"), date_column("established_on", True),
    code_column("village_code"),
))
VILLAGES = FileSpec("villages.csv", (
    code_column("code", True), text_column("name", Village, required=True),
    choice_column("kind", VillageKind, True), code_column("commune_code", True),
    date_column("established_on"),
))
ORG_CHANGES = FileSpec("org_changes.csv", (
    date_column("effective_on", True), code_column("org_code", True),
    choice_column("change", ChangeKind, True), code_column("new_parent_code"),
    text_column("new_name", Reorganization), choice_column("new_sector", Sector),
    code_column("into_code"),
    text_column("decision_no", Reorganization), Column("note"),
))
MEMBERS = FileSpec("members.csv", (
    code_column("member_code", True), text_column("full_name", Member, required=True),
    choice_column("gender", Gender, True), date_column("birth_date", True),
    *(text_column(key, Member) for key in ("ethnicity", "religion", "national_id")),
    text_column("phone", Member, check=validation.validate_phone),
    text_column("email", Member, check=validation.validate_email),
    *(text_column(key, Member) for key in ("hometown", "residence", "occupation", "card_number")),
    Column("general_education", GRADE), choice_column("professional_level", ProfessionalLevel),
    choice_column("theory_level", TheoryLevel), date_column("admitted_on", True),
    date_column("official_on"), code_column("org_code", True), date_column("org_since"),
))
MEMBER_EVENTS = FileSpec("member_events.csv", (
    code_column("member_code", True), choice_column("event", EventKindChoices, True),
    date_column("effective_on", True), code_column("org_code"),
    text_column("decision_no", MemberEvent), Column("note"),
))
POSITIONS = FileSpec("positions.csv", (
    code_column("member_code", True), choice_column("role", PostRole, True),
    code_column("org_code"), code_column("village_code"), date_column("start_on", True),
    date_column("end_on"),
))
# Reading one cell -------------------------------------------------------------------------------

class BadValue(ValueError):
    """A cell that does not read as its column's type; the message is for the user."""


_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_GRADE = re.compile(r"(\d{1,2})/(\d{1,2})")
TRUE_WORDS, FALSE_WORDS = frozenset({"true", "1", "có"}), frozenset({"false", "0", "không"})


def parse_date(text: str) -> date:
    """`YYYY-MM-DD`, or `dd/mm/yyyy` as clerks type it."""
    if match := _ISO.fullmatch(text):
        year, month, day = match.groups()
    elif match := _DMY.fullmatch(text):
        day, month, year = match.groups()
    else:
        raise BadValue(_("ngày không hợp lệ: %(value)s (viết YYYY-MM-DD hoặc dd/mm/yyyy)")
                       % {"value": text})
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise BadValue(_("ngày không có thật: %(value)s") % {"value": text}) from None


def parse_bool(text: str) -> bool:
    """`true/false`, `1/0` or `có/không`, in any case."""
    word = text.lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise BadValue(_("giá trị đúng/sai không hợp lệ: %(value)s (viết true/false, 1/0 hoặc "
                     "có/không)") % {"value": text})


def _parse_choice(text: str, column: Column) -> str:
    if text not in column.choices:
        raise BadValue(_("giá trị không hợp lệ: %(value)s (chọn một trong: %(choices)s)")
                       % {"value": text, "choices": ", ".join(column.choices)})
    return text


def _apply(rule: Callable, value):
    """A rule of chibo.core.validation on a cell: its refusal is the cell's error."""
    try:
        rule(value)
    except ValidationError as error:
        raise BadValue(validation.messages_of(error)) from None
    return value


def _parse_code(text: str, column: Column) -> str:
    _apply(validation.validate_code, text)
    return _parse_text(text, column)


def _parse_text(text: str, column: Column) -> str:
    """As long as the column; one line for a bounded column (a CharField), a long text (line
    breaks allowed) otherwise; the column's own rule."""
    if column.max_length is not None and len(text) > column.max_length:
        raise BadValue(_("dài quá %(n)s ký tự") % {"n": column.max_length})
    line = column.max_length is not None
    _apply(validation.validate_line if line else validation.validate_text, text)
    if column.check is not None:
        _apply(column.check, text)
    return text


def parse_record_date(text: str) -> date:
    """A date of the records: readable, and plausible (validation.validate_plausible_date)."""
    return _apply(validation.validate_plausible_date, parse_date(text))


def _parse_grade(text: str, column: Column) -> str:
    """A completed grade over the school system, such as 12/12 or 9/12."""
    match = _GRADE.fullmatch(text)
    if match is None or not 0 <= int(match[1]) <= int(match[2]) > 0:
        raise BadValue(_("trình độ phổ thông không hợp lệ: %(value)s (viết lớp/hệ, ví dụ 12/12 "
                         "hoặc 9/12)") % {"value": text})
    return text


_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::00)?")


def parse_time(text: str) -> time:
    """`HH:MM` (24 hours)."""
    match = _TIME.fullmatch(text)
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        raise BadValue(_("giờ không hợp lệ: %(value)s (viết HH:MM)") % {"value": text})
    return time(int(match[1]), int(match[2]))


def parse_int(text: str) -> int:
    if not text.isdigit():
        raise BadValue(_("cần một số nguyên không âm: %(value)s") % {"value": text})
    return int(text)


_DECIMAL = re.compile(r"\d+(\.\d+)?")
_YEAR = re.compile(r"\d{4}")


def parse_decimal(text: str) -> Decimal:
    """A non-negative decimal with `.` as the point and no thousands separator: `97.1`."""
    if _DECIMAL.fullmatch(text) is None:
        raise BadValue(_("cần một số thập phân không âm, dấu chấm ngăn phần thập phân: "
                         "%(value)s (ví dụ 97.1)") % {"value": text})
    return Decimal(text)


def parse_year(text: str) -> int:
    """A year `YYYY`, within the plausible dates (chibo.core.validation)."""
    if _YEAR.fullmatch(text) is None:
        raise BadValue(_("năm không hợp lệ: %(value)s (viết YYYY)") % {"value": text})
    try:
        validation.validate_plausible_date(date(int(text), 1, 1))
    except ValidationError as error:
        raise BadValue(" ".join(error.messages)) from None
    return int(text)


_MONTH = re.compile(r"(\d{4})-(\d{2})")


def parse_month(text: str) -> date:
    """A month `YYYY-MM` as its first day, within the plausible dates."""
    match = _MONTH.fullmatch(text)
    if match is None or not 1 <= int(match[2]) <= 12:
        raise BadValue(_("tháng không hợp lệ: %(value)s (viết YYYY-MM)") % {"value": text})
    return _apply(validation.validate_plausible_date, date(int(match[1]), int(match[2]), 1))


def parse_datetime(text: str) -> datetime:
    """ISO 8601 with its offset from UTC (`2026-07-01T08:00:00+07:00`): a moment, not a clock
    reading."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None or "T" not in text.upper():
        raise BadValue(_("thời điểm không hợp lệ: %(value)s (viết theo ISO 8601 có múi giờ, ví "
                         "dụ 2026-07-01T08:00:00+07:00)") % {"value": text})
    return moment


PARSERS = {
    TEXT: _parse_text, CODE: _parse_code, GRADE: _parse_grade, CHOICE: _parse_choice,
    DATE: lambda text, column: parse_record_date(text), BOOL: lambda text, column: parse_bool(text),
    TIME: lambda text, column: parse_time(text), INT: lambda text, column: parse_int(text),
    DATETIME: lambda text, column: parse_datetime(text),
    DECIMAL: lambda text, column: parse_decimal(text), YEAR: lambda text, column: parse_year(text),
    MONTH: lambda text, column: parse_month(text),
}


def parse_row(spec: FileSpec, row: Row, cells: dict[str, str], report: Report) -> None:
    """Fill `row.values` with the typed value of every column of `spec` (None when empty),
    reporting each bad or missing required cell; the row is marked failed when any is."""
    for column in spec.columns:
        text = cells.get(column.key, "")
        if not text:
            row.values[column.key] = None
            if column.required and column.key in cells:
                row.fail(report, column.key, _("thiếu giá trị (cột bắt buộc)"))
            continue
        try:
            row.values[column.key] = PARSERS[column.type](text, column)
        except BadValue as error:
            row.values[column.key] = None
            row.fail(report, column.key, str(error))
