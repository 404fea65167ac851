"""Error lines `FILE:ROW:COLUMN: message`, collected from every step before anything is kept.

ROW counts the header as 1. An error about a whole file has ROW 1 and an empty COLUMN. The
lines are listed in the order of the files in spec/BUNDLE.md, then by row, so a clerk can work
through them from the top.
"""

from bisect import insort
from dataclasses import dataclass, field
from typing import Any

# The place of problems about a file the bundle did not name: after every file it did.
UNKNOWN_FILE = 1 << 30


@dataclass(frozen=True)
class Problem:
    file: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.row}:{self.column}: {self.message}"


@dataclass
class Report:
    """The problems found, in the order of the lines. With a `limit`, only the first `limit`
    lines in that order are kept and the others are counted: a bundle with an error on every
    one of a million rows costs a thousand lines of memory, not a million."""

    limit: int | None = None
    # file name as shown -> position of its kind of file, for the order of the lines (set
    # before the file's problems are added: chibo.interchange.readers)
    file_order: dict[str, int] = field(default_factory=dict)
    count: int = 0  # every problem added
    _kept: list[tuple[tuple, Problem]] = field(default_factory=list)

    def add(self, file: str, row: int, column: str, message: str) -> None:
        self.count += 1
        key = (self.file_order.get(file, UNKNOWN_FILE), file, row, self.count)
        if self.limit is not None and len(self._kept) >= self.limit:
            if key > self._kept[-1][0]:
                return  # after the lines kept: only counted
            self._kept.pop()
        insort(self._kept, (key, Problem(file, row, column, message)))

    def __bool__(self) -> bool:
        return self.count > 0

    def lines(self) -> list[str]:
        """The lines kept (every line without a limit), in order."""
        return [str(problem) for _, problem in self._kept]

    def limited(self, limit: int) -> tuple[list[str], int]:
        """The first `limit` lines, in the order of `lines`, and how many are left out."""
        lines = self.lines()[:limit]
        return lines, self.count - len(lines)


@dataclass(slots=True)  # one per row of a bundle: a province's has a million
class Row:
    """One data row of a bundle file: where it is, its typed values, and whether it is sound.

    The values are a dict while the row is parsed, then packed (`pack`) into a tuple in the
    order of the file's columns: a dict per row costs about 1 KB, a tuple a fifth of it."""

    file: str  # as shown in error lines (a CSV file's name, or an .xlsx sheet's)
    number: int
    values: dict[str, Any] | tuple = field(default_factory=dict)
    ok: bool = True
    positions: dict[str, int] | None = None  # once packed: the column keys' places in values

    def __getitem__(self, key: str) -> Any:
        if self.positions is None:
            return self.values.get(key)
        position = self.positions.get(key)
        return None if position is None else self.values[position]

    def pack(self, positions: dict[str, int], shared: dict | None = None,
             repeated: tuple[int, ...] = ()) -> None:
        """Keep the values as a tuple in the order of `positions` (shared by every row of the
        file); the values at the `repeated` places (codes, choices, dates) as one object per
        distinct value, kept in `shared`."""
        get = self.values.get
        values = [get(key) for key in positions]
        if shared is not None:
            for place in repeated:
                if (value := values[place]) is not None:
                    # keyed by type too: 1 == True, and a vote of 1 came back as the `True` of
                    # an earlier boolean column (PostgreSQL's COPY then refused the row)
                    values[place] = shared.setdefault((type(value), value), value)
        self.values = tuple(values)
        self.positions = positions

    def fail(self, report: Report, column: str, message: str) -> None:
        self.ok = False
        report.add(self.file, self.number, column, message)
