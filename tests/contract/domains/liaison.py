"""The residence liaison's contract fixtures: residence_liaison.csv, its two metric groups,
its pages and its API (chibo.liaison registers them in its app's ready()).

Three members of the province's Finance office cell (CQ.S1, an agency: working members) keep
contact with thôn Đồng Mạ (D1.X1.C1), introduced through the services in 2024; the cell's
secretary wrote their 2025 opinions at each level, and one of 2024. Lê Văn Bình (M006, of An
Phú's Nà Khà cell) keeps contact with Yên Lâm's Tân Lập cell (D2.X1.C1): the working side's
routes read An Phú. ROUTES: every page and endpoint. The residence list needs
`liaison.residence` (the secretary, the commune's clerk, organizers), the 3-213 form
`liaison.feedback` (the secretary); the working side `member.view`, `member.manage`.
"""

from chibo.accounts.policy import SYSTEM, Capability
from chibo.liaison import services
from chibo.liaison.capabilities import VIEW_RESIDENCE, WRITE_FEEDBACK
from chibo.liaison.models import Liaison, Opinion
from tests.conftest import D, admit
from tests.contract.registry import DomainFixtures, Query, Route, register

RESIDENCE, WORKING = "D1.X1.C1", "D1.X1"
LEVELS = ("good", "fair", "poor")


def _introduce(world, member, org, cell, day):
    return services.introduce(services.NewLiaison(
        member=member, introduced_on=day, residence_org=world.orgs[org],
        residence_cell=world.orgs[cell]), actor=SYSTEM)


def _opinion(liaison, year, level):
    services.write_opinion(services.NewOpinion(liaison=liaison, year=year, feedback=level,
                                               written_on=D(year, 12, 20)), actor=SYSTEM)


def build(world, people) -> dict:
    office = world.orgs["CQ.S1"]
    members = [admit(f"M08{i}", name, office, official_on=D(2012, 3, 1),
                     phone=f"091234567{i}")
               for i, name in enumerate(("Đỗ Văn Tài", "Hà Thị Thu", "Lục Văn Khải"))]
    liaisons = [_introduce(world, m, "D1.X1", RESIDENCE, D(2024, 3, 1 + i))
                for i, m in enumerate(members)]
    for liaison, level in zip(liaisons, LEVELS, strict=True):
        _opinion(liaison, 2025, level)
    _opinion(liaisons[0], 2024, "good")
    binh = _introduce(world, people["binh"], "D2.X1", "D2.X1.C1", D(2024, 2, 1))
    _opinion(binh, 2024, "fair")
    return {"members": members, "liaisons": liaisons, "binh": binh}


def _binh(built) -> dict:
    return {"pk": built.records["liaison"]["binh"].pk}


def _tai(built) -> dict:
    return {"pk": built.records["liaison"]["liaisons"][0].pk}


READ = {"org": WORKING, "capability": Capability.VIEW_MEMBERS,
        "allowed": ("admin", "province", "inspector", "commune"), "denied": ("viewer",),
        "outside": ("other_commune", "secretary", "member", "nobody")}
MANAGE = {**READ, "capability": Capability.MANAGE_MEMBERS, "method": "POST",
          "allowed": ("admin", "province", "commune"), "denied": ("inspector", "viewer")}
RESIDENTS = {"org": RESIDENCE, "capability": VIEW_RESIDENCE,
             "allowed": ("admin", "province", "commune", "secretary"),
             "denied": ("inspector", "viewer", "member"), "outside": ("other_commune", "nobody")}
FEEDBACK = {**RESIDENTS, "capability": WRITE_FEEDBACK, "allowed": ("admin", "secretary"),
            "denied": ("province", "commune", "inspector", "viewer", "member")}
NEW = {"member_code": "M007", "introduced_on": "2024-01-10", "org_code": "D2.X1",
       "cell_code": "D2.X1.C1"}
UNREACHED = "a member outside the caller's sight, named in the body, is refused on its field " \
            "(422, docs/api.md)"
API = "/api/v1/liaison"


def _cuong(built) -> int:
    return Liaison.objects.filter(member__member_code="M007").count()


def _tai_2023(built) -> int:
    return Opinion.objects.filter(member__member_code="M080", year=2026).count()


ROUTES = (
    Route("liaison:working", f"/org/{WORKING}/liaison/", shows="Lê Văn Bình", **READ),
    Route("liaison:letter", f"/org/{WORKING}/liaison/{{pk}}/1-213.docx", kwargs=_binh, **READ),
    Route("liaison:introduce", f"/org/{WORKING}/liaison/introduce/", shows="liaison-form",
          **{**MANAGE, "method": "GET"}),
    Route("liaison:introduce", f"/org/{WORKING}/liaison/introduce/", **MANAGE, success=302,
          body={**NEW, "introduced_on": "10/01/2024"}, state=_cuong),
    Route("liaison:end", f"/org/{WORKING}/liaison/{{pk}}/end/", kwargs=_binh, **MANAGE,
          body={"ended_on": "2025-01-01"}, success=302,
          state=lambda built: Liaison.objects.get(member__member_code="M006").ended_on),
    Route("liaison:residents", f"/org/{RESIDENCE}/liaison/residents/", shows="Đỗ Văn Tài",
          **RESIDENTS),
    Route("liaison:feedback", f"/org/{RESIDENCE}/liaison/residents/{{pk}}/feedback/",
          kwargs=_tai, shows="Đỗ Văn Tài", **FEEDBACK),
    Route("liaison:feedback", f"/org/{RESIDENCE}/liaison/residents/{{pk}}/feedback/",
          kwargs=_tai, method="POST", success=302, state=_tai_2023,
          body={"year": "2026", "feedback": "good", "written_on": "2026-01-05"}, **FEEDBACK),
    Route("api:list_liaisons", f"{API}/liaisons?org={WORKING}", shows="M006", **READ),
    Route("api:introduce_member", f"{API}/liaisons", **{**MANAGE, "org": "D1.X1.C2"},
          body=NEW, success=201, state=_cuong,
          xfail={user: UNREACHED for user in ("other_commune", "secretary", "member",
                                              "nobody")}),
    Route("api:end_liaison", f"{API}/liaisons/{{pk}}/end", kwargs=_binh,
          **{**MANAGE, "org": "D1.X1.C2"}, body={"ended_on": "2025-01-01"},
          state=lambda built: Liaison.objects.get(member__member_code="M006").ended_on),
    Route("api:list_residents", f"{API}/residents?org={RESIDENCE}", shows="0912345670",
          **RESIDENTS),
    Route("api:write_opinion", f"{API}/residents/{{pk}}/opinions", kwargs=_tai, **FEEDBACK,
          method="POST", success=201, state=_tai_2023,
          body={"year": 2026, "feedback": "good", "written_on": "2026-01-05"}),
)


register(DomainFixtures(
    key="liaison", build=build, sections=("liaison",), groups=("liaison",
                                                               "liaison_feedback"),
    api=("liaison",), pages=("liaison",), routes=ROUTES,
    queries=(
        Query("TQ", D(2025, 1, 1), D(2025, 12, 31), D(2025, 12, 31)),
        Query("TQ", D(2024, 1, 1), D(2024, 12, 31), D(2024, 12, 31)),
        Query("CQ", D(2025, 1, 1), D(2025, 12, 31), D(2025, 12, 31)),
        Query(RESIDENCE, D(2025, 1, 1), D(2025, 12, 31), D(2025, 12, 31)),
    ),
))
