"""The residence liaison's capabilities (registered in apps.ready(); an administrator holds
every capability).

- `liaison.residence`: the residence side's narrow view — for the members who have an open
  liaison with an organization of one's subtree, their name, contact (phone, e-mail) and the
  cell where they work, and nothing more (never the member file): the residence cell's
  secretary, the residence committee's office and organizers.
- `liaison.feedback`: write the yearly opinion (3-213) on such a member: the residence cell's
  secretary (HD 33-HD/BTCTW: the cell committee gives it).

The working side introduces a member and ends a liaison with `member.manage` on the member's
cell, and reads the liaisons and their opinions with `member.view` there: they belong to the
member's file.
"""

VIEW_RESIDENCE = "liaison.residence"
WRITE_FEEDBACK = "liaison.feedback"
