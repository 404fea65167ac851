"""The lists of the import page, declared with the list pattern (chibo.lists): the history of
bundle checks and imports (the user's own runs; every run, for an administrator), latest
first; and the errors of a run that failed, a page of them at a time, in the order of the
lines."""

import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy, ngettext_lazy

from chibo.interchange.importer import may_import
from chibo.interchange.models import ImportRun, ImportStatus
from chibo.lists.spec import Choice, Column, Listing, ListSpec, Search, Sort


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


# The errors of a run ------------------------------------------------------------------------

_LINE = re.compile(r"(?P<file>[^:\n]*):(?P<row>\d+):(?P<column>[^:\n]*): (?P<message>.*)", re.S)


@dataclass(frozen=True)
class ErrorLine:
    """One stored error line, `FILE:ROW:COLUMN: message`, in its parts (a refusal of the whole
    bundle is only a message)."""

    position: int  # its place in the run's list, from 1
    text: str
    where: str = ""  # FILE:ROW:COLUMN
    file: str = ""
    row: int | None = None
    column: str = ""
    message: str = ""

    @classmethod
    def of(cls, position: int, text: str) -> "ErrorLine":
        if (match := _LINE.fullmatch(text)) is None:
            return cls(position, text, message=text)
        return cls(position, text, text[:match.start("message") - 2], match["file"],
                   int(match["row"]), match["column"], match["message"])


class RunErrorList(ListSpec):
    """The errors of one failed check or import (those kept: IMPORT_ERROR_LIMIT lines), for the
    person who started it and administrators; its page is the run's page
    (chibo.interchange.views.run_page)."""

    key = "interchange.run_errors"
    title = gettext_lazy("Lỗi")
    noun = ngettext_lazy("%(count)s lỗi", "%(count)s lỗi", "n")
    page_size = 100
    count_limit = None
    search = Search(gettext_lazy("Tìm trong các lỗi"), text=lambda line: line.text)
    sorts = (Sort("order", gettext_lazy("Theo thứ tự"), python=lambda line: (line.position,)),)
    columns = (
        Column("where", gettext_lazy("Vị trí (tệp:dòng:cột)"), css="text-nowrap", export=False),
        Column("file", gettext_lazy("Tệp"), page=False),
        Column("row", gettext_lazy("Dòng"), page=False),
        Column("column", gettext_lazy("Cột"), page=False),
        Column("message", gettext_lazy("Lỗi"), title=True),
    )
    template = "interchange/run.html"

    def resolve(self, user, pk: int = 0, **kwargs) -> ImportRun:
        if not may_import(user):
            raise PermissionDenied
        run = get_object_or_404(ImportRun, pk=pk)
        if not run.visible_to(user):
            raise Http404  # someone else's import: not even its existence
        return run

    def rows(self, listing: Listing) -> list[ErrorLine]:
        return [ErrorLine.of(position, text) for position, text in enumerate(
            listing.scope.errors, start=1)]

    def heading(self, listing: Listing) -> str:
        return listing.scope.source

    def context(self, listing: Listing) -> dict:
        return {"run": listing.scope}

    def filename(self, listing: Listing) -> str:
        return f"loi-nhap-{listing.scope.pk}"


RUN_ERRORS = RunErrorList()
