"""Member pages: a member's file, admission, events, profile, posts. The lists (a subtree's
members, the badges of the next round) are declared in chibo.members.lists."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from chibo.accounts.policy import Capability, can, require
from chibo.audit.queries import object_history
from chibo.core.cards import render_cards
from chibo.core.exceptions import RuleViolation
from chibo.core.forms import add_service_error, submit
from chibo.core.registry import MEMBER_SECTIONS
from chibo.members import photos, queries, services
from chibo.members.choices import EventKindChoices
from chibo.members.forms import (
    AdmissionForm,
    EndPostForm,
    EventForm,
    PhotoForm,
    PostForm,
    ProfileForm,
)
from chibo.members.models import FileReadChannel
from chibo.organizations.models import Organization, Village
from chibo.organizations.views import visible_org


def visible_member(request, code: str):
    """The member if the user may see the file (their scope, or their own); 404 otherwise."""
    return get_object_or_404(queries.visible_members(request.user).select_related(
        "cell", "joined_org"), member_code=code)


def detail(request, code: str):
    member = visible_member(request, code)
    services.record_file_read(member, reader=request.user, channel=FileReadChannel.PAGE)
    today = timezone.localdate()
    timeline = queries.timeline_of(member)
    from chibo.members.lifecycle import party_age_days

    context = {
        "member": member, "today": today,
        "events": services.events_of(member),
        "party_age": int(party_age_days(timeline, today) // 365.2425),
        "badge": queries.next_badge(member, today),
        "posts": member.positions.select_related("org", "village"),
        "can_manage": can(request.user, Capability.MANAGE_MEMBERS, member.cell),
        "event_kinds": EventKindChoices.choices,
    }
    if can(request.user, Capability.VIEW_HISTORY, member.cell):
        context["audit_records"] = object_history(member)
    context["sections"] = render_cards(_sections_for(request.user, member), request, member)
    return render(request, "members/detail.html", context)


def _sections_for(user, member) -> list:
    """The processes' sections of the member page (MEMBER_SECTIONS) the user may see."""
    return [section for section in MEMBER_SECTIONS.ordered()
            if section.capability is None or can(user, section.capability, member.cell)]


@require_http_methods(["GET", "POST"])
def admit(request, code: str):
    cell = visible_org(request, code)
    require(request.user, Capability.MANAGE_MEMBERS, cell)
    form = AdmissionForm(request.POST or None)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        duplicates = list(services.likely_duplicates(data["full_name"], data["birth_date"],
                                                     data["national_id"]))
        if duplicates and not data["confirm_duplicate"]:  # the error keeps submit() from writing
            form.add_error(None, _("Có thể trùng với hồ sơ đã có (xem danh sách dưới). Nếu chắc "
                                   "chắn là người khác, đánh dấu ô xác nhận và ghi lại."))
    if (member := submit(
            request, form,
            lambda data: services.admit_member(_new_member(data, cell), actor=request.user,
                                               exception=form.exception_decision()),
            lambda member: _("Đã ghi hồ sơ %(name)s.") % {"name": member})) is not None:
        return redirect("members:detail", code=member.member_code)
    return render(request, "members/form.html", {
        "form": form, "title": _("Kết nạp, tiếp nhận đảng viên"), "org": cell,
        "duplicates": duplicates})


def _new_member(data, cell) -> services.NewMember:
    return services.NewMember(
        member_code=data["member_code"], full_name=data["full_name"], gender=data["gender"],
        birth_date=data["birth_date"], admitted_on=data["admitted_on"], cell=cell,
        official_on=data["official_on"], org_since=data["org_since"],
        profile={k: data[k] or "" for k in AdmissionForm.PROFILE})


