"""The contract suite: the same tests for every registered domain (ARCHITECTURE.md rule 8).

`registry` holds what each domain declares (its fixtures); `domains/` holds the declarations of
chibo's domains; the `test_*` modules are the generic tests, parametrized over the domains.
"""
