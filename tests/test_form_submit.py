"""`submit`: a posted form run through its service, the way every page form does it; and the
pages that use it, seen from the outside (their message, their redirect, a refusal shown on its
field with nothing written)."""

from datetime import timedelta

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory
from django.utils import timezone

from chibo.core.exceptions import RuleViolation
from chibo.core.forms import submit
from chibo.meetings.models import Attendance, MeetingGuest
from chibo.members.models import Position
from chibo.organizations.models import Organization, Village


class NameForm(forms.Form):
    name = forms.CharField()
    note = forms.CharField(required=False)


class Action:
    """A stand-in for a service call: remembers what it was given, returns or raises."""

    def __init__(self, result=None, error=None):
        self.result, self.error, self.calls = result, error, []

    def __call__(self, data):
        self.calls.append(data)
        if self.error is not None:
            raise self.error
        return self.result


def posted(data):
    request = RequestFactory().post("/", data)
    request._messages = CookieStorage(request)
    return request, NameForm(request.POST)


def texts(request):
    return [str(m) for m in get_messages(request)]


def test_a_valid_post_runs_the_action_adds_the_message_and_returns_the_result():
    request, form = posted({"name": "Lan"})
    action = Action(result="the record")
    assert submit(request, form, action, "Đã lưu.") == "the record"
    assert action.calls == [{"name": "Lan", "note": ""}]
    assert texts(request) == ["Đã lưu."]


def test_the_message_can_be_built_from_the_result():
    request, form = posted({"name": "Lan"})
    assert submit(request, form, Action(result="M001"),
                  lambda code: f"Đã ghi hồ sơ {code}.") == "M001"
    assert texts(request) == ["Đã ghi hồ sơ M001."]


def test_an_action_that_returns_nothing_still_counts_as_done():
    request, form = posted({"name": "Lan"})
    assert submit(request, form, Action(result=None), "Đã lưu.") is True
    assert texts(request) == ["Đã lưu."]


@pytest.mark.parametrize(("error", "where"), [
    (RuleViolation("Tên đã được dùng.", field="name"), "name"),
    (RuleViolation("Chi bộ đã giải thể.", field="commune"), None),  # not a field of this form
    (RuleViolation("Chi bộ đã giải thể."), None),
    (ValidationError("Không hợp lệ."), None),
])
def test_a_refusal_goes_on_its_field_or_above_the_form_and_nothing_is_returned(error, where):
    request, form = posted({"name": "Lan"})
    assert submit(request, form, Action(error=error), "Đã lưu.") is None
    assert form.errors == {where or "__all__": error.messages}
    assert texts(request) == []


def test_a_get_or_an_invalid_post_does_not_run_the_action():
    action = Action(result="x")
    get = RequestFactory().get("/")
    get._messages = CookieStorage(get)
    assert submit(get, NameForm(get.POST or None), action, "Đã lưu.") is None
    request, form = posted({"name": ""})
    assert submit(request, form, action, "Đã lưu.") is None
    assert action.calls == [] and texts(get) == texts(request) == []
    assert "name" in form.errors


def test_an_error_the_view_put_on_the_form_first_keeps_the_action_from_running():
    request, form = posted({"name": "Lan"})
    assert form.is_valid()
    form.add_error(None, "Có thể trùng với hồ sơ đã có.")
    action = Action(result="x")
    assert submit(request, form, action, "Đã lưu.") is None
    assert action.calls == [] and texts(request) == []


def test_a_permission_refusal_is_not_a_form_error():
    request, form = posted({"name": "Lan"})
    with pytest.raises(PermissionDenied):
        submit(request, form, Action(error=PermissionDenied()), "Đã lưu.")


# The pages -----------------------------------------------------------------------------------

def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_create_a_child_organization_page(world):
    client = world.client("province")
    data = {"code": "D1.X1.C9", "name": "Chi bộ thôn Mới", "kind": "cell",
            "established_on": "01/01/2024"}
    response = client.post("/org/D1.X1/new/", data)
    assert response.status_code == 302 and response.url == "/org/D1.X1.C9/"
    assert messages_of(response) == ["Đã thành lập Chi bộ thôn Mới."]
    refused = client.post("/org/D1.X1/new/", {**data, "name": "Chi bộ khác"})
    assert refused.status_code == 200
    assert refused.context["form"].errors == {"code": ["Mã D1.X1.C9 đã được dùng."]}
    assert not Organization.objects.filter(name="Chi bộ khác").exists()


def test_add_a_village_page_refusal_names_the_code(world):
    client = world.client("province")
    count = Village.objects.count()
    refused = client.post("/org/D1.X1/villages/new/", {"code": "V1", "name": "Thôn lặp",
                                                       "kind": "village"})
    assert refused.status_code == 200
    assert refused.context["form"].errors == {"code": ["Mã V1 đã được dùng."]}
    assert Village.objects.count() == count
    response = client.post("/org/D1.X1/villages/new/", {"code": "V9", "name": "Thôn Mới",
                                                        "kind": "village"})
    assert response.status_code == 302 and response.url == "/org/D1.X1/"
    assert messages_of(response) == ["Đã thêm thôn, tổ dân phố."]


def test_assign_a_post_page_names_an_unknown_village_and_writes_nothing(people, world):
    client = world.client("commune")
    data = {"role": "village_head", "village": "V4", "start_on": "01/01/2024"}  # V4: D2.X1
    refused = client.post("/members/M002/posts/new/", data)
    assert refused.status_code == 200
    assert refused.context["form"].errors == {
        "village": ["Không có thôn mã này trong phạm vi của bạn."]}
    assert not Position.objects.exists()
    response = client.post("/members/M002/posts/new/", {**data, "village": " V1 "})
    assert response.status_code == 302 and response.url == "/members/M002/"
    assert messages_of(response) == ["Đã ghi chức vụ."]
    assert Position.objects.get().village.code == "V1"


def test_invite_a_guest_page(world, people):
    from tests.test_meetings import schedule

    meeting = schedule(world, day=timezone.localdate() + timedelta(days=5))
    client = world.client("secretary")
    url = f"/meetings/{meeting.code}/guests/new/"
    refused = client.post(url, {"role": "higher_level", "full_name": "   "})
    assert refused.status_code == 200 and list(refused.context["form"].errors) == ["full_name"]
    assert not MeetingGuest.objects.exists()
    response = client.post(url, {"role": "higher_level", "full_name": "Hà Văn Khách"})
    assert response.status_code == 302 and response.url == f"/meetings/{meeting.code}/"
    assert messages_of(response) == ["Đã ghi khách mời."]
    assert MeetingGuest.objects.get().full_name == "Hà Văn Khách"


def test_handbook_notice_of_absence(world, people):
    from tests.test_meetings import schedule

    meeting = schedule(world, day=timezone.localdate() + timedelta(days=5))
    client = world.client("member")
    url = f"/handbook/meetings/{meeting.pk}/"
    response = client.post(url, {"reason": "Đi công tác"})
    assert response.status_code == 302 and response.url == url
    assert messages_of(response) == ["Đã báo vắng; chi bộ đã nhận được lý do của đồng chí."]
    assert Attendance.objects.get(meeting=meeting, member=people["lan"]).reason == "Đi công tác"
