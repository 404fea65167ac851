"""A province-sized bundle for measuring the import and export: the demo tree of Tuyên Quang
(chibo.organizations.demo_tree, with its 2025 reform as org_changes) and random members with
valid histories (admission, recognition, exemptions, transfers, endings) and cell secretaries.

    uv run python -m chibo.interchange.synthetic OUT_DIR [--members 70000] [--seed 2025]

Pure Python, no database; the same seed gives the same files.
"""

import argparse
import csv
import random
from datetime import date, timedelta
from pathlib import Path

from chibo.organizations.demo_tree import build_tuyen_quang

LAST_DAY = date(2025, 6, 30)
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Ma", "Nông", "Triệu", "Bàn", "Lý", "Hà")
MIDDLE = ("Văn", "Thị", "Đức", "Minh", "Thu", "Hữu", "Ngọc")
GIVEN = ("An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Lan", "Mai", "Sơn", "Thắng", "Tùng")
ETHNICITIES = ("Kinh", "Kinh", "Tày", "Dao", "Sán Chay", "H'Mông", "Nùng")
MEMBER_HEADER = ["member_code", "full_name", "gender", "birth_date", "ethnicity",
                 "general_education", "professional_level", "theory_level", "admitted_on",
                 "official_on", "org_code"]


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, max((end - start).days, 0)))


def _write(path: Path, header: list[str], rows: list[list]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows([["" if v is None else str(v) for v in row] for row in rows])


class _Members:
    def __init__(self, rng: random.Random, cells: list):
        self.rng, self.cells = rng, cells
        self.members: list[list] = []
        self.events: list[list] = []

    def add(self, number: int) -> None:
        rng = self.rng
        cell = rng.choice(self.cells)
        admitted = _day(rng, max(cell.established_on, date(1975, 1, 1)), date(2024, 6, 30))
        birth = admitted - timedelta(days=rng.randint(18 * 366, 50 * 365))
        official = admitted + timedelta(days=rng.randint(366, 400))
        code = f"M{number:06d}"
        self.members.append([
            code, f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
            rng.choice(("male", "female")), birth, rng.choice(ETHNICITIES),
            rng.choice(("12/12", "9/12", "10/10")), rng.choice(("", "college", "university")),
            rng.choice(("", "elementary", "intermediate")), admitted,
            official if official <= LAST_DAY else None, cell.code])
        if official <= LAST_DAY:
            self._history(code, cell, official)

    def _history(self, code: str, cell, day: date) -> None:
        """A few events in date order, each allowed in the state the previous ones left."""
        rng = self.rng
        if rng.random() < 0.15:  # a transfer to another cell existing by then
            day = _day(rng, day + timedelta(days=1), day + timedelta(days=3000))
            others = [c for c in rng.sample(self.cells, 5) if c.established_on <= day
                      and c.code != cell.code]
            if day <= LAST_DAY and others:
                self.events.append([code, "transfer", day, others[0].code])
        if rng.random() < 0.05:
            day = _day(rng, day + timedelta(days=1), day + timedelta(days=2000))
            if day <= LAST_DAY:
                self.events.append([code, "exempt", day, ""])
        if rng.random() < 0.08:
            day = _day(rng, day + timedelta(days=1), day + timedelta(days=4000))
            if day <= LAST_DAY:
                self.events.append([code, rng.choice(("die", "remove", "transfer_out")), day, ""])


def write_synthetic_bundle(path: Path, *, members: int = 70_000, seed: int = 2025) -> None:
    path.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    tree = build_tuyen_quang(seed)
    _write(path / "organizations.csv",
           ["code", "name", "kind", "sector", "parent_code", "established_on", "village_code"],
           [[o.code, o.name, o.kind, o.sector, o.parent_code, o.established_on, o.village_code]
            for o in tree.organizations])
    _write(path / "villages.csv", ["code", "name", "kind", "commune_code", "established_on"],
           [[v.code, v.name, v.kind, v.commune_code, v.established_on] for v in tree.villages])
    _write(path / "org_changes.csv",
           ["effective_on", "org_code", "change", "new_parent_code", "new_name", "new_sector",
            "into_code", "decision_no", "note"],
           [[c.effective_on, c.org_code, c.change, c.new_parent_code, c.new_name, c.new_sector,
             c.into_code, c.decision_no, c.note] for c in tree.reform])
    cells = [o for o in tree.organizations if o.kind in ("cell", "grassroots_cell")]
    people = _Members(rng, cells)
    for number in range(1, members + 1):
        people.add(number)
    _write(path / "members.csv", MEMBER_HEADER, people.members)
    _write(path / "member_events.csv", ["member_code", "event", "effective_on", "org_code"],
           people.events)
    by_cell: dict[str, str] = {}
    for row in people.members:
        by_cell.setdefault(row[-1], row[0])
    _write(path / "positions.csv", ["member_code", "role", "org_code", "start_on"],
           [[member, "secretary", cell, date(2025, 1, 1)] for cell, member in by_cell.items()])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--members", type=int, default=70_000)
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args()
    write_synthetic_bundle(args.path, members=args.members, seed=args.seed)


if __name__ == "__main__":
    main()
