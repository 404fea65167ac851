"""Named fixture people and a small province, so that tests read like stories.

The province "TQ" has two districts and a bloc; commune D1.X1 has two village cells and a school
cell. People: `admin` (system administrator), `province` (organizer of TQ), `inspector` (TQ),
`commune` (clerk of D1.X1), `other_commune` (clerk of D2.X1), `viewer` (viewer of D1),
`secretary` (secretary of cell D1.X1.C1) and `member` (member of that cell).
"""

from dataclasses import dataclass
from datetime import date

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from chibo.accounts.choices import Role
from chibo.accounts.models import User
from chibo.accounts.policy import SYSTEM
from chibo.accounts.services import create_user, grant_role
from chibo.organizations import services
from chibo.organizations.models import Organization, Village
from tests import hypothesis_profiles  # noqa: F401  (registers and loads the profile, once)

PASSWORD = "a-test-password-1"
D = date


@dataclass
class World:
    orgs: dict[str, Organization]
    villages: dict[str, Village]
    users: dict[str, User]

    def org(self, code: str) -> Organization:
        return Organization.objects.get(code=code)

    def client(self, username: str | None) -> Client:
        client = Client()
        if username:
            client.force_login(self.users[username])
        return client


FOUNDED = D(1990, 1, 1)
# The named fixture users: (username, role, the organization of their one grant).
PEOPLE = [
    ("admin", None, None), ("province", Role.ORGANIZER, "TQ"),
    ("inspector", Role.INSPECTOR, "TQ"), ("commune", Role.CLERK, "D1.X1"),
    ("other_commune", Role.CLERK, "D2.X1"), ("viewer", Role.VIEWER, "D1"),
    ("secretary", Role.SECRETARY, "D1.X1.C1"), ("member", Role.MEMBER, "D1.X1.C1"),
    ("nobody", None, "-"),
]


def make_org(code, name, kind, parent=None, established_on=FOUNDED, sector="",
             village=None, actor=SYSTEM):
    return services.create_organization(services.NewOrganization(
        code=code, name=name, kind=kind, parent=parent, established_on=established_on,
        sector=sector, village=village), actor=actor)


def build_world() -> World:
    o: dict[str, Organization] = {}
    o["TQ"] = make_org("TQ", "Đảng bộ tỉnh Tuyên Quang", "provincial")
    o["D1"] = make_org("D1", "Đảng bộ huyện Sơn Dương", "district", o["TQ"])
    o["D2"] = make_org("D2", "Đảng bộ huyện Hàm Yên", "district", o["TQ"])
    o["CQ"] = make_org("CQ", "Đảng bộ Khối các cơ quan tỉnh", "bloc", o["TQ"])
    o["D1.X1"] = make_org("D1.X1", "Đảng bộ xã An Phú", "grassroots_committee", o["D1"],
                          sector="commune")
    o["D1.X2"] = make_org("D1.X2", "Đảng bộ xã Đồng Quý", "grassroots_committee", o["D1"],
                          sector="commune")
    o["D2.X1"] = make_org("D2.X1", "Đảng bộ xã Yên Lâm", "grassroots_committee", o["D2"],
                          sector="commune")
    v = {
        code: services.create_village(actor=SYSTEM, code=code, name=name, kind="village",
                                      commune=o[commune])
        for code, name, commune in [
            ("V1", "Thôn Đồng Mạ", "D1.X1"), ("V2", "Thôn Nà Khà", "D1.X1"),
            ("V3", "Thôn Khuổi Phầy", "D1.X2"), ("V4", "Thôn Tân Lập", "D2.X1"),
        ]
    }
    o["D1.X1.C1"] = make_org("D1.X1.C1", "Chi bộ thôn Đồng Mạ", "cell", o["D1.X1"], village=v["V1"])
    o["D1.X1.C2"] = make_org("D1.X1.C2", "Chi bộ thôn Nà Khà", "cell", o["D1.X1"], village=v["V2"])
    o["D1.X1.C3"] = make_org("D1.X1.C3", "Chi bộ Trường Tiểu học An Phú", "cell", o["D1.X1"])
    o["D1.X2.C1"] = make_org("D1.X2.C1", "Chi bộ thôn Khuổi Phầy", "cell", o["D1.X2"],
                             village=v["V3"])
    o["D2.X1.C1"] = make_org("D2.X1.C1", "Chi bộ thôn Tân Lập", "cell", o["D2.X1"],
                             village=v["V4"])
    o["CQ.S1"] = make_org("CQ.S1", "Chi bộ Sở Tài chính", "grassroots_cell", o["CQ"],
                          sector="agency")
    users = {}
    for username, role, code in PEOPLE:
        users[username] = create_user(actor=SYSTEM, username=username, password=PASSWORD,
                                      is_superuser=username == "admin")
        if role:
            grant_role(users[username], actor=SYSTEM, role=role, organization=o[code])
    return World(o, v, users)


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def today() -> date:
    return date.today()


