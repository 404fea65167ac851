"""Where a member stood in a month (spec METRICS-v2.md "Placement": a dues row is placed on the
last day of its month the member was active, at the member's cell that day), and which months
they owed (active and not exempt on the month's last day: chibo.dues.rules).

`MemberSpans` reads the periods of many members at once, so that the import's checks, the
findings and the pages judge thousands of months without a query each. The statistics write the
same rules as SQL (chibo.dues.metrics).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from chibo.core.db import DateText, date_of, plain_rows
from chibo.dues.rules import last_day
from chibo.members.models import MemberPeriod

CHUNK = 500


@dataclass(frozen=True, slots=True)
class Span:
    """[valid_from, valid_to) of a member's activity in one cell at one path."""

    valid_from: date
    valid_to: date
    org_id: int
    path: str
    exempt: bool


@dataclass(frozen=True, slots=True)
class Place:
    day: date
    org_id: int
    path: str


class MemberSpans:
    def __init__(self, member_ids: Iterable[int]):
        self.spans: dict[int, list[Span]] = defaultdict(list)
        ids = sorted(set(member_ids))
        for start in range(0, len(ids), CHUNK):
            for member, begin, end, org, path, exempt in plain_rows(
                    MemberPeriod.objects.filter(member_id__in=ids[start:start + CHUNK])
                    .values_list("member_id", DateText("valid_from"), DateText("valid_to"),
                                 "org_id", "path", "exempt").order_by()):
                self.spans[member].append(Span(date_of(begin), date_of(end), org, path,
                                               bool(exempt)))
        for spans in self.spans.values():
            spans.sort(key=lambda span: span.valid_from)

    def on(self, member_id: int, day: date) -> Span | None:
        for span in self.spans.get(member_id, ()):
            if span.valid_from <= day < span.valid_to:
                return span
        return None

    def active_between(self, member_id: int, first: date, last: date) -> bool:
        """Active on some day from `first` to `last` (both included)."""
        return any(span.valid_from <= last and span.valid_to > first
                   for span in self.spans.get(member_id, ()))

    def place(self, member_id: int, month: date) -> Place | None:
        """Where a payment of `month` is placed: the member's last active day of the month."""
        first, last = month, last_day(month)
        found = None
        for span in self.spans.get(member_id, ()):
            if span.valid_from <= last and span.valid_to > first:
                found = Place(min(span.valid_to - timedelta(days=1), last), span.org_id,
                              span.path)
        return found

    def owes(self, member_id: int, month: date) -> Span | None:
        """The member's span on the month's last day when they were active and not exempt
        then (the month is owed)."""
        span = self.on(member_id, last_day(month))
        return span if span is not None and not span.exempt else None
