"""The badges process's capabilities (registered in apps.ready(); an administrator holds every
capability).

- `badge.manage`: decide the award of a badge and record exceptions to the badges findings. RULES.md
  §7 names the provincial standing committee for the special cases and is silent on the rest:
  the award is decided at the provincial committee (as in practice: the Tỉnh ủy's decision), so
  the holder must hold it on the provincial organization; its organization board and office
  record the decision (organizers and clerks, who hold `rating.manage` for the same reason).
- `badge.propose`: propose a member of the cell for an award day — the cell secretary, and the
  officers (organizers, clerks) of the levels above, who propose upward.

Reads need the existing capabilities: the badges of a subtree are member files (`member.view`);
their counts are statistics (`stats.view`).
"""

MANAGE_BADGES = "badge.manage"
PROPOSE_BADGES = "badge.propose"
