"""`import_bundle`: validate a whole bundle, then keep all of it or nothing.

Everything runs in one transaction that is rolled back when any error was found (or for a dry
run), so validation and writing are the same code and a dry run reports exactly what a real run
would. The steps:

1. Read the container; every file, column and cell problem is listed (chibo.interchange.readers).
2. Each registered section's step (chibo.interchange.sections), in the order derived from what
   each depends on: the records core's tree, members and posts (chibo.interchange.records),
   then the processes' files. A step checks its rows against what the steps before it wrote,
   reports every error, and writes in bulk.
3. On success: one ImportRun row and one audit event `bundle.import` with the counts. The
   services' own audit records are not written during an import (audit.one_record_for_all):
   the one event stands for them, and its payload counts them by action too.
"""

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction

from chibo.accounts.policy import SYSTEM
from chibo.audit.anchors import anchor_after_commit
from chibo.audit.services import one_record_for_all, record_change
from chibo.interchange import sections, versions
from chibo.interchange.bulk import analyze_on_commit, roomy_cache
from chibo.interchange.exporter import cell_text
from chibo.interchange.models import ImportPhase, ImportRun, ImportStatus
from chibo.interchange.progress import Progress
from chibo.interchange.readers import read_bundle
from chibo.interchange.report import Report
from chibo.interchange.writers import write_bundle
from chibo.organizations.models import Organization, OrgPeriod, Village


@dataclass
class ImportResult:
    errors: list[str]  # the first settings.IMPORT_ERROR_LIMIT error lines
    counts: dict[str, int] = field(default_factory=dict)  # rows added (or to add), per file
    dry_run: bool = False
    more_errors: int = 0  # the errors beyond the limit, counted, not listed

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def error_count(self) -> int:
        return len(self.errors) + self.more_errors


def may_import(actor) -> bool:
    """Rows are written across the whole tree, so importing needs the capability on every root
    organization (a province-level organizer, an administrator); scoped imports would need
    per-row checks first."""
    from chibo.accounts.policy import Capability, can, scope_paths
    from chibo.organizations.models import Organization

    if actor is SYSTEM or scope_paths(actor, Capability.IMPORT_BUNDLE) is None:
        return True  # the system, or an active administrator (also into an empty database)
    roots = list(Organization.objects.filter(parent__isnull=True))
    return bool(roots) and all(can(actor, Capability.IMPORT_BUNDLE, root) for root in roots)


def import_bundle(path: Path, *, actor=SYSTEM, dry_run: bool = False,
                  progress: Progress | None = None, run: ImportRun | None = None,
                  name: str | None = None) -> ImportResult:
    """Import the bundle at `path` (directory, .zip or .xlsx). Raises ContainerError when the
    path is not a bundle at all or is beyond a limit (chibo.interchange.readers.Limits); every
    other problem is in the result's `errors`, the first IMPORT_ERROR_LIMIT of them (the
    others counted, not kept).

    `progress` hears the phases and the rows handled (the import page's bar); `run` is the
    ImportRun to complete on success (the page's background task made it), else one is made.
    `name` is what messages call the bundle (an upload's own name; default: its file name)."""
    if not may_import(actor):
        raise PermissionDenied("bundle.import")
    path = Path(path)
    progress = progress or Progress()
    report = Report(limit=settings.IMPORT_ERROR_LIMIT)
    progress.start(ImportPhase.READ)
    tables = read_bundle(path, report, name=name)
    progress.start(ImportPhase.TREE, total=sum(len(table.rows) for table in tables.values()))
    with roomy_cache(), transaction.atomic():
        with one_record_for_all() as changes:
            counts = _apply(tables, report, actor, progress)
        if report or dry_run:
            transaction.set_rollback(True)
        else:
            progress.start(ImportPhase.FINISH)
            _record(path, counts, changes, actor, run)
            # the tree is written by its services, not by insert_rows: analyzed here
            analyze_on_commit(Organization, OrgPeriod, Village)
            anchor_after_commit()  # the trail's head, outside the database (docs/security.md)
    errors, more = report.limited(settings.IMPORT_ERROR_LIMIT)
    return ImportResult(errors, counts, dry_run, more)


def records_tables(records: dict[str, list[dict]]) -> dict[str, list[list[str]]]:
    """Records given as dictionaries by file name, as the bundle's tables (header and rows of
    text) of the newest version: a key the file does not have is ignored, a missing one empty."""
    specs = {spec.name: spec for spec in sections.files()}
    return {versions.MARKER.name: versions.marker_rows(),
            **{name: [specs[name].keys, *[[cell_text(row.get(key)) for key in specs[name].keys]
                                         for row in rows]] for name, rows in records.items()}}


def import_records(records: dict[str, list[dict]], *, actor=SYSTEM) -> ImportResult:
    """Import records made by a program (the demo's builders) exactly as a bundle holding them
    would be: written to a temporary folder, then read and checked by `import_bundle`, so that
    they pass every check a real province's files do."""
    with tempfile.TemporaryDirectory(prefix="chibo-records-") as folder:
        path = Path(folder) / "bundle"
        write_bundle(path, records_tables(records))
        return import_bundle(path, actor=actor)


def _apply(tables: dict, report: Report, actor, progress: Progress) -> dict[str, int]:
    """Every section's step in dependency order; rows added per file."""
    context = sections.ImportContext(tables, report, actor, progress)
    counts: dict[str, int] = {}
    for section in sections.ordered():
        counts |= section.run(context)
    return counts


def _record(path: Path, counts: dict[str, int], changes, actor, run: ImportRun | None) -> None:
    """The import's one audit event: rows added per file, and the services' changes it stands
    for, by action (organization.create: 2425, organization.merge: 86, …)."""
    if run is None:
        run = ImportRun(source=path.name[:255],
                        actor_name=getattr(actor, "username", str(actor)))
    run.counts, run.status = counts, ImportStatus.DONE
    run.save()
    record_change("bundle.import", actor=actor, obj=run,
                  after={"source": run.source, "counts": counts,
                         "changes": dict(sorted(changes.items()))})
