"""The ratings process's contract fixtures: ratings.csv and the ratings metric group
(chibo.ratings registers them in its app's ready()).

The ratings are made through the bundle's importer (`import_records`), so they pass every check
a province's files do: in Yên Lâm commune (D2.X1), four members of Tân Lập cell rated for 2025
at each level, and the cell, the commune, the province's Finance office cell and Khuổi Phầy
cell rated at each level; 2024's ratings lie outside the 2025 queries, and the bloc committee's
rating is of a kind the keys do not count.

The API's records (`build_api`) are in An Phú commune (D1.X1), through the services: the
commune's campaign of 2025, Đồng Mạ cell's proposal for Lan (M001), and the cell's rating of
2025 decided by the commune, Nà Khà cell rated excellent by an exception (the commendation
list). ROUTES: every endpoint. The ratings are member files
(`member.view`): D1's viewer sees the commune without them (403); a decision needs
`rating.manage` on the deciding committee, a proposal `rating.propose` on the member's cell.
"""

from chibo.accounts.policy import SYSTEM
from chibo.core.concurrency import VERSION_FIELD, version_of
from chibo.findings.services import Decision
from chibo.interchange.importer import import_records
from chibo.ratings import services
from chibo.ratings.capabilities import MANAGE_RATINGS, PROPOSE_RATINGS
from chibo.ratings.models import Proposal, Rating, ReviewCampaign
from tests.conftest import D, admit
from tests.contract.registry import DomainFixtures, Query, Route, register

CELL = "D2.X1.C1"
LEVELS = ("excellent", "good", "complete", "not_complete")


def _rating(year, level, *, org=None, member=None, score=None, decided_on=None,
            decided_by=None):
    return {"year": year, "org_code": org, "member_code": member, "level": level,
            "score": score, "decided_on": decided_on, "decided_by": decided_by}


def build(world, people) -> dict:
    cell = world.orgs[CELL]
    members = [admit(f"M07{i}", name, cell, official_on=D(2011, 3, 1))
               for i, name in enumerate(("Hà Văn Sơn", "Lý Thị Nga", "Triệu Văn Khánh",
                                         "Bàn Thị Thu"))]
    ratings = [_rating(2025, level, member=m.member_code, decided_on=D(2025, 12, 20),
                       decided_by="D2.X1", score=score)
               for m, level, score in zip(members, LEVELS, ("92.5", "80", None, "40"),
                                          strict=True)]
    ratings += [_rating(2025, level, org=org, decided_on=D(2025, 12, 28))
                for org, level in zip((CELL, "D2.X1", "CQ.S1", "D1.X2.C1"), LEVELS,
                                      strict=True)]
    ratings += [_rating(2024, "good", member=m.member_code) for m in members]
    ratings += [_rating(2024, "excellent", org=CELL, decided_by="D2.X1"),
                _rating(2025, "good", org="CQ", decided_by="TQ")]
    result = import_records({"ratings.csv": ratings}, actor=SYSTEM)
    assert result.errors == [], result.errors
    return {"members": members, **build_api(world, people)}


def build_api(world, people) -> dict:
    commune = world.orgs[COMMUNE]
    campaign = services.open_campaign(services.NewCampaign(
        org=commune, year=2025, opened_on=D(2025, 11, 1), deadline=D(2025, 12, 10)),
        actor=SYSTEM)
    services.propose(services.NewProposal(campaign, people["lan"], "good", D(2025, 12, 5)),
                     actor=SYSTEM)
    services.rate_organization(services.NewRating(
        year=2025, level="good", decided_on=D(2025, 12, 20), org=world.orgs[API_CELL]),
        actor=SYSTEM)
    # Nà Khà cell excellent, beyond the quota by a recorded exception: the commendation list.
    services.rate_organization(services.NewRating(
        year=2025, level="excellent", decided_on=D(2025, 12, 20), org=world.orgs["D1.X1.C2"]),
        actor=SYSTEM, exception=Decision("15-QĐ/ĐU", D(2025, 12, 19), COMMUNE))
    return {"campaign": campaign}


COMMUNE, API_CELL = "D1.X1", "D1.X1.C1"
API = "/api/v1/ratings"
READ = {"org": COMMUNE, "capability": "member.view",
        "allowed": ("admin", "province", "inspector", "commune"), "denied": ("viewer",),
        "outside": ("other_commune", "secretary", "member", "nobody")}
MANAGE = {**READ, "capability": MANAGE_RATINGS, "method": "POST",
          "allowed": ("admin", "province", "commune"), "denied": ("inspector", "viewer")}
# A member or an organization named in the body that the caller cannot see is refused on its
# field (422, docs/api.md), as an unknown code: the answer tells nothing of the tree.
UNREACHED = "a subject outside the caller's sight, named in the body, is refused on its field " \
            "(422, docs/api.md)"


def _campaign(built) -> dict:
    return {"cid": ReviewCampaign.objects.get(org__code=COMMUNE, year=2025).pk}


def _close_form(built) -> dict:
    campaign = ReviewCampaign.objects.get(org__code=COMMUNE, year=2025)
    return {"closed_on": "30/12/2025", VERSION_FIELD: version_of(campaign)}


def _proposal_form(built) -> dict:
    proposal = Proposal.objects.get(member__member_code="M001", campaign__year=2025)
    return {"level": "excellent", "proposed_on": "06/12/2025", VERSION_FIELD:
            version_of(proposal)}


PROPOSE_PAGE = f"/org/{API_CELL}/ratings/2025/propose/M001/"
# The cell's page: in scope of the commune's officers and the cell's secretary.
CELL_READ = {**READ, "org": API_CELL, "allowed": (*READ["allowed"], "secretary"),
             "denied": ("viewer", "member"), "outside": ("other_commune", "nobody")}


