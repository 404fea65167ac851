"""The badges process's contract fixtures: badges.csv and the badges metric group (chibo.badges
registers them in its app's ready()).

The badges are made through the bundle's importer (`import_records`), so they pass every check
a province's files do: in Tân Lập cell (D2.X1.C1), twelve members admitted 30, 40 … 90 years
before 2025 each get their milestone's badge on 19/5/2025 (every key non-zero in the 2025
queries), one more its 30 years on 7/11/2024 (outside them).

The pages' and the API's records (`build_api`) are in An Phú commune (D1.X1), through the
services: Đồng Mạ cell (D1.X1.C1) proposes Lan (M001) for 2/9/2025, the province awards Dương
(M003) his 50 years on 2/9/2025. ROUTES: every page and endpoint. The badges are member files
(`member.view`); a proposal needs `badge.propose` on the member's cell, an award `badge.manage`
on the provincial committee (the commune's clerk holds it on the commune only: 403).
"""

from chibo.accounts.policy import SYSTEM
from chibo.badges import services
from chibo.badges.capabilities import MANAGE_BADGES, PROPOSE_BADGES
from chibo.badges.models import Badge, Proposal
from chibo.badges.rules import MILESTONES
from chibo.interchange.importer import import_records
from tests.conftest import FOUNDED, D, admit
from tests.contract.registry import DomainFixtures, Query, Route, register

CELL = "D2.X1.C1"
COMMUNE, API_CELL = "D1.X1", "D1.X1.C1"
DAY = D(2025, 9, 2)


def build(world, people) -> dict:
    cell = world.orgs[CELL]
    members = [admit(f"M08{years}", f"Hà Văn Mốc {years}", cell,
                     admitted_on=D(2025 - years, 1, 10), birth_date=D(2025 - years - 20, 1, 1),
                     official_on=D(2026 - years, 1, 10),
                     org_since=max(FOUNDED, D(2025 - years, 1, 10)))
               for years in MILESTONES]
    late = admit("M0899", "Lý Thị Kỷ", cell, admitted_on=D(1994, 1, 10),
                 birth_date=D(1970, 1, 1), official_on=D(1995, 1, 10))
    rows = [{"member_code": m.member_code, "years": years, "awarded_on": D(2025, 5, 19),
             "early_reason": None} for m, years in zip(members, MILESTONES, strict=True)]
    rows.append({"member_code": late.member_code, "years": 30, "awarded_on": D(2024, 11, 7),
                 "early_reason": None})
    result = import_records({"badges.csv": rows}, actor=SYSTEM)
    assert result.errors == [], result.errors
    return {"members": members, **build_api(world, people)}


def build_api(world, people) -> dict:
    proposal = services.propose(services.NewProposal(
        member=people["lan"], years=30, award_day=DAY, proposed_on=D(2025, 8, 1)),
        actor=SYSTEM)
    badge = services.award(services.NewBadge(member=people["duong"], years=50, awarded_on=DAY,
                                             decision_no="12-QĐ/TU"), actor=SYSTEM)
    return {"proposal": proposal, "badge": badge}


API = "/api/v1/badges"
READ = {"org": COMMUNE, "capability": "member.view",
        "allowed": ("admin", "province", "inspector", "commune"), "denied": ("viewer",),
        "outside": ("other_commune", "secretary", "member", "nobody")}
PROPOSE = {**READ, "capability": PROPOSE_BADGES, "allowed": ("admin", "province", "commune"),
           "denied": ("inspector", "viewer")}
DECIDE = {"org": "TQ", "capability": MANAGE_BADGES, "allowed": ("admin", "province"),
          "denied": ("inspector",),
          "outside": ("commune", "other_commune", "viewer", "secretary", "member", "nobody")}
UNREACHED = "a member outside the caller's sight, named in the body, is refused on its field " \
            "(422, docs/api.md)"
PROVINCE_DECIDES = "the commune's clerk holds badge.manage on the commune, the award is the " \
                   "province's: refused 403 at the provincial committee"


def _proposals(member_code):
    return lambda built: Proposal.objects.filter(member__member_code=member_code).count()


def _badges(member_code):
    return lambda built: Badge.objects.filter(member__member_code=member_code).count()


ROUTES = (
    Route("badges:list", f"/org/{COMMUNE}/badges/awarded/", shows="Đặng Văn Dương", **READ),
    Route("badges:due", f"/org/{COMMUNE}/badges/due/", shows="badges", **READ),
    Route("badges:proposals", f"/org/{COMMUNE}/badges/proposals/", shows="Nông Thị Lan",
          **READ),
    Route("badges:ceremony", f"/org/{COMMUNE}/badges/ceremony/?day=2025-09-02",
          shows="Đặng Văn Dương", **READ),
    Route("badges:propose", f"/org/{COMMUNE}/badges/propose/?member=M002&years=30",
          shows="badge-proposal-form", **PROPOSE),
    Route("badges:propose", f"/org/{COMMUNE}/badges/propose/", method="POST", **PROPOSE,
          body={"member_code": "M002", "years": "30", "award_day": "02/09/2025",
                "proposed_on": "01/08/2025"}, success=302, state=_proposals("M002")),
    Route("badges:decide", "/org/TQ/badges/decide/", shows="badge-award-form", **DECIDE),
    Route("badges:decide", "/org/TQ/badges/decide/", method="POST", **DECIDE,
          body={"member_code": "M003", "years": "45", "awarded_on": "02/09/2020"},
          success=302, state=_badges("M003")),
    Route("api:list_badges", f"{API}/badges?org={COMMUNE}", shows="M003", **READ),
    Route("api:list_badge_proposals", f"{API}/proposals?org={COMMUNE}", shows="M001", **READ),
    Route("api:propose_badge", f"{API}/proposals", method="POST", org=API_CELL,
          capability=PROPOSE_BADGES, allowed=("admin", "province", "commune", "secretary"),
          denied=("inspector", "viewer", "member"), outside=("other_commune", "nobody"),
          body={"member_code": "M002", "years": 30, "award_day": "2025-09-02",
                "proposed_on": "2025-08-01"}, success=201,
          xfail={"other_commune": UNREACHED, "nobody": UNREACHED}, state=_proposals("M002")),
    Route("api:award_badge", f"{API}/badges", method="POST", org=API_CELL,
          capability=MANAGE_BADGES, allowed=("admin", "province", "commune"),
          denied=("inspector", "viewer", "secretary", "member"),
          outside=("other_commune", "nobody"),
          body={"member_code": "M003", "years": 45, "awarded_on": "2020-09-02"}, success=201,
          xfail={"other_commune": UNREACHED, "nobody": UNREACHED, "commune": PROVINCE_DECIDES},
          state=_badges("M003")),
)


register(DomainFixtures(
    key="badges", build=build, sections=("badges",), groups=("badges",), api=("badges",),
    pages=("badges",), routes=ROUTES,
    queries=(
        Query("TQ", D(2025, 1, 1), D(2025, 12, 31), D(2025, 12, 31)),
        Query("TQ", D(2024, 1, 1), D(2024, 12, 31), D(2024, 12, 31)),
        Query("D2", D(2025, 1, 1), D(2025, 12, 31), D(2025, 12, 31)),
        Query(CELL, D(2025, 1, 1), D(2025, 12, 31), D(2025, 12, 31)),
    ),
))
