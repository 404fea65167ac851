"""A test-only domain, "sample visits": an organization visited on a day, with a note.

It proves that a process plugs into chibo without touching interchange, stats or core: its
app (installed by one line of tests/settings.py) registers, in `ready()`, a capability, a bundle
section, a metric group, a page and an API list endpoint; its `contract` module declares its
fixtures, and the contract suite (tests/contract) runs for it like for every domain.
"""