ROUTES = (
    Route("ratings:list", f"/org/{COMMUNE}/ratings/?year=2025", shows="Chi bộ thôn Đồng Mạ",
          **READ),
    Route("ratings:campaign", f"/org/{COMMUNE}/ratings/campaign/?year=2025",
          shows="Nông Thị Lan", **READ),
    Route("ratings:open_campaign", f"/org/{COMMUNE}/ratings/campaign/open/",
          shows="id_deadline", **{**MANAGE, "method": "GET"}),
    Route("ratings:open_campaign", f"/org/{COMMUNE}/ratings/campaign/open/", **MANAGE,
          body={"year": "2024", "opened_on": "01/11/2024", "deadline": "01/12/2024"},
          success=302, state=lambda built: ReviewCampaign.objects.filter(year=2024).count()),
    Route("ratings:close_campaign", f"/org/{COMMUNE}/ratings/campaign/2025/close/",
          shows="id_closed_on", **{**MANAGE, "method": "GET"}),
    Route("ratings:close_campaign", f"/org/{COMMUNE}/ratings/campaign/2025/close/", **MANAGE,
          body=_close_form, success=302,
          state=lambda built: ReviewCampaign.objects.get(org__code=COMMUNE,
                                                         year=2025).closed_on),
    Route("ratings:propose", PROPOSE_PAGE, shows="Nông Thị Lan", **CELL_READ),
    Route("ratings:propose", PROPOSE_PAGE, method="POST", org=API_CELL,
          capability=PROPOSE_RATINGS, allowed=("admin", "province", "commune", "secretary"),
          denied=("inspector", "viewer", "member"), outside=("other_commune", "nobody"),
          body=_proposal_form, success=302,
          state=lambda built: Proposal.objects.get(member__member_code="M001").level),
    Route("ratings:commendations", f"/org/{COMMUNE}/ratings/commendations/?year=2025",
          shows="Nà Khà", **READ),
    Route("ratings:commendations_print",
          f"/org/{COMMUNE}/ratings/commendations/print/?year=2025", shows="Nà Khà", **READ),
    Route("ratings:decide", f"/org/{COMMUNE}/ratings/decide/?year=2025",
          shows="rating-quota", **{**MANAGE, "method": "GET"}),
    Route("ratings:decide", f"/org/{COMMUNE}/ratings/decide/", **MANAGE,
          body={"year": "2025", "member_code": "M003", "level": "complete",
                "decided_on": "20/12/2025"}, success=302,
          state=lambda built: Rating.objects.filter(member__member_code="M003").count()),
    Route("api:list_ratings", f"{API}/ratings?org={COMMUNE}", shows=API_CELL, **READ),
    Route("api:get_rating_quota", f"{API}/quota?org={COMMUNE}&year=2025", shows="members",
          **READ),
    Route("api:list_rating_campaigns", f"{API}/campaigns?org={COMMUNE}", shows="2025-12-10",
          **READ),
    Route("api:get_rating_campaign", f"{API}/campaigns/{{cid}}", kwargs=_campaign,
          shows="M001", **READ),
    Route("api:open_rating_campaign", f"{API}/campaigns", **MANAGE,
          body={"org_code": COMMUNE, "year": 2024, "opened_on": "2024-11-01",
                "deadline": "2024-12-01"}, success=201,
          xfail={user: UNREACHED for user in ("other_commune", "secretary", "member",
                                              "nobody")},
          state=lambda built: ReviewCampaign.objects.filter(year=2024).count()),
    Route("api:close_rating_campaign", f"{API}/campaigns/{{cid}}/close", kwargs=_campaign,
          body={"closed_on": "2025-12-30"}, **MANAGE,
          state=lambda built: ReviewCampaign.objects.get(org__code=COMMUNE,
                                                         year=2025).closed_on),
    Route("api:decide_rating", f"{API}/ratings", method="POST", org=API_CELL,
          capability=MANAGE_RATINGS, allowed=("admin", "province", "commune"),
          denied=("inspector", "viewer", "secretary", "member"),
          outside=("other_commune", "nobody"),
          body={"year": 2025, "member_code": "M002", "level": "complete",
                "decided_on": "2025-12-20"}, success=201,
          xfail={"other_commune": UNREACHED, "nobody": UNREACHED},
          state=lambda built: Rating.objects.filter(member__member_code="M002").count()),
    Route("api:propose_rating", f"{API}/proposals", method="POST", org=API_CELL,
          capability=PROPOSE_RATINGS, allowed=("admin", "province", "commune", "secretary"),
          denied=("inspector", "viewer", "member"), outside=("other_commune", "nobody"),
          body={"year": 2025, "member_code": "M002", "level": "good",
                "proposed_on": "2025-12-05"}, success=201,
          xfail={"other_commune": UNREACHED, "nobody": UNREACHED},
          state=lambda built: Proposal.objects.filter(member__member_code="M002").count()),
)


register(DomainFixtures(
    key="ratings", build=build, sections=("ratings",), groups=("ratings",), api=("ratings",),
    pages=("ratings",), routes=ROUTES,
    queries=(
        Query("TQ", D(2025, 1, 1), D(2025, 12, 31), D(2025, 12, 31)),
        Query("TQ", D(2024, 1, 1), D(2024, 12, 31), D(2024, 12, 31)),
        Query("D2", D(2025, 1, 1), D(2025, 12, 31), D(2025, 12, 31)),
        Query(CELL, D(2025, 1, 1), D(2025, 12, 31), D(2025, 12, 31)),
    ),
))
