"""How far a running import is: the phase and the rows handled, for the page that polls it.

The import keeps everything in one transaction until the end (all or nothing), so what it
writes is invisible to others until then, and it cannot report through its own connection.

- On PostgreSQL the phase and counts go into the run's row through a second connection of
  their own, committed at once; any app process, on any machine, reads them there.
- On SQLite only one connection writes at a time and the import holds that lock to the end,
  so they go to a small file beside the database (`<data dir>/imports/run-<id>.json`, replaced
  atomically). The embedded setup is one machine, where every app process reads that file.

`Progress` (chibo.core.progress, shared with the list exports) counts the rows and publishes at
most twice a second, and at every new phase.
"""

import json
import os
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from chibo.core.progress import Progress, Publish

__all__ = ["Progress", "Publish", "live", "progress_file", "publisher", "terminal"]


def progress_file(run_id: int) -> Path:
    return Path(settings.DATA_DIR) / "imports" / f"run-{run_id}.json"


def publisher(run_id: int) -> tuple[Publish, Callable[[], None]]:
    """A publish function for the run, and the function that closes what it opened."""
    if connections[DEFAULT_DB_ALIAS].vendor == "sqlite":
        path = progress_file(run_id)
        path.parent.mkdir(parents=True, exist_ok=True)

        def to_file(phase: str, done: int, total: int) -> None:
            temporary = path.with_suffix(".tmp")
            temporary.write_text(json.dumps({"phase": phase, "done": done, "total": total}))
            os.replace(temporary, path)

        return to_file, lambda: path.unlink(missing_ok=True)

    side = connections.create_connection(DEFAULT_DB_ALIAS)  # autocommit, apart from the import

    def to_row(phase: str, done: int, total: int) -> None:
        """Progress is advisory: if the row is locked (a caller that holds the run's row in
        its own transaction), skip this report rather than wait for it."""
        from chibo.interchange.models import ImportRun

        try:
            with side.cursor() as cursor:
                cursor.execute("SET lock_timeout = '1s'")
                cursor.execute(f"UPDATE {ImportRun._meta.db_table} SET phase = %s, "
                               "rows_done = %s, rows_total = %s WHERE id = %s",
                               [phase, done, total, run_id])
        except DatabaseError:
            pass

    return to_row, side.close


def live(run) -> tuple[str, int, int]:
    """(phase, rows done, rows total) of a run: its file while an SQLite import runs, else
    its row."""
    path = progress_file(run.pk)
    try:
        data = json.loads(path.read_text())
        return data["phase"], data["done"], data["total"]
    except (OSError, ValueError, KeyError):
        return run.phase, run.rows_done, run.rows_total


def terminal(shown: Callable[[str, int, int], None]) -> Progress:
    """Progress for a command line: the phases by their names, drawn by `shown` (a
    chibo.core.console.ProgressDisplay: a bar on a terminal, a line every few seconds in a log; the
    caller closes it when the import returns)."""
    from chibo.interchange.models import ImportPhase

    def draw(phase: str, done: int, total: int) -> None:
        shown(str(ImportPhase(phase).label) if phase in ImportPhase.values else phase, done, total)

    return Progress(draw, every=0.2)
