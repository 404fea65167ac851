"""The ratings process's capabilities (registered in apps.ready(); an administrator holds
every capability).

- `rating.manage`: open a review campaign, decide the ratings of members and organizations
  and record exceptions to the ratings findings — the committee's officers who prepare the
  decision (the organization board and the committee's office, who hold `admission.manage`
  for the same reason: the committee decides, they record it).
- `rating.propose`: record the cell's proposal for its members — the cell secretary, and the
  officers who hold `rating.manage`.

Reads need the existing capabilities: the ratings, campaigns and proposals of a subtree are
member files (`member.view`); their counts are statistics (`stats.view`).
"""

MANAGE_RATINGS = "rating.manage"
PROPOSE_RATINGS = "rating.propose"
