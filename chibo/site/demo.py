"""`chibo demo`: a realistic Tuyên Quang, loaded through the bundle import like any province.

The tree comes from chibo.organizations.demo_tree (real districts and communes, generated
villages, the reform of 1 July 2025 as dated changes), the people from
chibo.members.demo_people (members with their history since the 1970s, and posts). Both are
written as a bundle and imported, so the demo passes every check a real province's data does.
The demo accounts of spec/INTERFACES.md are created on top; then each domain's registered
builder (chibo.core.registry.DEMO_BUILDERS) adds its part: meetings, the documents library.
"""

import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from chibo.accounts.choices import Role
from chibo.accounts.policy import SYSTEM
from chibo.accounts.services import create_user, grant_role
from chibo.core.console import ProgressDisplay, number, table
from chibo.core.registry import DEMO_BUILDERS, DemoContext, dependency_order
from chibo.interchange import sections, versions
from chibo.interchange.exporter import cell_text
from chibo.interchange.importer import import_bundle
from chibo.interchange.progress import terminal
from chibo.interchange.writers import write_bundle
from chibo.members.demo_people import build_people, small_codes, subset_tree
from chibo.members.models import Member, Position
from chibo.members.services import link_account
from chibo.organizations.demo_tree import build_tuyen_quang
from chibo.organizations.models import Organization, OrgPeriod

DEMO_PASSWORD = "chibo-demo"


class DemoError(RuntimeError):
    pass


@dataclass
class DemoAccount:
    username: str
    role: str
    organization: Organization | None
    full_name: str
    member: Member | None = None


def _say(stream, text: str) -> None:
    stream.write(text)
    stream.flush()


def demo_bundle(seed: int, size: str) -> dict[str, list[list[str]]]:
    """The demo province as bundle tables (file name -> header and rows of text)."""
    tree = build_tuyen_quang(seed)
    codes = small_codes(tree) if size == "small" else None
    people = build_people(tree, seed, size, codes=codes)
    if codes is not None:
        tree = subset_tree(tree, codes)
    records = {
        "organizations.csv": [asdict(o) for o in tree.organizations],
        "villages.csv": [asdict(v) for v in tree.villages],
        "org_changes.csv": [asdict(c) for c in tree.reform],
        "members.csv": people.members,
        "member_events.csv": people.events,
        "positions.csv": people.positions,
    }
    return {versions.MARKER.name: versions.marker_rows(),  # of the newest version, as exported
            **{spec.name: [spec.keys, *[[cell_text(r.get(k)) for k in spec.keys]
                                        for r in records.get(spec.name, [])]]
               for spec in sections.files()}}


def load(seed: int, size: str, stream=None) -> dict[str, int]:
    stream = stream or sys.stderr
    started = time.monotonic()
    _say(stream, "  " + _("tạo cây tổ chức và đảng viên…") + "\n")
    tables = demo_bundle(seed, size)
    _say(stream, "  " + _("đã tạo %(n)s đảng viên (%(seconds)s giây); nhập:") % {
        "n": number(len(tables["members.csv"]) - 1), "seconds": _seconds(started)} + "\n")
    with tempfile.TemporaryDirectory(prefix="chibo-demo-") as folder:
        path = Path(folder) / "bundle"
        write_bundle(path, tables)
        started = time.monotonic()
        shown = ProgressDisplay(stream)
        try:
            result = import_bundle(path, actor=SYSTEM, progress=terminal(shown))
        finally:
            shown.close()
    if not result.ok:
        raise DemoError("the demo bundle did not import:\n" + "\n".join(result.errors[:20]))
    _say(stream, "  " + _("đã nhập (%(seconds)s giây):") % {"seconds": _seconds(started)}
         + "\n" + table(result.counts.items(), indent="    ") + "\n")
    return result.counts


def _seconds(started: float) -> str:
    return f"{time.monotonic() - started:.0f}"


def _demo_commune() -> Organization:
    """A commune of Sơn Dương that absorbed others in 2025: the richest history to look at."""
    survivor = (Organization.objects.filter(
        merged_from__isnull=False, ended_on=None, kind="grassroots_committee",
        merged_from__code__startswith="TQ.SD.").order_by("code").first())
    return survivor or Organization.objects.filter(
        kind="grassroots_committee", ended_on=None, villages__isnull=False).order_by("code").first()


def _demo_cell(commune: Organization) -> tuple[Organization, Position | None]:
    """A village cell of the commune with a secretary today, and that secretary's post."""
    cells = OrgPeriod.objects.filter(parent=commune, organization__village__isnull=False,
                                     organization__ended_on=None,
                                     valid_to__gt="2099-01-01").order_by("organization__code")
    for period in cells:
        post = (Position.objects.filter(org=period.organization, role="secretary",
                                        end_on__isnull=True).select_related("member").first())
        if post is not None:
            return period.organization, post
    return cells.first().organization, None


def create_accounts() -> list[DemoAccount]:
    root = Organization.objects.get(code="TQ")
    commune = _demo_commune()
    cell, secretary_post = _demo_cell(commune)
    secretary = secretary_post.member if secretary_post else None
    plain = (Member.objects.filter(cell=cell, status__in=["official", "probationary"])
             .exclude(pk=getattr(secretary, "pk", None)).order_by("sort_key").first())
    accounts = [
        DemoAccount("admin", "", None, "Quản trị hệ thống"),
        DemoAccount("province", Role.ORGANIZER, root, "Nguyễn Thị Hồng (Ban Tổ chức Tỉnh ủy)"),
        DemoAccount("inspector", Role.INSPECTOR, root, "Trần Văn Kiên (Ủy ban Kiểm tra)"),
        DemoAccount("commune", Role.CLERK, commune, "Hoàng Thị Mai (Văn phòng Đảng ủy)"),
        DemoAccount("secretary", Role.SECRETARY, cell,
                    secretary.full_name if secretary else "Bí thư chi bộ", secretary),
        DemoAccount("member", Role.MEMBER, cell, plain.full_name if plain else "Đảng viên",
                    plain),
    ]
    for account in accounts:
        user = create_user(actor=SYSTEM, username=account.username, password=DEMO_PASSWORD,
                           full_name=account.full_name, is_superuser=not account.role)
        if account.role:
            grant_role(user, actor=SYSTEM, role=account.role, organization=account.organization)
        if account.member is not None:
            link_account(account.member, actor=SYSTEM, user=user)
    return accounts


def run_builders(context: DemoContext) -> None:
    """What each domain registered for the demo (meetings, the library…), each after those it
    depends on."""
    for builder in dependency_order(list(DEMO_BUILDERS.values())):
        _say(context.stream, f"  {builder.key}…\n")
        builder.build(context)


def build_demo(*, seed: int, size: str, stream=None) -> list[DemoAccount]:
    """The records (tree and people, through the bundle), the demo accounts, then every
    registered builder: a builder may rely on the accounts (the library addresses the demo
    member's cell)."""
    stream = stream or sys.stderr
    load(seed, size, stream)
    accounts = create_accounts()
    run_builders(DemoContext(seed=seed, size=size, stream=stream))
    return accounts
