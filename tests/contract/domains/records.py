"""The records core's contract routes: the tree's pages and endpoints (chibo.organizations) and
the member files' (chibo.members). Their records are the named world itself (tests/conftest.py):
the walker reads, changes and is refused on D1.X1.C1 and Ma Văn Thắng (M002), whose file is not
the `member` user's own."""

from chibo.accounts.policy import SYSTEM, Capability
from chibo.core.concurrency import VERSION_FIELD, version_of
from chibo.members import services as member_services
from chibo.members.models import Member, MemberEvent, Position
from chibo.organizations.models import Organization, Reorganization
from tests.conftest import D
from tests.contract.registry import (
    EVERYONE,
    SEE_CELL,
    SEE_COMMUNE,
    DomainFixtures,
    Route,
    classes,
    own,
    register,
)

C = Capability
MANAGE_ORGS = ("admin", "province")
VIEW_MEMBERS = ("admin", "province", "inspector", "commune", "secretary")
MANAGE_MEMBERS = ("admin", "province", "commune")
# A member's file is seen with member.view over its cell; without it, it looks absent (404).
MEMBER_FILE = {"org": "D1.X1.C1", "sees": C.VIEW_MEMBERS}


def build(world, people) -> dict:
    """Thắng is the deputy secretary of his cell (a post the walker ends) and has a photo."""
    member_services.set_photo(people["thang"], actor=SYSTEM, data=tiny_png())
    post = member_services.assign_post(people["thang"], actor=SYSTEM, role="deputy_secretary",
                                       start_on=D(2020, 10, 1), org=world.orgs["D1.X1.C1"])
    return {"post": post.pk}


def tiny_png() -> bytes:
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return buffer.getvalue()


def post_of(built) -> dict:
    return {"post": built.records["records"]["post"]}


def _post(built):
    return Position.objects.get(pk=built.records["records"]["post"])


def end_post_form(built) -> dict:
    """The form as its page sends it: the day, and the version of the post it was opened on."""
    return {"end_on": "01/06/2025", VERSION_FIELD: version_of(_post(built))}


def post_end(built):
    return _post(built).end_on


def org_row(code):
    return lambda built: tuple(Organization.objects.filter(code=code).values_list(
        "name", "sector", "village_id"))


def children_of(code):
    return lambda built: sorted(Organization.objects.filter(parent__code=code)
                                .values_list("code", flat=True))


def member_row(code):
    return lambda built: tuple(Member.objects.filter(member_code=code).values_list(
        "full_name", "phone", "occupation"))


def events_of(code):
    return lambda built: MemberEvent.objects.filter(member__member_code=code).count()


def members_of(code):
    return lambda built: sorted(Member.objects.filter(cell__code=code)
                                .values_list("member_code", flat=True))


def reorganizations(built):
    return Reorganization.objects.count()


def posts_of(code):
    return lambda built: sorted(Member.objects.get(member_code=code).positions.values_list(
        "role", "end_on"))


BODY_REFERENCE = ("a code in the body outside the caller's reach is refused on its field "
                  "(422, docs/api.md), not as a missing page")


def refused_in_body(seeing, allowed) -> dict:
    """The outside cases of a create whose organization is named in the body."""
    return {user: BODY_REFERENCE for user in EVERYONE if user not in seeing}


NEW_CELL = {"code": "D1.X1.C9", "name": "Chi bộ thôn Làng Mới", "kind": "cell",
            "parent": "D1.X1", "established_on": "2024-01-01"}
NEW_MEMBER = {"member_code": "M099", "full_name": "Hà Thị Mai", "gender": "female",
              "birth_date": "1995-04-02", "admitted_on": "2024-05-19", "cell": "D1.X1.C1"}

