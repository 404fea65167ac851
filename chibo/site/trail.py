"""The audit trail as the trail of a refused edit (chibo.core.concurrency.TRAILS): the core may
not import the audit app, so the composition root puts the two together."""

from chibo.audit.present import changes_html
from chibo.audit.queries import high_water_mark, object_history
from chibo.audit.registry import label_of
from chibo.core.concurrency import Change, Trail


def changes_since(record, mark: int) -> list[Change]:
    """The audit records about `record` after the trail's `mark`, oldest first."""
    records = [each for each in object_history(record) if each.seq > mark]
    return [Change(who=each.actor_name, at=each.at, what=label_of(each.action),
                   lines=changes_html(each)) for each in reversed(records)]


AUDIT_TRAIL = Trail("audit", mark=high_water_mark, changes_since=changes_since)
