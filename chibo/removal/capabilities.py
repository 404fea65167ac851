"""The removal process's capabilities (registered in apps.ready(); an administrator holds every
capability).

- `removal.propose`: record the cell's proposal to remove one of its members from the list —
  the cell secretary, and the committee officers who hold `removal.decide`;
- `removal.decide`: record the competent committee's decision (the organization board and the
  committee's office, who record the committee's other decisions on member files).

Reads need `member.view`: a removal case is part of the member's file.
"""

PROPOSE_REMOVAL = "removal.propose"
DECIDE_REMOVAL = "removal.decide"