register(DomainFixtures(
    key="records", build=build, pages=("organizations", "members"),
    api=("organizations", "members"),
    routes=(
        # the tree
        # lists what the user sees, from the top: no organization's page
        Route("organizations:tree", "/org/", **own(EVERYONE)),
        Route("organizations:tree_children", "/org/tree/D1.X1/children/", org="D1.X1",
              capability=C.VIEW_ORGS, **classes(SEE_COMMUNE, SEE_COMMUNE),
              shows="Chi bộ thôn Đồng Mạ"),
        Route("organizations:detail", "/org/D1.X1.C1/", org="D1.X1.C1", capability=C.VIEW_ORGS,
              **classes(SEE_CELL, SEE_CELL), shows="Chi bộ thôn Đồng Mạ"),
        Route("organizations:create_child", "/org/D1.X1/new/", org="D1.X1",
              capability=C.MANAGE_ORGS, **classes(SEE_COMMUNE, MANAGE_ORGS)),
        Route("organizations:create_child", "/org/D1.X1/new/", org="D1.X1", method="POST",
              capability=C.MANAGE_ORGS, **classes(SEE_COMMUNE, MANAGE_ORGS), success=302,
              body={"code": "D1.X1.C9", "name": "Chi bộ thôn Làng Mới", "kind": "cell",
                    "established_on": "01/01/2024"},
              state=children_of("D1.X1")),
        Route("organizations:edit", "/org/D1.X1.C1/edit/", org="D1.X1.C1",
              capability=C.MANAGE_ORGS, **classes(SEE_CELL, MANAGE_ORGS)),
        Route("organizations:create_village", "/org/D1.X1/villages/new/", org="D1.X1",
              capability=C.MANAGE_ORGS, **classes(SEE_COMMUNE, MANAGE_ORGS)),
        Route("organizations:reorganize", "/org/D1.X1.C1/change/rename/", org="D1.X1.C1",
              capability=C.MANAGE_ORGS, **classes(SEE_CELL, MANAGE_ORGS)),
        Route("api:list_organizations", "/api/v1/organizations?parent=D1.X1", org="D1.X1",
              capability=C.VIEW_ORGS, **classes(SEE_COMMUNE, SEE_COMMUNE),
              shows="Chi bộ thôn Đồng Mạ"),
        Route("api:get_organization", "/api/v1/organizations/D1.X1.C1", org="D1.X1.C1",
              capability=C.VIEW_ORGS, **classes(SEE_CELL, SEE_CELL),
              shows="Chi bộ thôn Đồng Mạ"),
        Route("api:create_organization", "/api/v1/organizations", method="POST", org="D1.X1",
              capability=C.MANAGE_ORGS, **classes(SEE_COMMUNE, MANAGE_ORGS), body=NEW_CELL,
              success=201, state=children_of("D1.X1"),
              xfail=refused_in_body(SEE_COMMUNE, MANAGE_ORGS)),
        Route("api:update_organization", "/api/v1/organizations/D1.X1.C1", method="PATCH",
              org="D1.X1.C1", capability=C.MANAGE_ORGS, **classes(SEE_CELL, MANAGE_ORGS),
              body={"name": "Chi bộ thôn Đồng Mạ mới"}, state=org_row("D1.X1.C1")),
        Route("api:reorganize", "/api/v1/organizations/D1.X1.C3/reorganizations",
              method="POST", org="D1.X1.C3", capability=C.MANAGE_ORGS,
              **classes(SEE_COMMUNE, MANAGE_ORGS), success=201,
              body={"change": "rename", "effective_on": "2025-07-01",
                    "new_name": "Chi bộ Trường Tiểu học và THCS An Phú"},
              state=reorganizations),
        # the member files
        Route("members:list", "/org/D1.X1.C1/members/", org="D1.X1.C1",
              capability=C.VIEW_MEMBERS, **classes(SEE_CELL, VIEW_MEMBERS),
              shows="Ma Văn Thắng"),
        Route("members:badges", "/org/D1.X1/badges/", org="D1.X1", capability=C.VIEW_MEMBERS,
              **classes(SEE_COMMUNE, VIEW_MEMBERS[:4])),
        Route("members:admit", "/org/D1.X1.C1/members/new/", org="D1.X1.C1",
              capability=C.MANAGE_MEMBERS, **classes(SEE_CELL, MANAGE_MEMBERS)),
        Route("members:detail", "/members/M002/", **MEMBER_FILE, capability=C.VIEW_MEMBERS,
              **classes(VIEW_MEMBERS, VIEW_MEMBERS), shows="Ma Văn Thắng"),
        Route("members:edit", "/members/M002/edit/", **MEMBER_FILE,
              capability=C.MANAGE_MEMBERS, **classes(VIEW_MEMBERS, MANAGE_MEMBERS)),
        Route("members:photo", "/members/M002/photo", **MEMBER_FILE, capability=C.VIEW_MEMBERS,
              **classes(VIEW_MEMBERS, VIEW_MEMBERS)),
        Route("members:event", "/members/M002/events/exempt/", **MEMBER_FILE,
              capability=C.MANAGE_MEMBERS, **classes(VIEW_MEMBERS, MANAGE_MEMBERS)),
        Route("members:add_post", "/members/M002/posts/new/", **MEMBER_FILE,
              capability=C.MANAGE_MEMBERS, **classes(VIEW_MEMBERS, MANAGE_MEMBERS)),
        Route("members:end_post", "/members/M002/posts/{post}/end/", kwargs=post_of,
              **MEMBER_FILE, capability=C.MANAGE_MEMBERS,
              **classes(VIEW_MEMBERS, MANAGE_MEMBERS)),
        Route("members:end_post", "/members/M002/posts/{post}/end/", kwargs=post_of,
              method="POST", body=end_post_form, **MEMBER_FILE, capability=C.MANAGE_MEMBERS,
              **classes(VIEW_MEMBERS, MANAGE_MEMBERS), success=302, state=post_end),
        Route("api:list_members", "/api/v1/members?org=D1.X1.C1", org="D1.X1.C1",
              capability=C.VIEW_MEMBERS, sees=C.VIEW_MEMBERS,
              **classes(VIEW_MEMBERS, VIEW_MEMBERS),
              shows="Ma Văn Thắng"),
        Route("api:get_member", "/api/v1/members/M002", **MEMBER_FILE,
              capability=C.VIEW_MEMBERS, **classes(VIEW_MEMBERS, VIEW_MEMBERS),
              shows="Ma Văn Thắng"),
        Route("api:admit_member", "/api/v1/members", method="POST", org="D1.X1.C1",
              capability=C.MANAGE_MEMBERS, **classes(SEE_CELL, MANAGE_MEMBERS),
              body=NEW_MEMBER, success=201, state=members_of("D1.X1.C1"),
              xfail={"other_commune": BODY_REFERENCE,
                     "nobody": "one who may admit no one anywhere is refused as such (403): "
                               "the body's cell is not looked at"}),
        Route("api:update_member", "/api/v1/members/M002", method="PATCH", **MEMBER_FILE,
              capability=C.MANAGE_MEMBERS, **classes(VIEW_MEMBERS, MANAGE_MEMBERS),
              body={"occupation": "Giáo viên"}, state=member_row("M002")),
        Route("api:record_event", "/api/v1/members/M002/events", method="POST", **MEMBER_FILE,
              capability=C.MANAGE_MEMBERS, **classes(VIEW_MEMBERS, MANAGE_MEMBERS),
              body={"event": "exempt", "effective_on": "2026-03-01"}, success=201,
              state=events_of("M002")),
    ),
))
