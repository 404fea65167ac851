"""Error lines `FILE:ROW:COLUMN: message`, collected from every step before anything is kept.

ROW counts the header as 1. An error about a whole file has ROW 1 and an empty COLUMN. The
lines are listed in the order of the files in spec/BUNDLE.md, then by row, so a clerk can work
through them from the top.
"""

from dataclasses import dataclass, field
from typing import Any


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
    problems: list[Problem] = field(default_factory=list)
    # file name as shown -> position of its kind of file, for the order of the lines
    file_order: dict[str, int] = field(default_factory=dict)

    def add(self, file: str, row: int, column: str, message: str) -> None:
        self.problems.append(Problem(file, row, column, message))

    def __bool__(self) -> bool:
        return bool(self.problems)

    def lines(self) -> list[str]:
        indexed = sorted(enumerate(self.problems), key=lambda pair: (
            self.file_order.get(pair[1].file, len(self.file_order)), pair[1].file, pair[1].row,
            pair[0]))
        return [str(problem) for _, problem in indexed]

    def limited(self, limit: int) -> tuple[list[str], int]:
        """The first `limit` lines, in the order of `lines`, and how many are left out."""
        lines = self.lines()
        return lines[:limit], max(0, len(lines) - limit)


@dataclass
class Row:
    """One data row of a bundle file: where it is, its typed values, and whether it is sound."""

    file: str  # as shown in error lines (a CSV file's name, or an .xlsx sheet's)
    number: int
    values: dict[str, Any] = field(default_factory=dict)
    ok: bool = True

    def __getitem__(self, key: str) -> Any:
        return self.values.get(key)

    def fail(self, report: Report, column: str, message: str) -> None:
        self.ok = False
        report.add(self.file, self.number, column, message)
