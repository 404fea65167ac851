"""The audit trail in words: what a record's type, fields and values mean to a reader.

A record stores its values as the services wrote them (codes, ISO dates, choice values, flags),
which is right for the hash chain and for machines. A reader needs the model's own names: the
field's verbose name ("ngày kết nạp", not `admitted_on`), a choice's label ("Cán bộ tổ chức",
not `organizer`), dates as the pages show them, "có"/"không" for flags. The labels come from the
models themselves (`object_type` is "app_label.model"), so a process's records read well
without registering anything here."""

import re
from datetime import date, datetime
from functools import cache

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.formats import date_format, number_format
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext as _

ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


@cache
def _model(object_type: str):
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def type_label(object_type: str) -> str:
    """The model's verbose name ("đảng viên"), else the stored type."""
    model = _model(object_type)
    return str(model._meta.verbose_name) if model else object_type


@cache
def _field(object_type: str, name: str):
    """The model field `name` of the record's model, else of a model related to it (a grant's
    `role` is recorded on the user it is granted to): its verbose name and choices."""
    model = _model(object_type)
    if model is None:
        return None
    related = [relation.related_model for relation in model._meta.get_fields()
               if relation.is_relation and relation.related_model not in (None, model)]
    for candidate in (model, *related):
        try:
            return candidate._meta.get_field(name)
        except FieldDoesNotExist:
            continue
    return None


def field_label(object_type: str, name: str) -> str:
    """The field's verbose name; for a value the services record that is no field (a derived
    one), the model's own word for it (`audit_labels` on the model class)."""
    field = _field(object_type, name)
    label = getattr(field, "verbose_name", None) or getattr(
        _model(object_type), "audit_labels", {}).get(name)
    return str(label) if label else name.replace("_", " ")


def value_text(object_type: str, name: str, value) -> str:
    """A stored value as a reader reads it."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("có") if value else _("không")
    field = _field(object_type, name)
    choices = dict(getattr(field, "flatchoices", None) or ())
    if choices and value in choices:
        return str(choices[value])
    if isinstance(value, int | float):
        return number_format(value, force_grouping=True)
    if isinstance(value, str) and ISO_DAY.match(value):
        return date_format(date.fromisoformat(value), "SHORT_DATE_FORMAT")
    if isinstance(value, str) and ISO_TIME.match(value):
        return date_format(datetime.fromisoformat(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, dict):
        return ", ".join(f"{key}: {value_text('', key, item)}" for key, item in value.items())
    if isinstance(value, list):
        return ", ".join(value_text(object_type, name, item) for item in value)
    return str(value)


def changes(record) -> list[tuple[str, str | None, str]]:
    """(field label, before or None for a creation, after) for the fields a record changed;
    every field for a creation."""
    before, after = record.before or {}, record.after or {}
    kind = record.object_type
    return [(field_label(kind, key),
             value_text(kind, key, before.get(key)) if key in before else None,
             value_text(kind, key, after.get(key)))
            for key in sorted(set(before) | set(after)) if before.get(key) != after.get(key)]


def changes_html(record) -> str:
    """`changes` as the pages show them: one line a field, the old value struck through."""
    return format_html_join("", '<div data-change><span class="text-muted">{}:</span> {}</div>', (
        (capfirst(label), format_html("<del>{}</del> → {}", old, new) if old is not None else new)
        for label, old, new in changes(record)))
