"""The record findings of a subtree, each with its recorded exception if any.

The caller decides who may read the subtree (a command runs as the system; a page checks the
viewer's scope on the organization first): the rules find only records inside it, and the
exceptions read are those of the findings found.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from chibo.findings.models import RecordedException
from chibo.findings.rules import RULES, RecordFinding

CHUNK = 500  # records per IN (…) query


@dataclass(frozen=True)
class ListedFinding:
    finding: RecordFinding
    exception: RecordedException | None

    @property
    def excepted(self) -> bool:
        return self.exception is not None

    def status_text(self) -> str:
        """Open, or the decision that allows it, in words (`chibo check`, the findings page)."""
        if self.exception is None:
            return _("chưa có ngoại lệ")
        return _("ngoại lệ (%(no)s, %(day)s)") % {
            "no": self.exception.decision_no,
            "day": date_format(self.exception.decided_on, "d/m/Y")}


def record_findings(org, today: date, keys: Iterable[str] | None = None, *,
                    first: date | None = None, last: date | None = None) -> list[ListedFinding]:
    """The findings of the chosen rules (all when `keys` is None) over `org`'s subtree, that
    arose on or before `today` (and within [first, last] when given), by rule, record and day,
    each with its recorded exception (None: open). KeyError names an unknown key."""
    chosen = sorted(RULES) if keys is None else list(keys)
    unknown = set(chosen) - set(RULES)
    if unknown:
        raise KeyError(", ".join(sorted(unknown)))
    found = [finding for key in chosen for finding in RULES[key].find(org, today)
             if (first is None or finding.day >= first) and (last is None or finding.day <= last)]
    found.sort(key=lambda f: (f.key, f.record, f.day))
    exceptions = exceptions_of(found)
    return [ListedFinding(f, exceptions.get((f.key, f.file, f.record))) for f in found]


def exceptions_of(findings: Iterable[RecordFinding]) -> dict[tuple[str, str, str],
                                                             RecordedException]:
    """The recorded exceptions of these findings, by (finding key, file, record)."""
    records: dict[tuple[str, str], set[str]] = defaultdict(set)
    for finding in findings:
        records[finding.key, finding.file].add(finding.record)
    out = {}
    for (key, file), codes in records.items():
        ordered = sorted(codes)
        for start in range(0, len(ordered), CHUNK):
            for exception in RecordedException.objects.filter(
                    finding=key, file=file, record__in=ordered[start:start + CHUNK]):
                out[key, file, exception.record] = exception
    return out


def open_findings(findings: Iterable[RecordFinding]) -> list[RecordFinding]:
    """Those of `findings` without a recorded exception."""
    findings = list(findings)
    excepted = exceptions_of(findings)
    return [f for f in findings if (f.key, f.file, f.record) not in excepted]
