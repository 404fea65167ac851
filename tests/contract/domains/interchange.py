"""The import pages' contract routes (chibo.interchange). Importing writes across the whole tree,
so it needs bundle.import on every root organization (`may_import`): the administrator and the
province's organizer; everyone else is refused (403). A run is its author's (and the
administrator's); confirming a check is its author's alone."""

import uuid

from chibo.interchange.models import ImportRun, ImportStatus
from chibo.interchange.tasks import uploads
from tests.contract.registry import EVERYONE, DomainFixtures, Route, own, register

IMPORTERS = ("admin", "province")


def build(world, people) -> dict:
    """The province's organizer checked a bundle (it passed) and has not confirmed it yet."""
    name = f"{uuid.uuid4()}.zip"
    (uploads() / name).write_bytes(b"PK\x05\x06" + bytes(18))  # an empty zip
    check = ImportRun.objects.create(source="goi.zip", actor=world.users["province"],
                                     actor_name="province", status=ImportStatus.DONE,
                                     dry_run=True, upload=name)
    return {"check": check.pk}


def check_of(built) -> dict:
    return {"check": built.records["interchange"]["check"]}


def runs(built) -> int:
    return ImportRun.objects.count()


register(DomainFixtures(
    key="interchange", build=build, pages=("interchange",),
    routes=(
        Route("interchange:upload", "/import/", **own(IMPORTERS)),
        Route("interchange:runs", "/import/runs/", **own(IMPORTERS), shows="goi.zip"),
        Route("interchange:run", "/import/runs/{check}/", kwargs=check_of, **own(IMPORTERS)),
        Route("interchange:run_progress", "/import/runs/{check}/progress", kwargs=check_of,
              **own(IMPORTERS)),
        Route("interchange:confirm", "/import/runs/{check}/confirm", kwargs=check_of,
              method="POST", **own(("province",)), success=302, state=runs),
        # the empty Excel workbook to fill: no data in it, for anyone signed in
        Route("interchange:template", "/import/template.xlsx", **own(EVERYONE)),
    ),
))
