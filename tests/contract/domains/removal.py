"""The removal process's contract routes: the cases of a subtree, the cell's proposal from the
member's file, a case with its decision, and the API. Built through the services: Đồng Mạ cell's
pending proposal to remove Lan (M001) for returning her card, with the cell's resolution. A case
is part of the member's file (`member.view`): D1's viewer, who sees the tree without the files,
finds no member nor case (404) and is refused the commune's list (403); a proposal needs
`removal.propose` on the member's cell, a decision `removal.decide` on the committee."""

from chibo.accounts.policy import SYSTEM
from chibo.core.concurrency import VERSION_FIELD, version_of
from chibo.removal import services
from chibo.removal.capabilities import DECIDE_REMOVAL, PROPOSE_REMOVAL
from chibo.removal.models import RemovalCase
from tests.conftest import D
from tests.contract.registry import DomainFixtures, Route, register

COMMUNE, CELL = "D1.X1", "D1.X1.C1"
API = "/api/v1/removals"


def build(world, people) -> dict:
    case = services.propose_removal(services.NewRemoval(
        people["lan"], ["card_returned"], D(2026, 6, 1), document="Nghị quyết 05-NQ/CB"),
        actor=SYSTEM)
    return {"case": case}


def _case(built) -> dict:
    return {"pk": RemovalCase.objects.get(member__member_code="M001").pk}


def _decision(built) -> dict:
    case = RemovalCase.objects.get(member__member_code="M001")
    return {"outcome": "rejected", "decided_on": "20/06/2026", "decided_by": COMMUNE,
            VERSION_FIELD: version_of(case)}


def _outcome(built) -> str:
    return RemovalCase.objects.get(member__member_code="M001").outcome


READ = {"org": COMMUNE, "capability": "member.view",
        "allowed": ("admin", "province", "inspector", "commune"), "denied": ("viewer",),
        "outside": ("other_commune", "secretary", "member", "nobody")}
# A member's file or a case: out of sight without member.view (404).
FILE = {"org": CELL, "capability": "member.view", "sees": "member.view",
        "allowed": ("admin", "province", "inspector", "commune", "secretary"),
        "outside": ("viewer", "other_commune", "member", "nobody")}
PROPOSE = {**FILE, "capability": PROPOSE_REMOVAL,
           "allowed": ("admin", "province", "commune", "secretary"), "denied": ("inspector",)}
DECIDE = {**FILE, "capability": DECIDE_REMOVAL, "allowed": ("admin", "province", "commune"),
          "denied": ("inspector", "secretary")}
UNREACHED = "a member outside the caller's sight, named in the body, is refused on its field " \
            "(422, docs/api.md)"

register(DomainFixtures(
    key="removal", build=build, pages=("removal",), api=("removal",),
    routes=(
        Route("removal:list", f"/org/{COMMUNE}/removals/", shows="Nông Thị Lan", **READ),
        Route("removal:propose", "/members/M002/removal/", shows="Ma Văn Thắng", **PROPOSE),
        Route("removal:propose", "/members/M002/removal/", method="POST", **PROPOSE,
              body={"grounds": ["political_standard"], "document": "NQ 6",
                    "proposed_on": "02/06/2026"}, success=302,
              state=lambda built: RemovalCase.objects.filter(
                  member__member_code="M002").count()),
        Route("removal:detail", "/removals/{pk}/", kwargs=_case, shows="Nông Thị Lan", **FILE),
        Route("removal:detail", "/removals/{pk}/", kwargs=_case, method="POST", **DECIDE,
              body=_decision, success=302, state=_outcome),
        Route("api:list_removals", f"{API}/cases?org={COMMUNE}", shows="M001", **READ),
        Route("api:get_removal", f"{API}/cases/{{pk}}", kwargs=_case, shows="card_returned",
              **FILE),
        Route("api:propose_removal", f"{API}/cases", method="POST", org=CELL,
              capability=PROPOSE_REMOVAL, allowed=("admin", "province", "commune", "secretary"),
              denied=("inspector", "viewer", "member"), outside=("other_commune", "nobody"),
              body={"member_code": "M002", "grounds": ["political_standard"],
                    "document": "NQ 6", "proposed_on": "2026-06-02"}, success=201,
              xfail={"other_commune": UNREACHED, "nobody": UNREACHED},
              state=lambda built: RemovalCase.objects.filter(
                  member__member_code="M002").count()),
        Route("api:decide_removal", f"{API}/cases/{{pk}}/decision", kwargs=_case,
              method="POST", **DECIDE, state=_outcome,
              body={"outcome": "rejected", "decided_on": "2026-06-20",
                    "decided_by": COMMUNE}),
    ),
))
