"""The permission matrix: every page and endpoint, for a user inside the scope, one outside it
(404), one without the capability (403), and anonymous (redirect to sign-in, or 401 for the API).

`commune` is the clerk of D1.X1 (sees it, may not reshape the tree), `other_commune` the clerk of
D2.X1, `province` the organizer of TQ (may reshape everything), `admin` the system administrator.
"""

import json

import pytest

from chibo.audit.models import AuditRecord
from chibo.organizations.models import Organization

VIEW_PAGES = [
    "/org/D1.X1/",
    "/org/D1.X1/?as_of=01/01/2000",
    "/org/tree/D1.X1/children/",
]
MANAGE_PAGES = [
    "/org/D1.X1/new/",
    "/org/D1.X1/edit/",
    "/org/D1.X1/villages/new/",
    "/org/D1.X1/change/move/",
    "/org/D1.X1/change/rename/",
    "/org/D1.X1/change/merge/",
    "/org/D1.X1/change/dissolve/",
]
OPEN_PAGES = ["/", "/org/", "/org/?q=dong", "/accounts/password/"]


@pytest.mark.parametrize("url", VIEW_PAGES)
def test_view_pages(world, url):
    assert world.client("commune").get(url).status_code == 200
    assert world.client("province").get(url).status_code == 200
    assert world.client("viewer").get(url).status_code == 200  # viewer of D1
    assert world.client("other_commune").get(url).status_code == 404
    assert world.client("secretary").get(url).status_code == 404  # only their cell
    assert world.client("nobody").get(url).status_code == 404
    anonymous = world.client(None).get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("url", MANAGE_PAGES)
def test_manage_pages(world, url):
    assert world.client("province").get(url).status_code == 200
    assert world.client("admin").get(url).status_code == 200
    assert world.client("commune").get(url).status_code == 403  # inside, no org.manage
    assert world.client("viewer").get(url).status_code == 403
    assert world.client("other_commune").get(url).status_code == 404
    assert world.client("nobody").get(url).status_code == 404
    anonymous = world.client(None).get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("url", MANAGE_PAGES)
def test_forbidden_posts_write_nothing(world, url):
    before = (Organization.objects.count(), AuditRecord.objects.count())
    data = {"code": "X", "name": "X", "kind": "cell", "established_on": "01/01/2020",
            "effective_on": "01/01/2020", "new_name": "Y", "new_parent": "D1.X2", "into": "D1.X2"}
    assert world.client("commune").post(url, data).status_code == 403
    assert world.client("other_commune").post(url, data).status_code == 404
    assert world.client(None).post(url, data).status_code == 302
    assert (Organization.objects.count(), AuditRecord.objects.count()) == before


@pytest.mark.parametrize("url", OPEN_PAGES)
def test_pages_for_every_signed_in_user(world, url):
    for username in ("admin", "province", "commune", "secretary", "nobody"):
        assert world.client(username).get(url).status_code == 200, username
    member = world.client("member").get(url)
    if url == "/":  # a plain member's home is the handbook
        assert (member.status_code, member.url) == (302, "/handbook/")
    else:
        assert member.status_code == 200
    assert world.client(None).get(url).status_code == 302


def test_unknown_change_kind_is_not_found(world):
    assert world.client("province").get("/org/D1.X1/change/split/").status_code == 404


def test_audit_trail_page(world):
    assert world.client("admin").get("/audit/").status_code == 200
    for username in ("province", "inspector", "commune", "member", "nobody"):
        assert world.client(username).get("/audit/").status_code == 403, username
    assert world.client(None).get("/audit/").status_code == 302


def test_member_home_is_the_handbook(world):
    response = world.client("member").get("/")
    assert response.status_code == 302 and response["Location"] == "/handbook/"


def test_tree_shows_only_the_scope(world):
    body = world.client("commune").get("/org/").content.decode()
    assert "Đảng bộ xã An Phú" in body
    assert "Đảng bộ xã Yên Lâm" not in body and "Đảng bộ tỉnh Tuyên Quang" not in body
    search = world.client("commune").get("/org/?q=tan lap").content.decode()
    assert "Chi bộ thôn Tân Lập" not in search  # D2.X1's cell: outside the scope


# API ----------------------------------------------------------------------------------------

