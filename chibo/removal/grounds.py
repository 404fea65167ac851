"""The grounds of a removal: those a process's records show (registered in
chibo.core.registry.REMOVAL_GROUNDS by meetings, ratings, dues), then those the cell's document
stands for (choices.DocumentedGround)."""

from dataclasses import dataclass
from datetime import date

from chibo.core import registry
from chibo.removal.choices import DocumentedGround

SOURCE = "Điều lệ Đảng Điều 8; Quy định 24-QĐ/TW mục 8.1"


@dataclass(frozen=True)
class Ground:
    key: str
    label: object
    source: str
    recorded: bool  # shown by the records (else: the cell's document stands for it)


def all_grounds() -> list[Ground]:
    recorded = [Ground(g.key, g.label, g.source or SOURCE, True)
                for g in registry.REMOVAL_GROUNDS.ordered()]
    documented = [Ground(value, label, SOURCE, False)
                  for value, label in DocumentedGround.choices]
    return recorded + documented


def labels() -> dict[str, object]:
    return {ground.key: ground.label for ground in all_grounds()}


def evidence(member, day: date) -> dict[str, str | None]:
    """What each recorded ground's records show of the member as of `day` (None: nothing)."""
    return {ground.key: ground.evidence(member, day)
            for ground in registry.REMOVAL_GROUNDS.ordered()}
