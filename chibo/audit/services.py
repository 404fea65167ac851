"""Writing and checking the audit trail. Services call `record_change` inside their transaction."""

import json
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from chibo.audit.models import AuditHead, AuditRecord
from chibo.audit.registry import ACTIONS
from chibo.core.context import current_request_id

# The changes counted, by action, while `one_record_for_all` is open (None: write each one).
_tally: ContextVar[Counter | None] = ContextVar("chibo_audit_tally", default=None)


def _plain(values):
    """JSON-ready copy (dates as ISO strings), so the stored value is the hashed value."""
    if values is None:
        return None
    return json.loads(json.dumps(values, cls=DjangoJSONEncoder))


@contextmanager
def one_record_for_all() -> Iterator[Counter]:
    """Count the changes made inside the block instead of writing a record for each.

    For work that is audited as one event standing for all its changes — a bundle import writes
    one `bundle.import` record with its counts, not one per organization it creates. The caller
    must write that record itself, in the same transaction (the yielded Counter holds the
    actions counted). The block is per thread and per task (a context variable), so other
    requests served meanwhile are audited as usual.
    """
    tally: Counter = Counter()
    token = _tally.set(tally)
    try:
        yield tally
    finally:
        _tally.reset(token)


def record_change(action: str, *, actor, obj, before=None, after=None,
                  org=None) -> AuditRecord | None:
    """Append one record for a change to `obj`, made by `actor`, inside the caller's transaction.

    `org` places the record in the tree (for scoped trails); it defaults to `obj` when `obj` has a
    path. `obj` is None for one event standing for a run over many records that has no row of
    its own (a maintenance command: its counts go in `after`); without `org` such a record is in
    no subtree, so only administrators see it. Unknown action names are refused: every action
    is registered with a label. Inside `one_record_for_all` the change is only counted (and
    None returned).
    """
    if action not in ACTIONS:
        raise ValueError(f"unregistered audit action {action!r}")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_change must run inside the service's transaction")
    tally = _tally.get()
    if tally is not None:
        tally[action] += 1
        return None
    head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
    place = org if org is not None else obj
    record = AuditRecord(
        seq=head.last_seq + 1,
        at=timezone.now().astimezone(UTC),
        actor_id=getattr(actor, "pk", None),
        actor_name=getattr(actor, "username", str(actor)),
        request_id=current_request_id(),
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:255] if obj is not None else "",
        org_path=getattr(place, "path", "") or "",
        before=_plain(before),
        after=_plain(after),
        prev_hash=head.last_hash,
    )
    record.hash = record.compute_hash()
    record.save()
    AuditHead.objects.filter(pk=1).update(last_seq=record.seq, last_hash=record.hash)
    return record


@dataclass
class ChainBreak:
    seq: int
    reason: str

    def __str__(self) -> str:
        return f"record #{self.seq}: {self.reason}"


def verify_chain(batch_size: int = 5000) -> ChainBreak | None:
    """The first break in the chain, or None when every record is intact and none is missing."""
    expected_seq, prev_hash = 1, ""
    records = AuditRecord.objects.order_by("seq")
    for record in records.iterator(chunk_size=batch_size):
        if record.seq != expected_seq:
            return ChainBreak(expected_seq, "removed (the sequence jumps to "
                              f"#{record.seq})")
        if record.prev_hash != prev_hash:
            return ChainBreak(record.seq, "the link to the previous record was altered")
        if record.compute_hash() != record.hash:
            return ChainBreak(record.seq, "altered (its content does not match its hash)")
        expected_seq, prev_hash = record.seq + 1, record.hash
    head = AuditHead.objects.filter(pk=1).first()
    last_seq = head.last_seq if head else 0
    if last_seq >= expected_seq:
        return ChainBreak(expected_seq, f"removed (the trail ended at #{last_seq})")
    if head and head.last_hash != prev_hash:
        return ChainBreak(last_seq, "altered (the chain head does not match it)")
    return None
