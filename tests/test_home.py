"""The home page of each role, and the one menu: its headings, and the organization it follows.

A plain member lands in the handbook; an officer sees, for their home organization, what needs
them now (urgent figures only when not zero), the key numbers (each a link to its records),
and the areas of the menu as shortcuts."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from django.utils import timezone

from chibo.accounts.policy import SYSTEM
from chibo.core.compliance import CHECKS, Check, Finding
from chibo.core.registry import HOME_FIGURES, NAVIGATION, Figure, FigureValue, NavEntry
from chibo.meetings import services as meeting_services
from chibo.meetings.models import Meeting
from chibo.site.menu import menu_of
from tests.conftest import admit


def figures(body: str) -> dict[str, str]:
    """Figure key -> the number shown, from the home page."""
    out = {}
    for match in re.finditer(r'data-figure="([^"]+)".*?<(?:div class="fs-4[^"]*"|span class='
                             r'"badge[^"]*")>([^<]*)<', body, re.S):
        out[match[1]] = match[2].strip()
    return out


def home(world, username: str):
    return world.client(username).get("/")


@pytest.fixture
def registered():
    added = []

    def register(store, item):
        store.add(item.key, item)
        added.append((store, item.key))
        return item

    yield register
    for store, key in added:
        store.remove(key)


def test_a_member_lands_in_the_handbook_and_officers_at_home(world, people):
    assert home(world, "member").url.endswith("/handbook/") or \
        home(world, "member")["Location"].startswith("/handbook")
    response = home(world, "province")
    assert response.status_code == 200
    assert "Cán bộ tổ chức" in response.content.decode()


def test_key_numbers_count_the_home_subtree_and_link_to_their_records(world, people):
    province = figures(home(world, "province").content.decode())
    commune = figures(home(world, "commune").content.decode())
    assert province["members.total"] == "8" and commune["members.total"] == "7"
    body = home(world, "commune").content.decode()
    assert 'href="/stats/D1.X1/records/members.total/?' in body


def test_a_change_shows_at_once_though_figures_are_cached(world, people):
    assert figures(home(world, "commune").content.decode())["members.total"] == "7"
    admit("M100", "Lý Văn Mới", world.orgs["D1.X1.C2"], admitted_on=timezone.localdate())
    shown = figures(home(world, "commune").content.decode())
    assert shown["members.total"] == "8" and shown["admitted"] == "1"


def _meeting(world, code="D1.X1.C1", days=3):
    return meeting_services.schedule_meeting(meeting_services.NewMeeting(
        organization=world.orgs[code], kind="regular",
        date=timezone.localdate() + timedelta(days=days), topic="Sinh hoạt thường kỳ",
        place="Nhà văn hóa"),
        actor=SYSTEM)


def test_an_overdue_meeting_needs_attention_and_nothing_urgent_is_shown_at_zero(world, people):
    assert "meetings.overdue" not in figures(home(world, "commune").content.decode())
    meeting = _meeting(world)
    Meeting.objects.filter(pk=meeting.pk).update(date=timezone.localdate() - timedelta(days=2))
    _meeting(world, "D1.X1.C2", days=1)  # any audited change: the cache key moves on
    shown = figures(home(world, "commune").content.decode())
    assert shown["meetings.overdue"] == "1"
    assert "meetings.overdue" not in figures(home(world, "other_commune").content.decode())


def test_a_cell_secretary_sees_the_cells_next_meeting(world, people):
    meeting = _meeting(world, days=5)
    body = home(world, "secretary").content.decode()
    assert figures(body)["meetings.next"] == meeting.date.strftime("%d/%m/%Y")
    assert f'href="/meetings/{meeting.code}/"' in body
    assert "meetings.next" not in figures(home(world, "commune").content.decode())


def test_a_figure_is_shown_only_where_its_capability_is_held(world, registered):
    registered(HOME_FIGURES, Figure("test.figure", "Thử", lambda request, org: FigureValue(
        42, "/"), "bundle.import", order=1))
    assert figures(home(world, "province").content.decode())["test.figure"] == "42"
    assert "test.figure" not in figures(home(world, "commune").content.decode())


def test_findings_of_every_check_are_urgent_figures_linked_to_the_findings(world, registered):
    """A registered check's findings of last month count on the home of whoever may read the
    statistics there (the commune clerk and the inspector of the province), not elsewhere."""

    def run(org, period):
        if not org.path.startswith(world.orgs["D1.X1"].path[:len(org.path)]):
            return []
        return [Finding("test.check", "D1.X1.C1", "Chi bộ thôn Đồng Mạ", period.label(),
                        "D1.X1.C1", "thử", "Quy định thử")]

    registered(CHECKS, Check("test.check", "Kiểm tra thử", run))
    body = home(world, "inspector").content.decode()
    assert figures(body)["check.test.check"] == "1"
    assert re.search(r'href="/org/TQ/meetings/findings/\?rule=test.check&amp;year=\d+&amp;'
                     r'month=\d+"', body)
    assert figures(home(world, "commune").content.decode())["check.test.check"] == "1"
    assert "check.test.check" not in figures(home(world, "other_commune").content.decode())


# The menu ---------------------------------------------------------------------------------------

def test_entries_are_grouped_under_their_headings(world):
    body = world.client("province").get("/org/").content.decode()
    records = body[body.index('data-nav-section="records"'):]
    records = records[:records.index("</ul>")]
    assert 'data-nav="organizations"' in records and 'data-nav="members"' in records


def test_an_entry_under_an_unknown_heading_is_a_configuration_error(world, registered):
    registered(NAVIGATION, NavEntry("test.lost", "Lạc", "organizations:tree", section="nowhere"))
    request = RequestFactory().get("/")
    request.user = world.users["province"]
    request.session = {}
    with pytest.raises(ImproperlyConfigured, match="nowhere"):
        menu_of(request)


def test_the_menu_follows_the_organization_worked_on_until_home(world):
    client = world.client("province")
    assert 'href="/org/TQ/members/" data-nav="members"' in client.get("/org/").content.decode()
    client.get("/org/D1.X1/")
    page = client.get("/documents/").content.decode()
    assert 'href="/org/D1.X1/members/" data-nav="members"' in page
    assert 'href="/stats/D1.X1/" data-nav="stats"' in page
    assert 'data-working-org="D1.X1"' in page
    client.get("/")  # home: back to the user's own scope
    assert 'href="/org/TQ/members/" data-nav="members"' in client.get("/org/").content.decode()


def test_an_organization_outside_the_scope_is_never_worked_on(world):
    client = world.client("commune")
    assert client.get("/org/D2.X1/").status_code == 404
    page = client.get("/org/").content.decode()
    assert 'href="/org/D1.X1/members/" data-nav="members"' in page


def test_the_current_area_is_marked(world):
    page = world.client("province").get("/org/TQ/members/").content.decode()
    assert re.search(r'class="dropdown-item active" href="/org/TQ/members/" data-nav="members" '
                     r'aria-current="page"', page)
