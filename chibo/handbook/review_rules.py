"""The rules of the annual self-review, each with its source (RULES.md §2).

The manifestations a member may recognize in themselves are the catalogue's
(chibo.handbook.catalogue). Ticking them is self-examination, not a rating: nothing here forces
a level from them. Only a manifestation the cell concludes in the review forces the level that
RULES.md §2 says, and that is the rating's rule (chibo.ratings), not the member's.
"""

from dataclasses import dataclass
from datetime import date

from chibo.ratings.choices import Level


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