def api(client, method, url, payload=None):
    """A call as a client makes it: a PATCH sends the ETag it read (If-Match)."""
    kwargs = {"content_type": "application/json"}
    if payload is not None:
        kwargs["data"] = json.dumps(payload)
    if method == "patch":
        read = client.get(f"/api/v1/{url}")
        if "ETag" in read:
            kwargs["HTTP_IF_MATCH"] = read["ETag"]
    return getattr(client, method)(f"/api/v1/{url}", **kwargs)


API_READS = ["organizations/D1.X1", "organizations?parent=D1.X1",
             "organizations?parent=D1.X1&as_of=2000-01-01"]


@pytest.mark.parametrize("url", API_READS)
def test_api_reads(world, url):
    assert api(world.client("commune"), "get", url).status_code == 200
    assert api(world.client("viewer"), "get", url).status_code == 200
    assert api(world.client("other_commune"), "get", url).status_code == 404
    assert api(world.client("nobody"), "get", url).status_code == 404
    assert api(world.client(None), "get", url).status_code == 401


# (method, url, payload, the status outside the scope, the status of success): an organization
# in the path is not found outside the scope (404); a parent named in the body is an unknown
# code there (422, docs/api.md).
API_WRITES = [
    ("post", "organizations", {"code": "D1.X1.C9", "name": "Chi bộ mới", "kind": "cell",
                               "parent": "D1.X1", "established_on": "2024-01-01"}, 422, 201),
    ("patch", "organizations/D1.X1", {"name": "Đảng bộ xã An Phú Mới"}, 404, 200),
    ("post", "organizations/D1.X1/reorganizations",
     {"change": "rename", "effective_on": "2024-01-01", "new_name": "Đảng bộ xã An Phú 2"},
     404, 201),
]


@pytest.mark.parametrize(("method", "url", "payload", "outside", "success"), API_WRITES)
def test_api_writes(world, method, url, payload, outside, success):
    counts = (Organization.objects.count(), AuditRecord.objects.count())
    assert api(world.client("commune"), method, url, payload).status_code == 403
    assert api(world.client("other_commune"), method, url, payload).status_code == outside
    assert api(world.client(None), method, url, payload).status_code == 401
    assert (Organization.objects.count(), AuditRecord.objects.count()) == counts
    assert api(world.client("province"), method, url, payload).status_code == success
    assert AuditRecord.objects.count() == counts[1] + 1


def test_api_write_outside_scope_is_not_found(world):
    client = world.client("other_commune")
    assert api(client, "patch", "organizations/D1.X1", {"name": "X"}).status_code == 404
    assert api(client, "post", "organizations/D1.X1/reorganizations",
               {"change": "dissolve", "effective_on": "2024-01-01"}).status_code == 404


def test_api_cannot_reference_an_organization_outside_scope(world):
    """An organizer of D1 cannot move D1's commune under D2: D2 is unknown to them (422)."""
    from chibo.accounts.policy import SYSTEM
    from chibo.accounts.services import grant_role

    user = world.users["nobody"]
    grant_role(user, actor=SYSTEM, role="organizer", organization=world.orgs["D1"])
    response = api(world.client("nobody"), "post", "organizations/D1.X1/reorganizations",
                   {"change": "move", "effective_on": "2024-01-01", "new_parent": "D2"})
    assert response.status_code == 422
    assert response.json()["field"] == "new_parent"
    assert world.org("D1.X1").parent.code == "D1"


def test_api_cannot_link_a_village_outside_scope(world):
    """An organizer of D2 cannot name D1's village: it is unknown to them (422)."""
    from chibo.accounts.policy import SYSTEM
    from chibo.accounts.services import grant_role

    grant_role(world.users["nobody"], actor=SYSTEM, role="organizer", organization=world.orgs["D2"])
    response = api(world.client("nobody"), "post", "organizations", {
        "code": "D2.X1.C9", "name": "Chi bộ mới", "kind": "cell", "parent": "D2.X1",
        "established_on": "2024-01-01", "village": "V1"})
    assert response.status_code == 422 and response.json()["field"] == "village"
    assert not Organization.objects.filter(code="D2.X1.C9").exists()


def test_openapi_schema(world):
    response = world.client("member").get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/members" in response.json()["paths"]
