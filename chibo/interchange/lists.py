"""The history of bundle checks and imports, declared with the list pattern (chibo.lists): the
user's own runs (every run, for an administrator), latest first."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy, ngettext_lazy

from chibo.interchange.importer import may_import
from chibo.interchange.models import ImportRun, ImportStatus
from chibo.lists.spec import Choice, Column, Listing, ListSpec, Sort


def _run_url(run: ImportRun) -> str | None:
    return reverse("interchange:run", args=[run.pk]) if run.actor_id else None


def _kind(rows, value: str, listing: Listing):
    return rows.filter(dry_run=value == "check")


def _counts(run: ImportRun) -> str:
    return ", ".join(f"{name}: {number_format(n, force_grouping=True)}"
                     for name, n in run.counts.items())


class ImportRunList(ListSpec):
    """Bundle checks and imports: who may import sees their own, an administrator every one."""

    key = "interchange.runs"
    title = gettext_lazy("Các lần kiểm tra và nhập")
    noun = ngettext_lazy("%(count)s lần", "%(count)s lần", "n")
    filters = (
        Choice("kind", gettext_lazy("Việc"), [("check", gettext_lazy("kiểm tra")),
                                             ("import", gettext_lazy("nhập"))], apply=_kind),
        Choice("status", gettext_lazy("Trạng thái"), ImportStatus.choices, field="status"),
    )
    sorts = (Sort("latest", gettext_lazy("Mới nhất trước"), ("-at", "-pk")),)
    columns = (
        Column("at", gettext_lazy("Thời điểm"), link=_run_url, title=True, css="text-nowrap"),
        Column("kind", gettext_lazy("Việc"), value=lambda run: (
            gettext_lazy("kiểm tra") if run.dry_run else gettext_lazy("nhập"))),
        Column("source", gettext_lazy("Gói")),
        Column("actor_name", gettext_lazy("Người nhập")),
        Column("status", gettext_lazy("Trạng thái"), value="status_label"),
        Column("counts", gettext_lazy("Số dòng"), value=_counts, css="small"),
        Column("errors", gettext_lazy("Số lỗi"), value="error_count", css="num"),
    )

    def resolve(self, user, **kwargs):
        if not may_import(user):
            raise PermissionDenied
        return None

    def rows(self, listing: Listing):
        runs = ImportRun.objects.defer("errors")
        return runs if listing.user.is_superuser else runs.filter(actor=listing.user)

    def context(self, listing: Listing) -> dict:
        return {"crumbs": [(str(gettext_lazy("Nhập gói dữ liệu")),
                            reverse("interchange:upload")), (str(self.title), "")]}

    def filename(self, listing: Listing) -> str:
        return "lan-nhap"


RUNS = ImportRunList()
