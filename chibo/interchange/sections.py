"""Bundle sections: what each domain adds to the interchange bundle, registered in `ready()`.

A section declares its files (columns, types, required keys: `FileSpec`), the step that checks
and writes their rows in the import's one transaction, what it depends on (so the order of the
steps, and of the files in error lists and in exports, is derived, not hand-listed), and its
export: for each file, the records in the order that makes export → import → export identical.

The records core's sections (the tree, the members, the posts) are registered by this package
itself (`chibo.interchange.apps`); a process registers its own from its app. The importer,
the readers and the writers only iterate `ordered()`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from chibo.core.registry import Store, add, declare, dependency_order
from chibo.interchange.report import Report, Row
from chibo.interchange.schema import FileSpec


@dataclass
class ImportContext:
    """What a section's step reads and leaves for the steps after it.

    The records core's steps fill the typed fields (the loaded tree, the bundle's rows by code,
    the members by code); a process's step reads them and keeps anything of its own in
    `provided` under its section's key."""

    tables: dict  # file name -> readers.Table
    report: Report
    actor: Any
    progress: Any
    loaded: Any = None  # chibo.interchange.tree.LoadedTree, once the tree is written
    tree: Any = None  # chibo.interchange.tree.TreeImport
    org_rows: dict[str, Row] = field(default_factory=dict)
    village_rows: dict[str, Row] = field(default_factory=dict)
    member_rows: dict[str, Row] = field(default_factory=dict)
    members: dict = field(default_factory=dict)  # member code -> membership.MemberRef
    provided: dict[str, Any] = field(default_factory=dict)

    def rows(self, spec: FileSpec, *, accepted: bool = True) -> list[Row]:
        """The rows of `spec`'s file (only those read without error unless `accepted` is
        False); none when the bundle does not carry the file."""
        table = self.tables.get(spec.name)
        if table is None:
            return []
        return [row for row in table.rows if row.ok or not accepted]


@dataclass(frozen=True)
class Section:
    key: str
    files: tuple[FileSpec, ...]
    # checks every row, reports errors on `context.report`, writes; rows added per file name
    run: Callable[[ImportContext], dict[str, int]]
    # file name -> the records to write, each a dict of column -> value, in round-trip order
    export: dict[str, Callable[[], list[dict]]]
    depends_on: tuple[str, ...] = ()
    order: int = 100
    # The bundle version whose files these are (chibo.interchange.versions); the meeting files
    # are version 1's: they predate the marker.
    version: int = 1
    # (context, file name, record codes) -> those of the codes that name a record of that file:
    # a row of the bundle that was accepted, or a record in the database. How exceptions.csv
    # checks that the record of an exception exists; None: the section answers for no file.
    existing: Callable[[ImportContext, str, set[str]], set[str]] | None = None


SECTIONS: Store[Section] = declare("bundle.sections")


def register_section(section: Section) -> Section:
    missing = {spec.name for spec in section.files} - set(section.export)
    if missing:
        raise ValueError(f"section {section.key} exports no {', '.join(sorted(missing))}")
    return add(SECTIONS, section)


def ordered() -> list[Section]:
    """The sections in the order their steps run: each after what it depends on."""
    return dependency_order(list(SECTIONS.values()))


def files() -> list[FileSpec]:
    """Every file of the registered sections, in the order of the steps."""
    return [spec for section in ordered() for spec in section.files]


def by_name() -> dict[str, FileSpec]:
    return {spec.name: spec for spec in files()}


def section_of(name: str) -> Section | None:
    """The registered section that declares the file `name`."""
    return next((section for section in SECTIONS.values()
                 if any(spec.name == name for spec in section.files)), None)
