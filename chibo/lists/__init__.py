"""The one list pattern: every list of chibo is declared with chibo.lists.spec (rows, filters,
columns, sort orders) and shown, paged, counted, searched and exported the same way. See
chibo/lists/spec.py and docs/architecture.md, "How a process adds a list"."""
