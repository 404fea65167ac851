"""`chibo demo`: a realistic Tuyên Quang built through the same services a clerk uses.

The tree comes from chibo.organizations.demo_tree (real districts and communes, generated
villages), then the reform of 1 July 2025 is applied as dated history; the demo accounts of
spec/INTERFACES.md are created on top.
"""

import sys
import time
from dataclasses import dataclass

from django.db import transaction

from chibo.accounts.choices import Role
from chibo.accounts.policy import SYSTEM
from chibo.accounts.services import create_user, grant_role
from chibo.organizations import services
from chibo.organizations.demo_tree import DemoTree, build_tuyen_quang
from chibo.organizations.models import Organization, OrgPeriod, Village

DEMO_PASSWORD = "chibo-demo"
SMALL_DISTRICTS = ("TQ.SD",)


@dataclass
class DemoAccount:
    username: str
    role: str
    organization: Organization | None
    full_name: str


class Progress:
    """A one-line progress bar on stderr (no dependency needed for this)."""

    def __init__(self, total: int, label: str, stream=None):
        self.total, self.label, self.done = max(total, 1), label, 0
        self.stream = stream or sys.stderr
        self.started = time.monotonic()

    def step(self, n: int = 1) -> None:
        self.done += n
        if self.done % 50 == 0 or self.done >= self.total:
            share = self.done / self.total
            bar = "#" * int(30 * share)
            self.stream.write(f"\r{self.label:<28} [{bar:<30}] {share:6.1%}")
            if self.done >= self.total:
                self.stream.write(f"  {time.monotonic() - self.started:.1f}s\n")
            self.stream.flush()


def _subset(tree: DemoTree, size: str) -> DemoTree:
    """`small`: the province, one district and the blocs; `province`: everything.

    Reform changes that name an organization outside the subset are left out, and so is the
    dissolution of any organization that then keeps a child (it stays, as in an unfinished reform).
    """
    if size != "small":
        return tree
    keep = [o for o in tree.organizations
            if o.kind != "district" or o.code in SMALL_DISTRICTS]
    codes: set[str] = set()
    for org in keep:
        if not org.parent_code or org.parent_code in codes:
            codes.add(org.code)
    orgs = [o for o in keep if o.code in codes]
    parents = {o.code: o.parent_code for o in orgs}
    villages = [v for v in tree.villages if v.commune_code in codes]
    named = lambda c: {c.org_code, c.new_parent_code, c.into_code} - {""}  # noqa: E731
    reform = [c for c in tree.reform if c.org_code in codes]
    left_out = {c.org_code for c in reform if not named(c) <= codes}
    stuck = {parents.get(code) for code in left_out}
    reform = [c for c in reform if named(c) <= codes
              and not (c.change == "dissolve" and c.org_code in stuck)]
    return DemoTree(orgs, villages, reform)


def build_tree(seed: int, size: str, stream=None) -> DemoTree:
    tree = _subset(build_tuyen_quang(seed), size)
    by_code: dict[str, Organization] = {}
    village_specs = {v.code: v for v in tree.villages}
    villages: dict[str, Village] = {}
    progress = Progress(len(tree.organizations) + len(tree.villages), "Cây tổ chức", stream)
    for spec in tree.organizations:
        if spec.village_code and spec.village_code not in villages:
            v = village_specs[spec.village_code]
            villages[v.code] = services.create_village(
                actor=SYSTEM, code=v.code, name=v.name, kind=v.kind,
                commune=by_code[v.commune_code], established_on=v.established_on,
            )
            progress.step()
        by_code[spec.code] = services.create_organization(services.NewOrganization(
            code=spec.code, name=spec.name, kind=spec.kind, sector=spec.sector,
            parent=by_code.get(spec.parent_code), established_on=spec.established_on,
            village=villages.get(spec.village_code),
        ), actor=SYSTEM)
        progress.step()
    for v in tree.villages:
        if v.code not in villages:
            villages[v.code] = services.create_village(
                actor=SYSTEM, code=v.code, name=v.name, kind=v.kind,
                commune=by_code[v.commune_code], established_on=v.established_on)
            progress.step()
    reform = Progress(len(tree.reform), "Sắp xếp 01/07/2025", stream)
    for change in tree.reform:
        services.reorganize(
            Organization.objects.get(code=change.org_code), actor=SYSTEM, change=change.change,
            effective_on=change.effective_on,
            new_parent=by_code.get(change.new_parent_code),
            new_name=change.new_name, into=by_code.get(change.into_code),
            decision_no=change.decision_no, note=change.note,
        )
        reform.step()
    return tree


def _demo_commune() -> Organization:
    """A commune of Sơn Dương that absorbed others in 2025: the richest history to look at."""
    merged = (Organization.objects.filter(merged_into__isnull=False, merged_into__ended_on=None,
                                          merged_into__kind="grassroots_committee",
                                          merged_into__code__startswith="TQ.SD.")
              .order_by("merged_into__code").values_list("merged_into", flat=True).first())
    if merged:
        return Organization.objects.get(pk=merged)
    return Organization.objects.filter(kind="grassroots_committee", ended_on=None,
                                       villages__isnull=False).order_by("code").first()


def _demo_cell(commune: Organization) -> Organization:
    period = OrgPeriod.objects.filter(
        parent=commune, organization__village__isnull=False, organization__ended_on=None,
        valid_to__gt="2099-01-01",
    ).order_by("organization__code").first()
    return period.organization


def create_accounts() -> list[DemoAccount]:
    root = Organization.objects.get(code="TQ")
    commune = _demo_commune()
    cell = _demo_cell(commune)
    accounts = [
        DemoAccount("admin", "", None, "Quản trị hệ thống"),
        DemoAccount("province", Role.ORGANIZER, root, "Nguyễn Thị Hồng (Ban Tổ chức Tỉnh ủy)"),
        DemoAccount("inspector", Role.INSPECTOR, root, "Trần Văn Kiên (Ủy ban Kiểm tra)"),
        DemoAccount("commune", Role.CLERK, commune, "Hoàng Thị Mai (Văn phòng Đảng ủy)"),
        DemoAccount("secretary", Role.SECRETARY, cell, "Ma Văn Thắng (Bí thư chi bộ)"),
        DemoAccount("member", Role.MEMBER, cell, "Nông Thị Lan"),
    ]
    for account in accounts:
        user = create_user(actor=SYSTEM, username=account.username, password=DEMO_PASSWORD,
                           full_name=account.full_name, is_superuser=not account.role)
        if account.role:
            grant_role(user, actor=SYSTEM, role=account.role, organization=account.organization)
    return accounts


@transaction.atomic
def build_demo(*, seed: int, size: str, stream=None) -> list[DemoAccount]:
    build_tree(seed, size, stream)
    return create_accounts()
