"""`export_bundle`: everything in the database as a bundle that imports back to the same records.

The bundle is of the newest version: bundle.csv first (version, moment of the export), then
each registered section's files (chibo.interchange.sections), whose records come in the order
that makes export → import into an empty database → export identical but for `exported_at`;
this module writes every column (empty when there is no value) as text: dates YYYY-MM-DD,
booleans true/false.
"""

from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path

from django.utils.translation import gettext as _

from chibo.interchange import sections, versions
from chibo.interchange.schema import FileSpec
from chibo.interchange.writers import write_bundle


def export_bundle(path: Path, *, exported_at: datetime | None = None,
                  progress: Callable[[str, int, int], None] | None = None) -> dict[str, int]:
    """Write the bundle at `path` (.zip, .xlsx, else a directory); rows written per file (the
    marker left out). `exported_at` (default now) is the moment bundle.csv records. `progress`
    hears (what is being done, steps done, steps): one step per file read, then the writing."""
    progress = progress or (lambda label, done, total: None)
    files = [(section, spec) for section in sections.ordered() for spec in section.files]
    records = {}
    for done, (section, spec) in enumerate(files):
        progress(_("đọc %(file)s") % {"file": spec.name}, done, len(files) + 1)
        records[spec.name] = [spec.keys, *_text_rows(spec, section.export[spec.name]())]
    progress(_("ghi %(path)s") % {"path": Path(path).name}, len(files), len(files) + 1)
    write_bundle(Path(path), {versions.MARKER.name: versions.marker_rows(exported_at),
                              **records})
    progress(_("hoàn tất"), len(files) + 1, len(files) + 1)
    return {name: len(rows) - 1 for name, rows in records.items()}


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return str(value)


def _text_rows(spec: FileSpec, records: list[dict]) -> list[list[str]]:
    return [[cell_text(record.get(key)) for key in spec.keys] for record in records]