@require_http_methods(["GET", "POST"])
def record_event(request, code: str, event: str):
    member = visible_member(request, code)
    if event not in EventKindChoices.values:
        raise Http404
    require(request.user, Capability.MANAGE_MEMBERS, member.cell)
    orgs = Organization.objects.visible_to(request.user, Capability.MANAGE_MEMBERS)
    form = EventForm(request.POST or None, event=event, orgs=orgs, record=member)
    if submit(request, form,
              lambda data: services.record_event(member, actor=request.user, event=event,
                                                 exception=form.exception_decision(),
                                                 version=form.version(),
                                                 **form.service_data()),
              _("Đã ghi: %(event)s.") % {"event": form.title}) is not None:
        return redirect("members:detail", code=member.member_code)
    return render(request, "members/form.html",
                  {"form": form, "title": form.title, "member": member})


@require_http_methods(["GET", "POST"])
def edit(request, code: str):
    member = visible_member(request, code)
    require(request.user, Capability.MANAGE_MEMBERS, member.cell)
    initial = {name: getattr(member, name) for name in ProfileForm.base_fields}
    form = ProfileForm(request.POST or None, initial=initial, record=member)
    photo_form = PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and photo_form.is_valid():
        # What the user changed since the page was opened (not what others did meanwhile).
        changed = {k: v if v is not None else "" for k, v in form.service_data().items()
                   if k in form.changed_data}
        try:
            with transaction.atomic():  # the profile and the photo together, or neither
                if changed:
                    services.update_member(member, actor=request.user,
                                           exception=form.exception_decision(),
                                           version=form.version(), **changed)
                photo_changes, photo = photo_form.data_to_store()
                if photo_changes:  # the version was checked above if the profile changed
                    services.set_photo(member, actor=request.user, data=photo,
                                       version=None if changed else form.version())
        except ValidationError as error:
            add_service_error(photo_form if getattr(error, "field", None) == "photo" else form,
                              error)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect("members:detail", code=member.member_code)
    return render(request, "members/form.html", {
        "form": form, "extra_form": photo_form, "multipart": True, "title": _("Sửa hồ sơ"),
        "member": member})


@require_GET
def photo(request, code: str):
    """The member's photo, for those who may see the member (never a public file URL)."""
    member = visible_member(request, code)
    path = photos.path_of(member.photo)
    if path is None:
        raise Http404
    response = FileResponse(path.open("rb"),
                            content_type=photos.CONTENT_TYPES[path.suffix.lstrip(".")])
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_http_methods(["GET", "POST"])
def add_post(request, code: str):
    member = visible_member(request, code)
    require(request.user, Capability.MANAGE_MEMBERS, member.cell)
    orgs = Organization.objects.visible_to(request.user)
    form = PostForm(request.POST or None, orgs=orgs)
    if submit(request, form, lambda data: _assign_post(request, member, data),
              _("Đã ghi chức vụ.")) is not None:
        return redirect("members:detail", code=member.member_code)
    return render(request, "members/form.html",
                  {"form": form, "title": _("Giao chức vụ"), "member": member})


def _assign_post(request, member, data):
    """The post the form gives; the village is named by its code, looked up in the user's scope."""
    village = None
    if data["village"]:
        village = Village.objects.visible_to(request.user).filter(
            code=data["village"].strip()).first()
        if village is None:
            raise RuleViolation(_("Không có thôn mã này trong phạm vi của bạn."), field="village")
    return services.assign_post(member, actor=request.user, role=data["role"], org=data["org"],
                                village=village, start_on=data["start_on"], end_on=data["end_on"])


@require_http_methods(["GET", "POST"])
def end_post(request, code: str, pk: int):
    member = visible_member(request, code)
    position = get_object_or_404(member.positions, pk=pk, end_on__isnull=True)
    require(request.user, Capability.MANAGE_MEMBERS, member.cell)
    form = EndPostForm(request.POST or None, record=position)
    if submit(request, form,
              lambda data: services.end_post(position, actor=request.user, end_on=data["end_on"],
                                             version=form.version()),
              _("Đã ghi thôi giữ chức vụ.")) is not None:
        return redirect("members:detail", code=member.member_code)
    return render(request, "members/form.html", {
        "form": form, "member": member,
        "title": _("Thôi giữ chức vụ: %(post)s") % {"post": position.get_role_display()}})
