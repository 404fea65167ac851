"""The audit trail: one record per state change, chained and keyed so that tampering shows.

Each record's `hash` covers its content and the previous record's hash. Records made since the
trail was keyed are HMAC-SHA256 with a key the database does not hold (chibo.audit.keys) and
name that key's id; records made before (scheme `sha256`) keep their plain SHA-256, which
anyone could recompute: they are trusted only as far as the first keyed record, whose link
covers them, and the anchors (chibo.audit.anchors) reach (docs/security.md).
"""

import hashlib
import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from chibo.accounts.querysets import RestrictedQuerySet
from chibo.core.fields import BinaryCharField


class AppendOnly(Exception):
    """Audit records are never edited or deleted by the application."""


def canonical_json(value) -> str:
    return json.dumps(value, cls=DjangoJSONEncoder, sort_keys=True, ensure_ascii=False,
                      separators=(",", ":"))


class HashScheme(models.TextChoices):
    PLAIN = "sha256", "SHA-256"  # before the trail was keyed: anyone can recompute it
    HMAC = "hmac-sha256", "HMAC-SHA256"


class AuditQuerySet(RestrictedQuerySet):
    def update(self, **kwargs):
        raise AppendOnly("audit records are append-only")

    def delete(self):
        raise AppendOnly("audit records are append-only")


class AuditRecord(models.Model):
    """What changed, who changed it, when, in which request, with the values before and after.

    `seq` numbers the records without gaps (it is taken under the chain head's lock), so a removed
    record shows as a break in the chain; `hash` covers every field and the previous hash, keyed
    (`scheme` hmac-sha256) with the key named by `key_id`.
    """

    seq = models.BigIntegerField(unique=True)
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING,
        db_constraint=False, related_name="+",
    )
    actor_name = models.CharField(max_length=150)
    request_id = models.CharField(max_length=64, db_index=True)
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=255)
    org_path = BinaryCharField(max_length=255, blank=True, db_index=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    scheme = models.CharField(max_length=16, choices=HashScheme.choices)
    key_id = models.CharField(max_length=16, blank=True)

    objects = AuditQuerySet.as_manager()
    scope_path_field = "org_path"
    view_capability = "audit.trail"

    class Meta:
        db_table = "audit_record"
        ordering = ["-seq"]
        indexes = [models.Index(fields=["object_type", "object_id", "seq"], name="audit_object")]
        verbose_name = _("bản ghi nhật ký")

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnly("audit records are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("audit records are append-only")

    def content(self) -> dict:
        """Every field the hash covers, in a form that reads back the same from any database."""
        return {
            "seq": self.seq,
            "at": self.at.isoformat(timespec="microseconds"),
            "actor_id": self.actor_id,
            "actor_name": self.actor_name,
            "request_id": self.request_id,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "object_repr": self.object_repr,
            "org_path": self.org_path,
            "before": self.before,
            "after": self.after,
            "prev_hash": self.prev_hash,
        }

    def compute_hash(self, key=None) -> str:
        """What `hash` must be: HMAC-SHA256 with `key` (chibo.audit.keys.Key, the one named by
        `key_id`) over the content and the key's id, or, for a record made before keying, the
        plain SHA-256 of the content."""
        if self.scheme == HashScheme.PLAIN:
            return hashlib.sha256(canonical_json(self.content()).encode()).hexdigest()
        if self.scheme != HashScheme.HMAC or key is None or key.id != self.key_id:
            raise ValueError(f"record #{self.seq}: no key {self.key_id!r} for {self.scheme!r}")
        return key.sign(canonical_json({**self.content(), "key_id": self.key_id}))


class AuditHead(models.Model):
    """The end of the chain (one row). Appending locks it, so records chain in one order, and
    it remembers the last record, so removing records from the end shows too — unless the head
    is wound back with them, which only the anchors outside the database reveal."""

    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        db_table = "audit_head"

    def __str__(self) -> str:
        return f"audit head #{self.last_seq}"
