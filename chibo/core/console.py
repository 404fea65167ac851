"""What chibo's commands share on a console: dates typed as the pages show them, command-line
errors, aligned tables and progress.

- `date_argument`: the argparse type of every date option (`--as-of 04/12/2026` or
  `--as-of 2026-12-04`).
- `UsageError`: a wrong command line found once the arguments are parsed (an organization code
  that does not exist, an unknown key): one line on stderr and exit status 2, as argparse's own
  errors; a command that runs and finds something keeps status 1 (docs/cli.md).
- `table`: rows in aligned columns, numbers right-aligned in the language's way (1.733).
- `ProgressDisplay`: how far a long command is (it draws what `chibo.core.progress.Progress`
  counts): a bar on a terminal, a line every few seconds in a log.
"""

import argparse
import time
import unicodedata
from datetime import date, datetime

from django.core.management.base import CommandError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

# The pages' input formats (chibo/formats/*/formats.py DATE_INPUT_FORMATS): day first, and ISO.
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")


def date_argument(value: str) -> date:
    """A day typed as dd/mm/yyyy (as the pages show it) or yyyy-mm-dd; for argparse's `type=`,
    so that a bad date is argparse's error (one line, exit status 2)."""
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(value.strip(), pattern).date()
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(
        _("ngày không hợp lệ: %(value)s (viết dd/mm/yyyy hoặc yyyy-mm-dd)") % {"value": value})


class UsageError(CommandError):
    """A command line asking for something that does not exist: exit status 2, like argparse's
    errors, so that a script can tell a wrong call (2) from a finding or a refusal (1)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("returncode", 2)
        super().__init__(*args, **kwargs)


def width(text: str) -> int:
    """Columns `text` takes on a console: combining marks (a decomposed ắ) take none."""
    return sum(not unicodedata.combining(c) for c in text)


def number(value: int | float) -> str:
    """A number as the active language writes it: 1.733 in Vietnamese, 1,733 in English."""
    return number_format(value, force_grouping=True)


def table(rows, header=None, *, indent: str = "", cut: int = 48) -> str:
    """`rows` (sequences of the same length) in aligned columns, under `header` and a rule when
    given. Columns of numbers are right-aligned and grouped (`number`); text is left-aligned and
    cut at `cut` characters, except in the last column, which is never cut."""
    rows = [list(row) for row in rows]
    count = len(rows[0]) if rows else len(header or ())
    right = [bool(rows) and all(_numeric(row[i]) for row in rows) for i in range(count)]
    lines = [[str(h) for h in header]] if header else []
    lines += [[_cell(v, cut if i < count - 1 else None) for i, v in enumerate(row)]
              for row in rows]
    if not lines:
        return ""
    widths = [max(width(line[i]) for line in lines) for i in range(count)]

    def render(line: list[str]) -> str:
        cells = [" " * (w - width(v)) + v if right[i] else v + " " * (w - width(v))
                 for i, (v, w) in enumerate(zip(line, widths, strict=True))]
        return (indent + "  ".join(cells)).rstrip()

    out = [render(line) for line in lines]
    if header:
        out.insert(1, indent + "  ".join("-" * w for w in widths))
    return "\n".join(out)


def _numeric(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _cell(value, cut: int | None) -> str:
    text = number(value) if _numeric(value) else str(value)
    if cut is not None and width(text) > cut:
        return text[:cut - 1] + "…"
    return text


# How often a progress line is written where there is no terminal (a log, a pipe), in seconds.
LINE_EVERY = 5.0


class ProgressDisplay:
    """How far a long command is, written on `stream` (commands write theirs on stderr, so that
    what they print on stdout stays their result): on a terminal a bar redrawn in place; elsewhere
    one line every `LINE_EVERY` seconds (none for a command that ends sooner), and the last one
    when `close()` is called after some were written, so that a log shows the command alive
    without filling up.

    Call it with (what is being done, done, total) as often as convenient: a terminal's bar is
    redrawn at most five times a second (and at each new label)."""

    def __init__(self, stream, *, every: float | None = None, bar: int = 30, clock=time.monotonic):
        self.stream = getattr(stream, "_out", stream)  # Django's OutputWrapper adds line ends
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.every = (0.2 if self.tty else LINE_EVERY) if every is None else every
        self.bar, self.clock = bar, clock
        self.started = self.last = clock()
        self.state: tuple[str, int, int] | None = None
        self.drawn = False  # something was written (so close() ends it)
        self._written: tuple[str, int, int] | None = None  # the state the last line showed
        self._wide = 0

    def __call__(self, label: str, done: int, total: int) -> None:
        now, changed = self.clock(), self.state is None or str(label) != self.state[0]
        self.state = (str(label), done, total)
        if self.tty and (changed or now - self.last >= self.every or done == total):
            self._draw_bar()
        elif not self.tty and now - self.last >= self.every:
            self._write_line()
        else:
            return
        self.last = now

    def close(self, finished: str | None = None) -> None:
        """The end: a terminal's bar gets its line end; a log its last line. With `finished`
        (a label: "done"), the work is complete: shown at 100 % under that label."""
        if finished is not None and self.state is not None:
            self.state = (str(finished), self.state[2], self.state[2])
        if self.drawn and self.state is not None:
            if self.tty:
                self._draw_bar()
                self.stream.write("\n")
            elif self.state != self._written:
                self._write_line()
            self.stream.flush()
        self.drawn = False

    def _figures(self) -> str:
        label, done, total = self.state
        if not total:
            return label
        return f"{number(done)}/{number(total)}  {label}"

    def _percent(self) -> int:
        _label, done, total = self.state
        return 100 * done // total if total else 0

    def _draw_bar(self) -> None:
        filled = self.bar * self._percent() // 100
        text = f"  [{'#' * filled}{'.' * (self.bar - filled)}] {self._percent():3d} %  " \
               + self._figures()
        self.stream.write("\r" + text + " " * max(0, self._wide - width(text)))
        self._wide = width(text)
        self.stream.flush()
        self.drawn = True

    def _write_line(self) -> None:
        seconds = self.clock() - self.started
        self.stream.write(f"  {self._percent():3d} %  {self._figures()}  ({seconds:.0f} s)\n")
        self.stream.flush()
        self._written = self.state
        self.drawn = True
