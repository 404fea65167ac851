"""Optimistic concurrency: an edit is made against the version of the record its author saw.

Two officers open the same record; the first saves; the second's save, made against the
version both had read, is refused (nothing written) and shows what changed meanwhile, instead
of silently undoing the first one's work (a "lost update"). Every edit of an existing record
goes through this module, page or API:

- `version_of(record)`: the record's version, which the API sends as its `ETag` and a page
  carries in a hidden field of its form (`VersionedFormMixin`).
- `check_version(record, expected)`: called by the service, inside its transaction, right after
  it has locked the record's row; raises `StaleVersion` when the stored record is no longer the
  version the caller saw. `expected=None` means the caller saw no version (a bundle import, a
  console command): nothing to check.
- Pages: `VersionedFormMixin` (the hidden fields, the refusal shown with what changed and the
  other officer's values beside the user's, the form re-filled to be saved again).
- API: `if_match(header, required=...)` reads the `If-Match` header (RFC 9110 §13.1.1); a
  missing one on PATCH/PUT/DELETE is `VersionRequired` (428, RFC 6585), a stale one
  `StaleVersion` (412); `send_version(response, record)` sets the `ETag` of every record an
  operation returns; `IF_MATCH_REQUIRED` and `IF_MATCH` document those answers.

**Why a content hash, not a version counter.** The version is a hash of the values stored in
the record's row (every concrete field), read from the database. A counter column would need a
migration on every model, and every path that writes a row would have to bump it: the services,
but also the bundle import's bulk updates, `QuerySet.update` in a reorganization's hooks,
repairs run from the console — one forgotten path and an edit silently overwrites it again. A
hash of what is stored catches a change made by any path, costs one primary-key read, and a
process plugs in without a migration. What it cannot tell — who changed what — the audit trail
tells (`Trail`). A change undone (A→B→A) hashes as A again: an edit made against A is then made
against what is stored, which is what matters.

The audit trail lives above the core, so it plugs in through the `TRAILS` store (registered by
the composition root): without it the refusal still holds, only the list of changes is empty.
"""

import hashlib
import json
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Annotated, Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import QueryDict
from django.utils.formats import date_format, time_format
from django.utils.http import parse_etags, quote_etag
from django.utils.translation import gettext as _
from ninja import Header

from chibo.core.errors import ErrorOut
from chibo.core.registry import Store, declare

VERSION_FIELD = "record_version"  # the hidden field with the version the page was opened with
SEEN_FIELD = "record_seen"  # the hidden field with where the audit trail ended then


# The version --------------------------------------------------------------------------------

class _StoredValues(DjangoJSONEncoder):
    """Stored values as text, exactly: datetimes to the microsecond (DjangoJSONEncoder cuts
    them to milliseconds), anything else JSON cannot hold by its str()."""

    def default(self, o):
        if isinstance(o, datetime):
            return o.isoformat()
        try:
            return super().default(o)
        except TypeError:
            return str(o)


