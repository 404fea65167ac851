"""The ratings process's contract fixtures: ratings.csv and the ratings metric group
(chibo.ratings registers them in its app's ready()).

The ratings are made through the bundle's importer (`import_records`), so they pass every check
a province's files do: in Yên Lâm commune (D2.X1), four members of Tân Lập cell rated for 2025
at each level, and the cell, the commune, the province's Finance office cell and Khuổi Phầy
cell rated at each level; 2024's ratings lie outside the 2025 queries, and the bloc committee's
rating is of a kind the keys do not count.
"""

from chibo.accounts.policy import SYSTEM
from chibo.interchange.importer import import_records
from tests.conftest import D, admit
from tests.contract.registry import DomainFixtures, Query, register

CELL = "D2.X1.C1"
LEVELS = ("excellent", "good", "complete", "not_complete")


def _rating(year, level, *, org=None, member=None, score=None, decided_on=None,
            decided_by=None):
    return {"year": year, "org_code": org, "member_code": member, "level": level,
            "score": score, "decided_on": decided_on, "decided_by": decided_by}


def build(world, people) -> dict:
    cell = world.orgs[CELL]
    members = [admit(f"M07{i}", name, cell, official_on=D(2011, 3, 1))
               for i, name in enumerate(("Hà Văn Sơn", "Lý Thị Nga", "Triệu Văn Khánh",
                                         "Bàn Thị Thu"))]
    ratings = [_rating(2025, level, member=m.member_code, decided_on=D(2025, 12, 20),
                       decided_by="D2.X1", score=score)
               for m, level, score in zip(members, LEVELS, ("92.5", "80", None, "40"),
                                          strict=True)]
    ratings += [_rating(2025, level, org=org, decided_on=D(2025, 12, 28))
                for org, level in zip((CELL, "D2.X1", "CQ.S1", "D1.X2.C1"), LEVELS,
                                      strict=True)]
    ratings += [_rating(2024, "good", member=m.member_code) for m in members]
    ratings += [_rating(2024, "excellent", org=CELL, decided_by="D2.X1"),
                _rating(2025, "good", org="CQ", decided_by="TQ")]
    result = import_records({"ratings.csv": ratings}, actor=SYSTEM)
    assert result.errors == [], result.errors
    return {"members": members}


register(DomainFixtures(
    key="ratings", build=build, sections=("ratings",), groups=("ratings",),
    queries=(
        Query("TQ", D(2025, 1, 1), D(2025, 12, 31), D(2025, 12, 31)),
        Query("TQ", D(2024, 1, 1), D(2024, 12, 31), D(2024, 12, 31)),
        Query("D2", D(2025, 1, 1), D(2025, 12, 31), D(2025, 12, 31)),
        Query(CELL, D(2025, 1, 1), D(2025, 12, 31), D(2025, 12, 31)),
    ),
))
