"""Recording an exception to a record finding: the one way an exception is written.

`record_exception` runs in the caller's transaction when there is one (a page action records
the exception in the same step as the change that creates the finding), checks that the rule
is known and the actor may manage its records there (the rule's capability on the
organization the record lies in), and appends the audit record `finding.exception`.
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from chibo.accounts.policy import SYSTEM, require
from chibo.audit.services import record_change
from chibo.core.exceptions import RuleViolation
from chibo.findings.models import RecordedException
from chibo.findings.rules import RULES, FindingRule

DECISION_NO_LENGTH = RecordedException._meta.get_field("decision_no").max_length
DECIDED_BY_LENGTH = RecordedException._meta.get_field("decided_by").max_length


@dataclass(frozen=True)
class Decision:
    """The document that allowed a breach: its number, its day, who decided (an organization
    code, inside the tree or not), and a note."""

    decision_no: str
    decided_on: date
    decided_by: str = ""
    note: str = ""


def rule_for(finding: str, file: str) -> FindingRule:
    """The registered rule `finding` judging records of `file`; RuleViolation otherwise (pure,
    so that the bundle's exceptions.csv checks its rows with it too)."""
    rule = RULES.get(finding)
    if rule is None:
        raise RuleViolation(_("Không có phát hiện mã %(key)s (các mã: %(keys)s).")
                            % {"key": finding, "keys": ", ".join(sorted(RULES))},
                            code="unknown_finding", field="finding")
    if rule.file != file:
        raise RuleViolation(_("Phát hiện %(key)s nói về bản ghi của %(rule_file)s, không phải "
                              "%(file)s.") % {"key": finding, "rule_file": rule.file,
                                              "file": file}, field="file")
    return rule


def check_decision(decision: Decision) -> None:
    """A decision number (no longer than the column), a day, an organization code without
    spaces; RuleViolation naming the field at fault (pure: the import checks with it too)."""
    number = (decision.decision_no or "").strip()
    if not number:
        raise RuleViolation(_("Cần số quyết định cho phép ngoại lệ."), field="decision_no")
    if len(number) > DECISION_NO_LENGTH:
        raise RuleViolation(_("Số quyết định dài quá %(n)s ký tự.") % {"n": DECISION_NO_LENGTH},
                            field="decision_no")
    if not isinstance(decision.decided_on, date):
        raise RuleViolation(_("Cần ngày quyết định cho phép ngoại lệ."), field="decided_on")
    by = decision.decided_by or ""
    if any(ch.isspace() for ch in by) or len(by) > DECIDED_BY_LENGTH:
        raise RuleViolation(_("Cấp quyết định là một mã tổ chức, không có dấu cách (tối đa "
                              "%(n)s ký tự).") % {"n": DECIDED_BY_LENGTH}, field="decided_by")


@transaction.atomic
def record_exception(finding: str, file: str, record: str, *, decision: Decision, org,
                     actor) -> RecordedException:
    """Record that `decision` allowed `record` (of `file`) to break the rule `finding`.

    `org` is the organization the record lies in (anything with the tree's `path` and `code`):
    the actor needs the rule's capability there, as for changing the record itself. The caller
    answers for the record existing (a service that has it in hand, or the bundle's check).
    One exception per finding and record: a second one is refused."""
    rule = rule_for(finding, file)
    require(actor, rule.capability, org)
    check_decision(decision)
    if RecordedException.objects.filter(finding=finding, file=file, record=record).exists():
        raise RuleViolation(_("Đã có ngoại lệ cho %(key)s của %(record)s.")
                            % {"key": finding, "record": record}, code="duplicate")
    exception = RecordedException.objects.create(
        finding=finding, file=file, record=record, decision_no=decision.decision_no.strip(),
        decided_on=decision.decided_on, decided_by=decision.decided_by or "",
        note=decision.note or "", recorded_by=None if actor is SYSTEM else actor,
        recorded_by_name=getattr(actor, "username", str(actor)))
    record_change("finding.exception", actor=actor, obj=exception, org=org, after={
        "finding": finding, "file": file, "record": record, "org": getattr(org, "code", ""),
        "decision_no": exception.decision_no, "decided_on": decision.decided_on,
        "decided_by": exception.decided_by, "note": exception.note})
    return exception


def refuse_or_except(new, *, exception: Decision | None, org, actor, field) -> None:
    """How a page action meets the findings it would raise anew (`new`: RecordedFindings not
    yet excepted): none, it goes on; without `exception`, refused with each one's detail, the
    rule's words and source (code `finding`, on the input `field`, or `field(key)` of the first
    finding's key); with it, the exception is recorded for each, in `org` (the organization the
    record lies in, or `org(finding)`), in the caller's transaction. The one way every process
    does it (docs/architecture.md, "How a page action becomes exceptions-aware")."""
    if not new:
        return
    if exception is None:
        words = " ".join(f"{f.detail} {f.rule} ({f.source})" for f in new)
        raise RuleViolation(
            _("%(words)s Nếu cấp có thẩm quyền đã cho phép, hãy ghi số và ngày quyết định cho "
              "phép ngoại lệ.") % {"words": words}, code="finding",
            field=field(new[0].key) if callable(field) else field)
    for finding in new:
        record_exception(finding.key, finding.file, finding.record, decision=exception,
                         org=org(finding) if callable(org) else org, actor=actor)