def version_of(record) -> str:
    """The version of `record` as stored now: a hash of its row's values, read from the
    database (not from the caller's copy, which may be older or hold unsaved values)."""
    model = type(record)
    names = [f.attname for f in model._meta.concrete_fields]
    values = model._base_manager.filter(pk=record.pk).values_list(*names).get()
    text = json.dumps([model._meta.label_lower, *values], cls=_StoredValues, sort_keys=True,
                      ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def etag(version: str) -> str:
    """The version as a strong entity tag: `"…"`."""
    return quote_etag(version)


class StaleVersion(ValidationError):
    """The record changed since the caller read it: nothing was written. A page shows it on the
    form (`VersionedFormMixin.show_conflict`), the API answers 412 Precondition Failed.

    A ValidationError, so that a page that only knows `chibo.core.forms.submit` still refuses
    with words, never with an error page."""

    def __init__(self, record=None):
        super().__init__(_("Bản ghi đã được thay đổi sau khi bạn mở nó; chưa ghi gì. Hãy đọc "
                           "lại bản ghi rồi thực hiện lại thay đổi."), code="stale")
        self.record = record


class VersionRequired(Exception):
    """An API write on an existing record sent no `If-Match`: 428 Precondition Required."""

    def __str__(self) -> str:
        return _("Cần gửi tiêu đề If-Match với ETag của bản ghi (đọc bản ghi để có ETag), để "
                 "không ghi đè thay đổi của người khác.")


Expected = str | Collection[str] | None


def check_version(record, expected: Expected) -> None:
    """Refuse the change when the stored `record` is not the version the caller saw.

    Call it inside the service's transaction, after the service has locked the record's row
    (`select_for_update`, and the locks it takes before that row), so that nothing can change
    between the check and the write. `expected` is one version (a page's hidden field), the
    versions of an `If-Match` list (any may match), or None: the caller saw no version (bundle
    import, console) and nothing is checked."""
    if expected is None:
        return
    allowed = {expected} if isinstance(expected, str) else set(expected)
    if version_of(record) not in allowed:
        raise StaleVersion(record)


# The API ----------------------------------------------------------------------------------

# An operation's `If-Match` parameter (documented in the OpenAPI; optional there, so that a
# missing one is answered 428 by `if_match`, not 422 by the schema).
IfMatch = Annotated[str | None, Header(None, alias="If-Match", description=(
    "The ETag of the record as last read: the change is refused (412) when the record has "
    "changed since."))]


def if_match(header: str | None, *, required: bool) -> list[str] | None:
    """The versions an API request's `If-Match` header names (None: no check to make).

    `required` for PATCH, PUT and DELETE (a missing header raises `VersionRequired`); a POST
    action on an existing record honours it when sent. `If-Match: *` asks only that the record
    exist. A weak tag (`W/"…"`) never matches: If-Match compares strongly (RFC 9110 §13.1.1),
    and a header that does not parse matches nothing."""
    if header is None:
        if required:
            raise VersionRequired
        return None
    tags = parse_etags(header)
    if tags == ["*"]:
        return None
    return [tag[1:-1] for tag in tags if tag.startswith('"')]


def send_version(response, record) -> None:
    """Put the record's current version on the API's answer (`ETag`)."""
    response["ETag"] = etag(version_of(record))


# What an operation that checks If-Match may answer besides its own: `response={200: …, **…}`.
IF_MATCH_REQUIRED = {412: ErrorOut, 428: ErrorOut}
IF_MATCH = {412: ErrorOut}


# The trail: what changed, and by whom --------------------------------------------------------

@dataclass(frozen=True)
class Change:
    """One recorded change to a record, as a refused edit shows it."""

    who: str
    at: datetime
    what: str  # what was done, in words
    lines: str  # the fields it changed, old → new (safe HTML)


@dataclass(frozen=True)
class Trail:
    """Where the changes to a record are read: `mark()` says where the trail ends now (kept by
    the page when its form is opened), `changes_since(record, mark)` the changes to `record`
    recorded after it, oldest first."""

    key: str
    mark: Callable[[], int]
    changes_since: Callable[[Any, int], list[Change]]
    order: int = 100


TRAILS: Store[Trail] = declare("concurrency.trails")


def _trail() -> Trail | None:
    trails = TRAILS.ordered()
    return trails[0] if trails else None


# Pages ------------------------------------------------------------------------------------

@dataclass
class Difference:
    """A field whose stored value is not the one the user sent."""

    label: str
    theirs: str  # the value stored now
    yours: str  # the value the user sent
    kept: str  # "theirs" or "yours": what the form holds now
    both: bool  # both changed it since the page was opened (else only one of them did)


@dataclass
class Conflict:
    """What a refused edit shows: the recorded changes since the form was opened and, for a
    form of the record's values, the fields where the user and the stored record differ."""

    changes: list[Change]
    differences: list[Difference] = field(default_factory=list)

    @property
    def who(self) -> str:
        return ", ".join(dict.fromkeys(change.who for change in self.changes))


class VersionedFormMixin:
    """A form that edits an existing record (or acts on one) with the record's version.

    Pass `record=` (None for a new record: no version then) and give the service
    `version=form.version()`. The form carries two hidden fields: the version the page was
    opened with and where the audit trail ended then. A form whose fields are the record's
    values (`edits_record`, the default; the view gives them as `initial`) also carries each
    value as it was when the page was opened (Django's `show_hidden_initial`), so that
    `changed_data` holds what the user changed, not what others changed meanwhile, and a
    refusal can tell the user's changes from theirs.

    When the service raises `StaleVersion`, `show_conflict` (called by
    `chibo.core.forms.add_service_error`) refuses with who changed the record and what, lists
    the fields where the stored value differs from the user's, and re-fills the form to be
    saved again: the other officer's value where only they changed a field, the user's where
    only the user did, and the stored value (the user's beside it) where both did; the hidden
    fields then hold the current version. An action form (`edits_record = False`: recording an
    event, closing a meeting) keeps what the user entered."""

    edits_record = True

    def __init__(self, *args, record=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.record = record
        self.conflict: Conflict | None = None
        if record is None:
            return
        self.fields[VERSION_FIELD] = forms.CharField(widget=forms.HiddenInput, required=False)
        self.fields[SEEN_FIELD] = forms.IntegerField(widget=forms.HiddenInput, required=False)
        trail = _trail()
        self.initial = {**self.initial, VERSION_FIELD: version_of(record),  # not the view's dict
                        SEEN_FIELD: trail.mark() if trail else 0}
        for name in self._record_fields():
            self.fields[name].show_hidden_initial = True

    def _record_fields(self) -> list[str]:
        if not self.edits_record:
            return []
        return [name for name in self.fields
                if name in self.initial and name not in (VERSION_FIELD, SEEN_FIELD)]

    def clean(self):
        cleaned = super().clean()
        if self.record is not None and not cleaned.get(VERSION_FIELD):
            raise ValidationError(_("Trang này không còn dùng được (thiếu phiên bản của bản "
                                    "ghi). Hãy mở lại trang rồi sửa lại."), code="no_version")
        return cleaned

    def version(self) -> str | None:
        """The version the page was opened with, for the service (None: a new record)."""
        if self.record is None:
            return None
        return self.cleaned_data[VERSION_FIELD]

    def service_data(self) -> dict:
        """The cleaned data without the version's fields (what the service takes besides)."""
        data = super().service_data() if hasattr(super(), "service_data") else self.cleaned_data
        return {k: v for k, v in data.items() if k not in (VERSION_FIELD, SEEN_FIELD)}

    # The refusal -------------------------------------------------------------------------

    def show_conflict(self, error: StaleVersion) -> None:
        trail = _trail()
        seen = self.cleaned_data.get(SEEN_FIELD) or 0
        self.record.refresh_from_db()
        self.conflict = Conflict(changes=trail.changes_since(self.record, seen) if trail else [])
        data = _editable(self.data)
        for name in self._record_fields():
            self._merge(name, data)
        data[self.add_prefix(VERSION_FIELD)] = version_of(self.record)
        data[self.add_prefix(SEEN_FIELD)] = str(trail.mark() if trail else 0)
        self.data = data
        if self.conflict.who:
            message = _("Trong lúc bạn sửa, %(who)s đã lưu thay đổi bản ghi này; chưa ghi gì "
                        "của bạn.") % {"who": self.conflict.who}
        else:
            message = _("Bản ghi này đã được thay đổi trong lúc bạn sửa; chưa ghi gì của bạn.")
        advice = (_("Biểu mẫu dưới đây đã gộp giá trị hiện có với giá trị bạn nhập: xem bảng "
                    "so sánh, sửa nếu cần rồi ghi lại.") if self.edits_record
                  else _("Xem các thay đổi dưới đây; nếu thao tác của bạn vẫn đúng, ghi lại."))
        self.add_error(None, ValidationError(f"{message} {advice}", code="stale"))

    def _merge(self, name: str, data) -> None:
        """Put into `data` (the form to save again) the value to keep for field `name`, with
        the stored value as its new "opened with" value; note a difference."""
        bound = self[name]
        theirs = getattr(self.record, name)
        yours = self.cleaned_data.get(name)
        opened = _opened_value(bound)
        _put(data, bound.html_initial_name, bound.field, bound.field.hidden_widget(), theirs)
        if _same(yours, theirs):
            return
        user_changed = opened is _UNKNOWN or not _same(yours, opened)
        others_changed = opened is _UNKNOWN or not _same(theirs, opened)
        kept = "yours" if user_changed and not others_changed else "theirs"
        if kept == "theirs":
            _put(data, bound.html_name, bound.field, bound.field.widget, theirs)
        self.conflict.differences.append(Difference(
            label=str(bound.label), theirs=_text(bound.field, theirs),
            yours=_text(bound.field, yours), kept=kept, both=user_changed and others_changed))

_UNKNOWN = object()


def _editable(data) -> QueryDict:
    """A copy of the posted data that can be written (a form may be bound to a plain dict)."""
    if isinstance(data, QueryDict):
        return data.copy()
    copy = QueryDict(mutable=True)
    for key, value in data.items():
        copy.setlist(key, value if isinstance(value, list | tuple) else [value])
    return copy


def _put(data, key: str, form_field, widget, value) -> None:
    """Write `value` into the posted `data` under `key` as `widget` would have sent it."""
    prepared = form_field.prepare_value(value)
    if isinstance(widget, forms.CheckboxInput):
        if prepared:
            data[key] = "on"
        else:
            data.pop(key, None)
    elif isinstance(prepared, list | tuple):
        data.setlist(key, [str(item) for item in prepared])
    else:
        formatted = widget.format_value(prepared)
        data[key] = "" if formatted is None else str(formatted)


def _opened_value(bound):
    """The field's value when the page was opened (its hidden initial), or _UNKNOWN."""
    form = bound.form
    if bound.html_initial_name not in form.data:
        return _UNKNOWN
    raw = form._widget_data_value(bound.field.hidden_widget(), bound.html_initial_name)
    try:
        return bound.field.to_python(raw)
    except ValidationError:
        return _UNKNOWN


def _plain(value):
    if value is None:
        return ""
    if isinstance(value, list | tuple | set):
        return tuple(sorted(str(item) for item in value))
    if hasattr(value, "pk"):  # a model instance (a ModelChoiceField's value)
        return value.pk
    return value


def _same(a, b) -> bool:
    return _plain(a) == _plain(b)


def _text(form_field, value) -> str:
    """A value as the user reads it: the choice's label, the date as the pages write it."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("có") if value else _("không")
    if isinstance(value, datetime):
        return date_format(value, "SHORT_DATETIME_FORMAT")
    if isinstance(value, date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if hasattr(value, "strftime"):
        return time_format(value, "H:i")
    choices = getattr(form_field, "choices", None)
    if choices is not None and not isinstance(form_field, forms.ModelChoiceField):
        labels = {str(key): str(label) for key, label in choices}
        if isinstance(value, list | tuple):
            return ", ".join(labels.get(str(item), str(item)) for item in value)
        return labels.get(str(value), str(value))
    return str(value)
