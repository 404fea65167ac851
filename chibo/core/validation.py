"""The rules every input field obeys, whichever way it comes in: a page's form, the API, a
bundle import (docs/architecture.md, "One validation for every way in").

Each rule is written once, here, as a Django validator (a function that raises
`ValidationError` with a message for the user). The three ways in use the same functions:

* forms: the field classes of chibo.core.forms (`LineField`, `PhoneField`, …);
* the API: the pydantic types built by `api_text`, `api_code`, `api_date` … (the same validator
  behind an `AfterValidator`, the column's length as `maxLength` in the OpenAPI schema);
* the bundle reader: chibo.interchange.schema calls them on every cell and reports a refusal as
  `FILE:ROW:COLUMN: message`.

Lengths are those of the database columns (read from the model field, so that they cannot
drift). The business rules that need stored records (a birth date before the admission, a
code not yet used) stay in the services; these are the rules of one value alone.
"""

import re
import unicodedata
from datetime import date, timedelta
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email as django_validate_email
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from pydantic import AfterValidator, Field, StringConstraints
from pydantic_core import PydanticCustomError

__all__ = [
    "DATE_FLOOR", "FUTURE_YEARS", "MAX_OFFSET", "MAX_RECORD_ID", "api_code", "api_date",
    "api_text", "column_length", "record_id", "validate_code", "validate_email",
    "validate_line", "validate_phone", "validate_plausible_date", "validate_text",
]

DATE_FLOOR = date(1900, 1, 1)
"""No date of the records is earlier: the Party was founded in 1930, and nobody alive was born
before 1900."""
FUTURE_YEARS = 5
"""How far ahead a date may lie (a meeting planned, a task's deadline): a later one is a typo."""
MAX_OFFSET = 1_000_000_000
"""The largest offset into a list: far above any list, far below a database integer."""
MAX_RECORD_ID = 2**63 - 1
"""The largest id a database row can have (a 64-bit integer on SQLite and PostgreSQL)."""

# Unicode categories a stored text may not hold: control characters (Cc: NUL, escapes, …),
# format characters (Cf: the bidirectional overrides and isolates that make a text read
# differently from how it is stored, zero-width characters), lone surrogates (Cs: not
# encodable as UTF-8, PostgreSQL refuses them) and the line and paragraph separators (Zl, Zp).
# Vietnamese needs none of them. Long texts (notes, minutes) keep their line breaks and tabs.
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_TEXT_ALLOWED = frozenset("\n\r\t")

# Vietnamese telephone numbers (Decision 798/QĐ-BTTTT on the numbering plan): a mobile number is
# 0 followed by 9 digits, the first of them 3, 5, 7, 8 or 9; a landline is 0 followed by a
# 2xx area code and 8 digits (11 digits). +84 may replace the leading 0. Spaces, dots and
# hyphens between the groups are allowed as people write them.
_PHONE = re.compile(r"(?:\+84|0)(?:[35789]\d{8}|2\d{9})")
_PHONE_SEPARATORS = re.compile(r"(?<=\d)[ .\-](?=\d)")


def _refused_character(value: str, allowed: frozenset[str] = frozenset()) -> str | None:
    for character in value:
        if character not in allowed and unicodedata.category(character) in _REFUSED_CATEGORIES:
            return character
    return None


def _refuse(message, code: str, **params):
    raise ValidationError(message, code=code, params=params)


def validate_line(value: str) -> None:
    """One line of text (a name, a place, a number): no control or direction characters."""
    if (character := _refused_character(value)) is not None:
        _refuse(_("Không được chứa ký tự điều khiển hoặc ký tự đổi chiều văn bản (U+%(cp)s)."),
                "control_character", cp=f"{ord(character):04X}")


def validate_text(value: str) -> None:
    """A long text (notes, minutes): line breaks and tabs, but no other control characters."""
    if (character := _refused_character(value, _TEXT_ALLOWED)) is not None:
        _refuse(_("Không được chứa ký tự điều khiển hoặc ký tự đổi chiều văn bản (U+%(cp)s)."),
                "control_character", cp=f"{ord(character):04X}")


def validate_code(value: str) -> None:
    """A code (of an organization, a member, a meeting): one word, no spaces (spec BUNDLE.md)."""
    validate_line(value)
    if any(character.isspace() for character in value):
        _refuse(_("Mã không được chứa dấu cách: %(value)s"), "code_space", value=value)


