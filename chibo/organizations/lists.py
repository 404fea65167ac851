"""The list pattern (chibo.lists) for lists of an organization's subtree: `/org/<code>/…`.

`OrgList` resolves the organization of the URL (404 outside the user's scope, 403 without the
list's capability there) and heads the page with it; `Subtree` narrows the list to one
organization under it (a district, a commune, a cell). The platform's pattern cannot know the
tree (it sits below it), so the tree's part of it lives here, for every process to use.
"""

from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from chibo.accounts.policy import Capability, require
from chibo.core.fields import subtree_range
from chibo.lists.spec import Choice, Listing, ListSpec
from chibo.organizations.choices import MEMBER_HOLDING_KINDS
from chibo.organizations.models import Organization


class OrgList(ListSpec):
    """A list of what lies in an organization's subtree; the URL gives the organization's
    `code`. `capability` is checked on it (default: seeing the organization)."""

    capability = Capability.VIEW_ORGS

    def resolve(self, user, code: str = "", **kwargs) -> Organization:
        org = Organization.objects.visible_to(user).filter(code=code).first()
        if org is None:
            raise Http404  # outside the scope looks absent
        require(user, self.capability, org)
        return org

    def heading(self, listing: Listing) -> str:
        return listing.scope.name

    def crumbs(self, listing: Listing) -> list[tuple[str, str]]:
        org = listing.scope
        return [(org.name, reverse("organizations:detail", args=[org.code])),
                (str(self.title), "")]

    def context(self, listing: Listing) -> dict:
        return {"org": listing.scope, "crumbs": self.crumbs(listing)}

    @staticmethod
    def subtree_org(listing: Listing) -> Organization:
        """The organization the list is narrowed to (its `Subtree` filter), else the URL's."""
        for each in listing.spec.filters:
            if isinstance(each, Subtree) and (chosen := each.chosen(listing)) is not None:
                return chosen
        return listing.scope


class Subtree(Choice):
    """Narrow the list to one organization under the page's: its children, and their children
    that hold cells of their own (a province offers its districts and their communes; a
    commune, its cells), as they are today (a dissolved one's past lies in what it merged
    into). `field` is the rows' path field ("organization__path"); without it, the list reads
    the organization from `OrgList.subtree_org(listing)`."""

    def __init__(self, field: str | None = None, *, name: str = "org",
                 label=None):
        super().__init__(name, label or _("Thuộc tổ chức"), self._choices, field=None)
        self.path_field = field

    def _options(self, listing: Listing) -> dict[str, Organization]:
        cached = getattr(listing, "_subtree_options", None)
        if cached is None:
            org = listing.scope
            low, high = subtree_range(org.path)
            under = (Organization.objects.filter(path__gt=low, path__lt=high,
                                                 depth__lte=org.depth + 2)
                     .exclude(depth=org.depth + 2, kind__in=MEMBER_HOLDING_KINDS)
                     .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=listing.today))
                     .only("code", "name", "path", "depth").order_by("path"))
            cached = {o.code: o for o in under}
            listing._subtree_options = cached
        return cached

    def _choices(self, listing: Listing):
        depth = listing.scope.depth
        return [(code, ("— " * (o.depth - depth - 1)) + o.name)
                for code, o in self._options(listing).items()]

    def fields(self, listing: Listing):
        """No field under an organization with nothing to choose below it (a cell)."""
        return super().fields(listing) if self._options(listing) else {}

    def chosen(self, listing: Listing) -> Organization | None:
        code = listing.values.get(self.name)
        return self._options(listing).get(code) if code else None

    def apply(self, rows, listing: Listing):
        org = self.chosen(listing)
        if org is None or self.path_field is None:
            return rows
        low, high = subtree_range(org.path)
        return rows.filter(**{f"{self.path_field}__gte": low, f"{self.path_field}__lt": high})

    def describe(self, listing: Listing) -> list[str]:
        org = self.chosen(listing)
        return [f"{self.label}: {org.name}"] if org is not None else []