def admit(code, name, cell, *, admitted_on=date(2010, 3, 1), birth_date=date(1980, 5, 17),
          gender="male", official_on=None, org_since=None, actor=SYSTEM, **profile):
    from chibo.members import services as member_services

    return member_services.admit_member(member_services.NewMember(
        member_code=code, full_name=name, gender=gender, birth_date=birth_date,
        admitted_on=admitted_on, cell=cell, official_on=official_on, org_since=org_since,
        profile=profile,
    ), actor=actor)


@pytest.fixture
def people(world):
    """Members of the world: five in D1.X1.C1 (the `member` user is Nông Thị Lan), two in
    D1.X1.C2, one in D2.X1.C1 (outside the commune clerk's scope)."""
    return build_people(world)


def build_people(world: World) -> dict:
    """The members of the `people` fixture, admitted into `world`."""
    o = world.orgs
    members = {
        "lan": admit("M001", "Nông Thị Lan", o["D1.X1.C1"], gender="female",
                     official_on=D(2011, 3, 5), ethnicity="Tày", national_id="008180001234"),
        "thang": admit("M002", "Ma Văn Thắng", o["D1.X1.C1"], official_on=D(2011, 4, 1),
                       ethnicity="Tày"),
        "duong": admit("M003", "Đặng Văn Dương", o["D1.X1.C1"], admitted_on=D(1975, 6, 1),
                       org_since=D(1990, 1, 1), birth_date=D(1950, 1, 2),
                       official_on=D(1976, 6, 2), ethnicity="Dao"),
        "an": admit("M004", "Nguyễn Văn An", o["D1.X1.C1"], admitted_on=D(2025, 9, 1),
                    birth_date=D(2000, 2, 29)),
        "hoa": admit("M005", "Trần Thị Hoa", o["D1.X1.C1"], gender="female",
                     official_on=D(2011, 3, 5)),
        "binh": admit("M006", "Lê Văn Bình", o["D1.X1.C2"], official_on=D(2011, 3, 5)),
        "cuong": admit("M007", "Hoàng Văn Cường", o["D1.X1.C2"], official_on=D(2011, 3, 5)),
        "yen": admit("M008", "Vàng Thị Yến", o["D2.X1.C1"], gender="female",
                     official_on=D(2011, 3, 5), ethnicity="H'Mông"),
    }
    member = members["lan"]
    member.user = world.users["member"]
    member.save(update_fields=["user"])
    return members


@pytest.fixture(autouse=True)
def _no_anchors_of_an_earlier_test():
    """Each test's database starts a new audit trail: anchors that an earlier test's imports
    and reorganizations wrote (into the suite's data dir) name another trail's records."""
    from django.conf import settings

    settings.AUDIT_ANCHOR_FILE.unlink(missing_ok=True)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: what one test's database cached (the home page's
    figures, keyed by organization and audit sequence) means nothing in the next one's."""
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A request in English (the test client runs in this thread) or an `activate` leaves its
    language active after the test: every test starts in the default language, Vietnamese."""
    yield
    translation.deactivate()