def validate_phone(value: str) -> None:
    """A Vietnamese telephone number, such as 0912 345 678, 0207 3822 456 or +84912345678."""
    validate_line(value)
    if not _PHONE.fullmatch(_PHONE_SEPARATORS.sub("", value.strip())):
        _refuse(_("Số điện thoại không hợp lệ: %(value)s (số Việt Nam, ví dụ 0912 345 678 "
                  "hoặc 0207 3822 456)."), "phone", value=value)


def validate_email(value: str) -> None:
    """An e-mail address, by Django's own rule."""
    validate_line(value)
    try:
        django_validate_email(value)
    except ValidationError:
        _refuse(_("Địa chỉ thư điện tử không hợp lệ: %(value)s"), "email", value=value)


def latest_plausible_date(today: date | None = None) -> date:
    today = today or timezone.localdate()
    return today + timedelta(days=365 * FUTURE_YEARS + 1)


def validate_plausible_date(value: date) -> None:
    """A date of the records: from 1900 on (DATE_FLOOR), at most FUTURE_YEARS ahead."""
    if value < DATE_FLOOR:
        _refuse(_("Ngày %(value)s quá xa trong quá khứ (sớm nhất %(floor)s)."), "date_range",
                value=date_format(value, "d/m/Y"), floor=date_format(DATE_FLOOR, "d/m/Y"))
    # Most dates are far from the bound: they pass without asking the time zone, whose local
    # day (a bundle's half a million dates: a quarter of a province's import) is at most a
    # day off the machine's, and the bound FUTURE_YEARS years and a day after it.
    if value <= date.today() + timedelta(days=365 * FUTURE_YEARS):
        return
    if value > (latest := latest_plausible_date()):
        _refuse(_("Ngày %(value)s quá xa trong tương lai (muộn nhất %(latest)s)."),
                "date_range", value=date_format(value, "d/m/Y"),
                latest=date_format(latest, "d/m/Y"))


def messages_of(error: ValidationError) -> str:
    """A refusal's message(s) as one text, for the API and the bundle report."""
    return " ".join(str(message) for message in error.messages)


def column_length(model, field: str) -> int | None:
    """The longest text the database column `model.field` holds (None for an unbounded text).
    `model` is passed in, so that the core names no model."""
    return model._meta.get_field(field).max_length


# The API's types: the same validators behind pydantic ---------------------------------------

def _pydantic(validator):
    """A Django validator as a pydantic after-validator: its refusal becomes a validation error
    of the field, with the same message."""

    def check(value: Any) -> Any:
        if value is not None and value != "":
            try:
                validator(value)
            except ValidationError as error:
                raise PydanticCustomError("chibo_rule", "{message}",
                                         {"message": messages_of(error)}) from None
        return value

    return AfterValidator(check)


def api_text(model, field: str, *validators, required: bool = False) -> Any:
    """The type of an API field that fills the column `model.field`: a string no longer than
    the column, one line for a CharField or a long text for a TextField, with `validators`
    (validate_phone, validate_email, …) on top. `required`: not empty."""
    length = column_length(model, field)
    base = validate_line if length is not None else validate_text
    constraints = StringConstraints(max_length=length, min_length=1 if required else None)
    return Annotated[str, constraints, *(_pydantic(v) for v in (base, *validators))]


def api_code(max_length: int = 64, *, required: bool = True) -> Any:
    """The type of a code in the API (a body field, a query or path parameter); `required`:
    not empty."""
    return Annotated[str, StringConstraints(min_length=1 if required else None,
                                            max_length=max_length), _pydantic(validate_code)]


def api_query_text(max_length: int = 255) -> Any:
    """A free text in a query string (a search term, a filter)."""
    return Annotated[str, StringConstraints(max_length=max_length), _pydantic(validate_line)]


def api_date() -> Any:
    """A date of the records in the API (validate_plausible_date)."""
    return Annotated[date, _pydantic(validate_plausible_date)]


def record_id() -> Any:
    """A row's id in a path: positive and within a database integer."""
    return Annotated[int, Field(ge=1, le=MAX_RECORD_ID)]


def api_offset() -> Any:
    return Annotated[int, Field(ge=0, le=MAX_OFFSET)]


def api_limit(maximum: int) -> Any:
    """A page size: from 1 to `maximum`."""
    return Annotated[int, Field(ge=1, le=maximum)]
