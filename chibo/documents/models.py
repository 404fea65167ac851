"""The documents library: papers addressed to a part of the tree, and who has read them.

A document is addressed to one organization and everything under it (the whole province, a
commune's subtree, one cell). A member sees the documents addressed to their cell or to any of
its ancestors; staff see those that reach into their scope (addressed above, at or below the
organizations they hold a grant on). The file itself lives under the data dir, never under a
public URL: chibo.documents.views.download serves it after checking the reader may see it.
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chibo.accounts.querysets import RestrictedQuerySet
from chibo.core.querysets import path_scope_q
from chibo.documents.choices import DocumentKind
from chibo.members.models import Member
from chibo.organizations.models import Organization


def document_storage() -> FileSystemStorage:
    """Files under CHIBO_DATA_DIR/documents (read when used, so tests get their own dir)."""
    return FileSystemStorage(location=settings.DATA_DIR / "documents")


class DocumentQuerySet(RestrictedQuerySet):
    def visible_to(self, user, capability=None):
        """Reading: documents whose audience reaches the user's scope or cell. A withdrawn
        document stays readable only where the user manages documents (to see what was
        withdrawn); every other reader, on every page, API and file, sees current ones."""
        from chibo.accounts.policy import scope_paths
        from chibo.documents.capabilities import MANAGE_DOCUMENTS
        from chibo.documents.queries import audience_q, reader_paths

        if capability is not None:  # managing: the audience must lie inside the scope
            return super().visible_to(user, capability)
        managed = path_scope_q(scope_paths(user, MANAGE_DOCUMENTS),
                               self.model.scope_path_field)
        return self.filter(audience_q(reader_paths(user))).filter(
            Q(withdrawn_at__isnull=True) | managed)

    def addressed_to(self, member: Member):
        from chibo.core.fields import ancestor_paths

        return self.filter(audience_org__path__in=ancestor_paths(member.cell.path))

    def current(self):
        return self.filter(withdrawn_at__isnull=True)


class Document(models.Model):
    kind = models.CharField(_("loại văn bản"), max_length=16, choices=DocumentKind.choices)
    number = models.CharField(_("số, ký hiệu"), max_length=64, blank=True,
                              help_text=_("Ví dụ: 21-NQ/TW"))
    title = models.CharField(_("trích yếu"), max_length=300)
    issuing_body = models.CharField(_("cơ quan ban hành"), max_length=200)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    summary = models.TextField(_("tóm tắt"), blank=True)
    key_points = models.TextField(_("những điểm cốt lõi"), blank=True,
                                  help_text=_("Mỗi ý một dòng."))
    audience_org = models.ForeignKey(Organization, on_delete=models.PROTECT,
                                     related_name="documents", verbose_name=_("gửi đến"))
    file = models.FileField(storage=document_storage, upload_to="%Y/%m/", max_length=200)
    file_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    file_size = models.PositiveIntegerField()
    search_key = models.TextField()
    published_at = models.DateTimeField(_("ngày đăng"), db_index=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = DocumentQuerySet.as_manager()
    scope_path_field = "audience_org__path"

    class Meta:
        db_table = "document"
        verbose_name = _("tài liệu")
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["audience_org", "published_at"], name="document_audience")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()

    @property
    def path(self) -> str:
        """Where the document sits for the audit trail: its audience."""
        return self.audience_org.path

    def key_point_list(self) -> list[str]:
        return [line.strip(" -•\t") for line in self.key_points.splitlines() if line.strip()]

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "application/pdf"


class DocumentRead(models.Model):
    """A member opened the document (first time kept): the cell knows who has read it."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="reads")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="document_reads")
    first_read_at = models.DateTimeField()

    class Meta:
        db_table = "document_read"
        constraints = [models.UniqueConstraint(fields=["document", "member"],
                                               name="document_read_once")]

    def __str__(self) -> str:
        return f"{self.member_id} read {self.document_id}"
