"""The audit trail's page, declared with the list pattern (chibo.lists): every record of the
user's subtrees (everything for a system administrator), newest first, in words
(chibo.audit.present), filtered by action, person, kind of record, request and period."""

from django.core.exceptions import PermissionDenied
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy, ngettext_lazy

from chibo.accounts.policy import Capability, can
from chibo.audit import present
from chibo.audit.models import AuditRecord
from chibo.audit.registry import ACTIONS, label_of
from chibo.lists.spec import Choice, Column, Listing, ListSpec, Period, Sort, Text


def _actions(listing: Listing) -> list[tuple[str, str]]:
    return sorted(((name, str(label)) for name, label in ACTIONS.items()), key=lambda a: a[1])


def _changes_text(record: AuditRecord) -> str:
    return "; ".join(f"{label}: {old} → {new}" if old is not None else f"{label}: {new}"
                     for label, old, new in present.changes(record))


def _what(record: AuditRecord) -> str:
    kind = present.type_label(record.object_type)
    return format_html('{}<div class="small text-muted">{}: {}</div>', label_of(record.action),
                       capfirst(kind), record.object_repr)


class AuditTrail(ListSpec):
    """The trail of the subtrees where the user holds audit.trail."""

    key = "audit.trail"
    title = gettext_lazy("Nhật ký thay đổi")
    noun = ngettext_lazy("%(count)s thay đổi", "%(count)s thay đổi", "n")
    capability = Capability.VIEW_AUDIT_TRAIL
    filters = (
        Choice("action", gettext_lazy("Thao tác"), _actions, field="action"),
        Text("actor", gettext_lazy("Người thực hiện"), field="actor_name",
             help_text=gettext_lazy("tên đăng nhập")),
        Text("object_type", gettext_lazy("Loại đối tượng"), field="object_type",
             help_text=gettext_lazy("ví dụ members.member")),
        Text("request_id", gettext_lazy("Mã yêu cầu"), field="request_id", max_length=64),
        Period("at__date", default_year=None),
    )
    sorts = (Sort("newest", gettext_lazy("Mới nhất trước"), ("-seq",)),)
    columns = (
        Column("seq", "#", css="num"),
        Column("at", gettext_lazy("Thời gian"), css="text-nowrap"),
        Column("actor_name", gettext_lazy("Người thực hiện")),
        Column("what", gettext_lazy("Thao tác"), html=_what, title=True,
               export=lambda r: label_of(r.action)),
        Column("object", gettext_lazy("Đối tượng"), page=False,
               export=lambda r: f"{present.type_label(r.object_type)}: {r.object_repr}"),
        Column("changes", gettext_lazy("Thay đổi"), html=present.changes_html,
               export=_changes_text),
        Column("request_id", gettext_lazy("Mã yêu cầu"), page=False),
    )

    def resolve(self, user, **kwargs):
        if not can(user, Capability.VIEW_AUDIT_TRAIL):
            raise PermissionDenied
        return None

    def rows(self, listing: Listing):
        return AuditRecord.objects.visible_to(listing.user, Capability.VIEW_AUDIT_TRAIL)

    def filename(self, listing: Listing) -> str:
        return "nhat-ky"


TRAIL = AuditTrail()
