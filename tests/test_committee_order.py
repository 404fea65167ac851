"""A committee is listed by rank, then by name in Vietnamese order (issue 13: the province's
page listed its committee members before its secretary and deputies)."""

from datetime import date

from django.urls import reverse

from chibo.accounts.policy import SYSTEM
from chibo.members import services
from chibo.members.choices import PostRole
from chibo.members.queries import current_posts
from tests.conftest import admit

START = date(2021, 1, 1)
# Held in TQ, given in an order that neither the role codes nor the start dates put right.
POSTS = [
    ("M101", "Vũ Văn Yên", PostRole.COMMITTEE_MEMBER, date(2020, 10, 1)),
    ("M102", "Nguyễn Thị Ánh", PostRole.COMMITTEE_MEMBER, date(2022, 1, 1)),
    ("M103", "Lê Văn Bình", PostRole.STANDING_MEMBER, START),
    ("M104", "Trần Văn Đức", PostRole.DEPUTY_SECRETARY, START),
    ("M105", "Hoàng Thị Bích", PostRole.DEPUTY_SECRETARY, date(2023, 5, 1)),
    ("M106", "Hầu A Lềnh", PostRole.SECRETARY, date(2024, 1, 1)),
    ("M107", "Ma Văn Dũng", PostRole.STANDING_MEMBER, date(2020, 1, 1)),
]
# Secretary; deputies (Bích before Đức); standing (Bình before Dũng); members (Ánh before Yên).
IN_RANK = ["Hầu A Lềnh", "Hoàng Thị Bích", "Trần Văn Đức", "Lê Văn Bình", "Ma Văn Dũng",
           "Nguyễn Thị Ánh", "Vũ Văn Yên"]


def seat_committee(world):
    for code, name, role, start in POSTS:
        member = admit(code, name, world.orgs["D1.X1.C1"])
        services.assign_post(member, actor=SYSTEM, role=role, org=world.orgs["TQ"],
                             start_on=start)


def test_current_posts_by_rank_then_name(world):
    seat_committee(world)
    posts = list(current_posts(world.orgs["TQ"], date(2025, 1, 1)))
    assert [p.member.full_name for p in posts] == IN_RANK
    assert [p.role for p in posts] == [PostRole.SECRETARY, *[PostRole.DEPUTY_SECRETARY] * 2,
                                       *[PostRole.STANDING_MEMBER] * 2,
                                       *[PostRole.COMMITTEE_MEMBER] * 2]


def test_the_organization_page_lists_the_committee_by_rank(world):
    seat_committee(world)
    html = world.client("admin").get(
        reverse("organizations:detail", args=["TQ"]), {"as_of": "01/01/2025"}).content.decode()
    committee = html[html.index("Cấp ủy</h2>"):]
    assert sorted(IN_RANK, key=committee.index) == IN_RANK
