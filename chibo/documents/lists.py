"""The library's list, declared with the list pattern (chibo.lists): the documents addressed to
the user's scope or cell, latest first, searched without diacritics, by kind."""

from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from chibo.accounts.policy import can
from chibo.documents.capabilities import MANAGE_DOCUMENTS
from chibo.documents.choices import DocumentKind
from chibo.documents.models import Document
from chibo.lists.spec import Choice, Column, Listing, ListSpec, Search, Sort


def _title(document: Document) -> str:
    text = f"{document.number} · {document.title}" if document.number else document.title
    withdrawn = format_html(' <span class="badge text-bg-secondary">{}</span>',
                            _("đã thu hồi")) if document.withdrawn_at else ""
    return format_html('<a href="{}">{}</a>{}',
                       reverse("documents:detail", args=[document.pk]), text, withdrawn)


class DocumentList(ListSpec):
    """Every document the user reads (Document.objects.visible_to), latest published first."""

    key = "documents.list"
    title = gettext_lazy("Thư viện tài liệu")
    noun = ngettext_lazy("%(count)s tài liệu", "%(count)s tài liệu", "n")
    filters = (Choice("kind", gettext_lazy("Loại"), DocumentKind.choices, field="kind"),)
    search = Search(gettext_lazy("Tìm (không cần dấu)"), fields=("search_key",), words=True)
    sorts = (Sort("published", gettext_lazy("Mới đăng trước"), ("-published_at", "-pk")),)
    columns = (
        Column("title", gettext_lazy("Trích yếu"), html=_title, title=True,
               export=lambda d: d.title),
        Column("number", gettext_lazy("Số, ký hiệu"), page=False),
        Column("kind", gettext_lazy("Loại"), value="get_kind_display", css="small"),
        Column("issuing_body", gettext_lazy("Cơ quan ban hành"), css="small"),
        Column("issued_on", gettext_lazy("Ngày ban hành"), css="text-nowrap"),
        Column("audience", gettext_lazy("Gửi"), value="audience_org__name", css="small"),
        Column("published_at", gettext_lazy("Ngày đăng"), page=False),
        Column("withdrawn_at", gettext_lazy("Ngày thu hồi"), page=False),
    )

    def rows(self, listing: Listing):
        return Document.objects.visible_to(listing.user).select_related("audience_org")

    def context(self, listing: Listing) -> dict:
        actions = [(_("Đăng tài liệu"), reverse("documents:publish"), "btn-primary")] if can(
            listing.user, MANAGE_DOCUMENTS) else []
        return {"actions": actions}

    def filename(self, listing: Listing) -> str:
        return "tai-lieu"


DOCUMENTS = DocumentList()
