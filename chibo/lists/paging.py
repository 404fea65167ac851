"""Keyset paging and bounded counts: the arithmetic of every list, for querysets and for rows
computed in Python.

Keyset paging reads the rows after (or before) the last row shown, in a total order, instead of
skipping OFFSET rows: it costs the same on page 1 and page 400, and a row added meanwhile never
makes a page repeat or skip one. The order is a tuple of fields ("-date", "-id"); its last field
must make it total (a primary key), and no field may be NULL. The cursor is the tuple of the
last (or first) row's values, packed into an opaque URL-safe text.

A count of a huge set costs as much as reading it; `bounded_count` stops at a limit, and the
page says "more than 10,000" rather than counting everything (`count=exact` counts all).
"""

import base64
import binascii
import json
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Q, QuerySet


@dataclass(frozen=True)
class Page:
    """One page of rows; `after` and `before` are the cursors of the pages around it ("" when
    there is none); `first` tells whether it starts the list."""

    rows: list
    after: str
    before: str
    first: bool


def plain(value: Any) -> Any:
    """A value as the cursor keeps it: dates as ISO text, the rest as JSON has it."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def encode(values: Sequence) -> str:
    raw = json.dumps([plain(v) for v in values], ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode(cursor: str, length: int) -> tuple | None:
    """The values packed in `cursor`, or None when it is not one of ours (a page then starts
    at the top: a stale or hand-made cursor is not an error worth a page)."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None
    if not isinstance(values, list) or len(values) != length or any(
            isinstance(v, dict | list) or v is None for v in values):
        return None
    return tuple(values)


def value_of(row: Any, field: str) -> Any:
    """`row`'s value of an ORM field path ("organization__name"), read through attributes."""
    for part in field.lstrip("-").split("__"):
        row = getattr(row, "pk" if part == "pk" else part)
    return row


def _beyond(order: Sequence[str], values: Sequence, backwards: bool) -> Q:
    """Rows strictly after `values` in `order` (before them when `backwards`)."""
    conditions, equal = [], Q()
    for field, value in zip(order, values, strict=True):
        name, descending = field.lstrip("-"), field.startswith("-")
        lookup = "lt" if descending != backwards else "gt"
        conditions.append(equal & Q(**{f"{name}__{lookup}": value}))
        equal &= Q(**{name: value})
    return reduce(or_, conditions)


def _reversed(order: Sequence[str]) -> list[str]:
    return [field[1:] if field.startswith("-") else f"-{field}" for field in order]


def page_of_queryset(rows: QuerySet, order: Sequence[str], size: int, *, after: str = "",
                     before: str = "") -> Page:
    """The page of `rows` after the cursor `after` (or before `before`; neither: the first),
    in `order`."""
    order = list(order)
    if (values := decode(before, len(order))) is not None:
        found = list(rows.filter(_beyond(order, values, True)).order_by(
            *_reversed(order))[: size + 1])
        more_before = len(found) > size
        found = found[:size][::-1]
        more_after = bool(found) and rows.filter(
            _beyond(order, [value_of(found[-1], f) for f in order], False)).exists()
        return _page(found, order, more_after=more_after, first=not more_before)
    values = decode(after, len(order))
    if values is not None:
        rows = rows.filter(_beyond(order, values, False))
    found = list(rows.order_by(*order)[: size + 1])
    return _page(found[:size], order, more_after=len(found) > size, first=values is None)


def _page(rows: list, order: Sequence[str], *, more_after: bool, first: bool) -> Page:
    def cursor(row) -> str:
        return encode([value_of(row, field) for field in order])

    return Page(rows, cursor(rows[-1]) if more_after and rows else "",
                cursor(rows[0]) if not first and rows else "", first)


def page_of_sequence(rows: Sequence, key: Callable[[Any], tuple], size: int, *,
                     after: str = "", before: str = "") -> Page:
    """The same over rows computed in Python, already sorted by `key` (a tuple of text and
    numbers, dates allowed, that is unique per row: end it with the row's position)."""
    keys = [tuple(plain(v) for v in key(row)) for row in rows]
    width = len(keys[0]) if keys else 0

    def cursor(text: str) -> tuple | None:  # only a tuple comparable with the keys
        values = decode(text, width) if keys else None
        if values is None or any(type(v) is not type(k) and not (
                isinstance(v, int | float) and isinstance(k, int | float))
                for v, k in zip(values, keys[0], strict=True)):
            return None
        return values

    start, first = 0, True
    if (values := cursor(before)) is not None:
        end = bisect_left(keys, values)
        start = max(0, end - size)
        first = start == 0
    else:
        if (values := cursor(after)) is not None:
            start = bisect_right(keys, values)
            first = start == 0
        end = start + size
    chosen = rows[start:end]
    end = start + len(chosen)
    return Page(list(chosen), encode(keys[end - 1]) if end < len(rows) and chosen else "",
                encode(keys[start]) if not first and chosen else "", first)


def bounded_count(rows: QuerySet | Sequence, limit: int | None) -> tuple[int, bool]:
    """(count, whether there are more than `limit`): the count stops at limit + 1 rows."""
    if not isinstance(rows, QuerySet):
        return len(rows), limit is not None and len(rows) > limit
    if limit is None:
        return rows.order_by().count(), False
    counted = rows.order_by().values("pk")[: limit + 1].count()
    return min(counted, limit), counted > limit


def offset_page(rows: QuerySet, offset: int, limit: int, present: Callable[[Any], Any]) -> dict:
    """An API list's page by offset (`{"count", "items", "next"}`: `next` is the offset of the
    next page, None on the last): one row more than the page is read to know whether another
    follows. `rows` is ordered totally; `present` turns a row into its item."""
    found = list(rows[offset:offset + limit + 1])
    return {"count": rows.count(), "items": [present(row) for row in found[:limit]],
            "next": offset + limit if len(found) > limit else None}
