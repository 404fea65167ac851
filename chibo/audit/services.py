"""Writing and checking the audit trail. Services call `record_change` inside their transaction;
`verify_trail` checks the chain, its keys and its anchors (docs/security.md)."""

import json
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.audit.anchors import Anchor, anchor_file_lines, read_anchors
from chibo.audit.keys import Key, current_key, keyring
from chibo.audit.models import AuditHead, AuditRecord, HashScheme
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
    key = current_key()
    head, _created = AuditHead.objects.select_for_update().get_or_create(pk=1)
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
        scheme=HashScheme.HMAC,
        key_id=key.id,
    )
    record.hash = record.compute_hash(key)
    record.save()
    AuditHead.objects.filter(pk=1).update(last_seq=record.seq, last_hash=record.hash)
    return record


@dataclass
class ChainBreak:
    seq: int | None  # the first bad record (None: an anchor line, not a record, is bad)
    reason: str
    kind: str  # altered, removed, unknown_key, anchor

    def __str__(self) -> str:
        if self.seq is None:
            return self.reason
        return _("bản ghi #%(seq)s: %(reason)s") % {"seq": self.seq, "reason": self.reason}


@dataclass
class TrailCheck:
    """What `verify_trail` found: the break, if any, and how far the trail is protected."""

    records: int = 0
    unkeyed: int = 0  # records #1 to #unkeyed were made before keying (plain SHA-256)
    anchors_read: bool = False  # False: the anchors are not at hand (syslog, no lines given)
    last_anchor: Anchor | None = None  # the anchor of the highest record
    broken: ChainBreak | None = None


def verify_chain() -> ChainBreak | None:
    """The first break in the trail, or None when every record is intact, none is missing and
    the anchors agree."""
    return verify_trail().broken


def verify_trail(anchor_lines: list[str] | None = None, batch_size: int = 5000) -> TrailCheck:
    """Check every record's link and hash (keyed records with their key from the keyring), the
    chain's head, and the anchors: `anchor_lines` (lines copied from a syslog), else the
    configured anchor file."""
    keys = keyring()
    lines = anchor_file_lines() if anchor_lines is None else anchor_lines
    anchors, problems = read_anchors(lines or [], keys)
    check = TrailCheck(anchors_read=lines is not None,
                       last_anchor=max(anchors, key=lambda a: a.seq, default=None))
    check.broken = _walk(check, keys, anchors, batch_size)
    if check.broken is None and problems:
        check.broken = ChainBreak(None, _("dòng %(line)s của các mốc neo: %(reason)s")
                                  % {"line": problems[0].line, "reason": problems[0].reason},
                                  "anchor")
    return check


def _walk(check: TrailCheck, keys: dict[str, Key], anchors: list[Anchor],
          batch_size: int) -> ChainBreak | None:
    """The first break from the first record to the head and the last anchor."""
    anchored = defaultdict(list)
    for made in anchors:
        anchored[made.seq].append(made)
    expected_seq, prev_hash, keyed, agreed = 1, "", False, 0
    for record in AuditRecord.objects.order_by("seq").iterator(chunk_size=batch_size):
        if record.seq != expected_seq:
            return ChainBreak(expected_seq, _("bị xóa (dãy số nhảy tới #%(seq)s)")
                              % {"seq": record.seq}, "removed")
        if record.prev_hash != prev_hash:
            return ChainBreak(record.seq, _("liên kết với bản ghi trước bị sửa (bản ghi trước, "
                                            "hoặc một bản ghi trước nữa, đã bị viết lại)"),
                              "altered")
        keyed = keyed or record.scheme != HashScheme.PLAIN
        if broken := _record_break(record, keys, keyed):
            return broken
        for made in anchored.get(record.seq, ()):
            if made.hash != record.hash:
                return ChainBreak(record.seq, _(
                    "khác mốc neo lúc %(at)s: từ đó một bản ghi từ #%(first)s đến #%(seq)s đã "
                    "bị xóa hoặc viết lại") % {"at": made.shown(), "first": agreed + 1,
                                               "seq": record.seq}, "anchor")
        agreed = record.seq if record.seq in anchored else agreed
        check.unkeyed = record.seq if not keyed else check.unkeyed
        check.records += 1
        expected_seq, prev_hash = record.seq + 1, record.hash
    return _end_break(expected_seq, prev_hash, check.last_anchor)


def _record_break(record: AuditRecord, keys: dict[str, Key], keyed: bool) -> ChainBreak | None:
    """What is wrong with one record's own hash, if anything. Once a keyed record is met, every
    later one must be keyed: a plain one among them was rewritten by someone without the key."""
    if record.scheme == HashScheme.PLAIN and keyed:
        return ChainBreak(record.seq, _("bị sửa (không có khóa, sau các bản ghi có khóa)"),
                          "altered")
    if record.scheme not in HashScheme.values:
        return ChainBreak(record.seq, _("bị sửa (kiểu băm lạ %(scheme)s)")
                          % {"scheme": record.scheme}, "altered")
    key = keys.get(record.key_id) if record.scheme == HashScheme.HMAC else None
    if record.scheme == HashScheme.HMAC and key is None:
        return ChainBreak(record.seq, _("ký bằng khóa %(id)s không có trong chùm khóa")
                          % {"id": record.key_id}, "unknown_key")
    if record.compute_hash(key) != record.hash:
        return ChainBreak(record.seq, _("bị sửa (nội dung không khớp mã băm)"), "altered")
    return None


def _end_break(expected_seq: int, prev_hash: str, last_anchor: Anchor | None) -> ChainBreak | None:
    """A break at the end: the head, or the last anchor, names a record past the last one."""
    head = AuditHead.objects.filter(pk=1).first()
    last_seq = head.last_seq if head else 0
    if last_seq >= expected_seq:
        return ChainBreak(expected_seq, _("bị xóa (nhật ký từng kết thúc ở #%(seq)s)")
                          % {"seq": last_seq}, "removed")
    if head and head.last_hash != prev_hash:
        return ChainBreak(last_seq, _("bị sửa (đầu chuỗi không khớp)"), "altered")
    if last_anchor is not None and last_anchor.seq >= expected_seq:
        return ChainBreak(expected_seq, _(
            "bị xóa (nhật ký dừng ở #%(last)s, nhưng đã được neo tới #%(seq)s lúc %(at)s)")
            % {"last": expected_seq - 1, "seq": last_anchor.seq, "at": last_anchor.shown()},
            "removed")
    return None
