"""The rules of the annual self-review, each with its source (RULES.md §2 and §9).

The 27 manifestations are read from a data file (data/manifestations-04-NQ-TW.json) so that
the authoritative text can replace the paraphrase without touching code; their codes A1…C9 stay.
"""

import json
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from chibo.ratings.choices import Level

DATA = Path(__file__).parent / "data" / "manifestations-04-NQ-TW.json"


@dataclass(frozen=True)
class Manifestation:
    code: str  # "A1" … "C9"
    group: str
    text: str


@cache
def manifestation_groups() -> list[dict]:
    """[{code, title, items: [Manifestation]}] in the resolution's order."""
    raw = json.loads(DATA.read_text(encoding="utf-8"))
    return [{"code": g["code"], "title": g["title"],
             "items": [Manifestation(f"{g['code']}{i}", g["code"], text)
                       for i, text in enumerate(g["items"], start=1)]}
            for g in raw["groups"]]


@cache
def manifestation_source() -> str:
    return json.loads(DATA.read_text(encoding="utf-8"))["source"]


def manifestation_codes() -> list[str]:
    return [item.code for group in manifestation_groups() for item in group["items"]]


@dataclass(frozen=True)
class ScoreBands:
    """Points (of 100) that each level needs, and the regulation that sets them."""

    source: str
    effective_from: date
    bands: tuple[tuple[str, int], ...]  # (rating, lowest score), best first

    def rating_for(self, score: int) -> str:
        for rating, lowest in self.bands:
            if score >= lowest:
                return rating
        return Level.NOT_COMPLETE


SCORE_BANDS_366 = ScoreBands(
    source="366-QĐ/TW (30/8/2025), 43-HD/BTCTW (31/10/2025)",
    effective_from=date(2025, 1, 1),  # applies to the review of the year 2025 onwards
    bands=((Level.EXCELLENT, 90), (Level.GOOD, 70), (Level.COMPLETE, 50),
           (Level.NOT_COMPLETE, 0)),
)


def score_bands_for(year: int) -> ScoreBands | None:
    """The scoring in force for the review of `year` (None before points were introduced)."""
    if date(year, 12, 31) >= SCORE_BANDS_366.effective_from:
        return SCORE_BANDS_366
    return None


# Forced "not complete" (RULES.md §2, QĐ 124-QĐ/TW, xaydungchinhsach.chinhphu.vn): a member
# "found to show degradation or self-evolution" cannot be rated above "not complete". In
# 04-NQ/TW the degradation manifestations are groups A (political ideology) and B (ethics,
# lifestyle), self-evolution / self-transformation group C: ticking ANY manifestation forces
# "không hoàn thành nhiệm vụ", whatever the score. A member who names a degradation (A or B)
# must also say how they will correct it.
FORCING_GROUPS = frozenset({"A", "B", "C"})
FORCED_SOURCE = "124-QĐ/TW (xếp loại không hoàn thành nhiệm vụ); 04-NQ/TW (27 biểu hiện)"


def forces_not_complete(manifestations) -> bool:
    """Whether the ticked manifestations force the rating "not complete"."""
    return any(code[:1] in FORCING_GROUPS for code in manifestations)
