"""Restricted querysets: every read of scoped data goes through `visible_to(user)`.

They are the permission policy's read side (chibo.accounts.policy decides which subtrees a
user may read; this turns that into a condition on the rows), so they live beside it, and
`chibo.core` keeps only the tree arithmetic they use (`path_scope_q`).
"""

from django.db import models

from chibo.accounts.policy import Capability, scope_paths
from chibo.core.querysets import path_scope_q


class RestrictedQuerySet(models.QuerySet):
    """A queryset that knows which path field places its rows in the organization tree.

    Models set `scope_path_field` (e.g. "path", "organization__path"); `visible_to` keeps the rows
    under the organizations where the user holds a grant with the capability.
    """

    def visible_to(self, user, capability: str | None = None):
        capability = capability or getattr(self.model, "view_capability", Capability.VIEW_ORGS)
        field = self.model.scope_path_field
        return self.filter(path_scope_q(scope_paths(user, capability), field))
