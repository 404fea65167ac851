"""The dues process's capabilities (registered in apps.ready(); an administrator holds every
capability).

- `dues.view`: read the dues of a subtree — the collection sheets, the payments, the members'
  categories, the yearly report: the cell's treasurer and secretary, the committees' offices
  (which receive the dues sent up), organization boards and inspection committees (who inspect
  the dues: BUNDLE-v2 `inspection_other`).
- `dues.record`: record payments (on the cell's sheet, imported from a spreadsheet), issue
  receipts, set a member's category and basis, record exceptions to the dues findings: the
  cell's treasurer (a role granted on the cell) and the committees' offices.
- `dues.configure`: the rates by category and the shares kept per level (configuration, one for
  the whole installation): the system administrator only.

The statistics (`dues.members_paid` …) are read with `stats.view`; the findings page with it
too, so a commune's officer sees who is three months behind.
"""

VIEW_DUES = "dues.view"
RECORD_DUES = "dues.record"
CONFIGURE_DUES = "dues.configure"
