"""Each chibo domain's contract fixtures, one module per app label (`registry.register`).

`PENDING` names the parts registered in chibo's stores that have no contract fixtures yet, with
the reason: the registry test accepts them, and fails when one is covered or no longer
registered, so the list only shrinks.
"""

RECORDS_CORE = ("the records core: its round trips are tests/test_bundle.py's (the conformance "
                "bundle)")

PENDING: dict[tuple[str, str], str] = {
    ("bundle.sections", "tree"): RECORDS_CORE,
    ("bundle.sections", "members"): RECORDS_CORE,
    ("bundle.sections", "positions"): RECORDS_CORE,
}
