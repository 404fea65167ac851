"""Meeting pages: scheduling, a meeting, closing it in one step, guests, documents (served after
a scope check), a member's notice of absence. The lists (a subtree's meetings, the rule
findings) are declared in chibo.meetings.lists."""


from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from chibo.accounts.policy import Capability, can, require
from chibo.core.files import serve_stored_file
from chibo.core.forms import submit
from chibo.meetings import queries, services
from chibo.meetings.capabilities import MANAGE_MEETINGS
from chibo.meetings.choices import MeetingKind, standard_agenda_text
from chibo.meetings.forms import AbsenceForm, AttachmentForm, CloseForm, GuestForm, MeetingForm
from chibo.meetings.models import Attendance, Meeting
from chibo.meetings.rules import QUALITY_CRITERIA
from chibo.members.models import Member
from chibo.members.queries import member_of
from chibo.organizations.views import visible_org


def visible_meeting(request, code: str) -> Meeting:
    """The meeting if the user may see its cell; 404 otherwise (outside scope looks absent)."""
    return get_object_or_404(Meeting.objects.visible_to(request.user)
                             .select_related("organization"), code=code)


def _meeting_fields(data) -> dict:
    return {name: data[name] if data[name] is not None else "" for name in (
        "kind", "combined_thematic", "is_model", "date", "topic", "place", "online_link",
        "agenda")} | {"start_time": data["start_time"]}


def _meeting_changes(data, changed: list[str]) -> dict:
    """Only the fields the user changed, so that an untouched field is not rewritten."""
    return {k: v for k, v in _meeting_fields(data).items() if k in changed}


@require_http_methods(["GET", "POST"])
def schedule(request, code: str):
    cell = visible_org(request, code)
    require(request.user, MANAGE_MEETINGS, cell)
    form = MeetingForm(request.POST or None, initial={
        "kind": MeetingKind.REGULAR, "agenda": standard_agenda_text(),
        "place": cell.village.name if cell.village_id else ""})
    if (meeting := submit(
            request, form,
            lambda data: services.schedule_meeting(services.NewMeeting(
                organization=cell, **_meeting_fields(data)), actor=request.user),
            _("Đã lên lịch buổi sinh hoạt."))) is not None:
        return redirect("meetings:detail", code=meeting.code)
    return render(request, "meetings/form.html",
                  {"form": form, "org": cell, "title": _("Lên lịch sinh hoạt chi bộ")})


@require_http_methods(["GET", "POST"])
def edit(request, code: str):
    meeting = visible_meeting(request, code)
    require(request.user, MANAGE_MEETINGS, meeting.organization)
    initial = {name: getattr(meeting, name) for name in services.SCHEDULE_FIELDS}
    form = MeetingForm(request.POST or None, initial=initial, record=meeting)
    if submit(request, form,
              lambda data: services.update_meeting(
                  meeting, actor=request.user, version=form.version(),
                  **_meeting_changes(data, form.changed_data)),
              _("Đã lưu.")) is not None:
        return redirect("meetings:detail", code=meeting.code)
    return render(request, "meetings/form.html", {
        "form": form, "org": meeting.organization, "meeting": meeting,
        "title": _("Sửa lịch sinh hoạt")})


def _own_member(request, meeting: Meeting) -> Member | None:
    """The signed-in user's member file when they belong to the meeting's cell."""
    member = member_of(request.user)
    return member if member is not None and member.cell_id == meeting.organization_id else None


def detail(request, code: str):
    meeting = visible_meeting(request, code)
    org = meeting.organization
    manage = can(request.user, MANAGE_MEETINGS, org)
    own = _own_member(request, meeting)
    now = timezone.now()
    attachments = (meeting.attachments.all() if manage
                   else queries.published_attachments(meeting, now))
    context = {
        "meeting": meeting, "org": org, "can_manage": manage, "own_member": own,
        "guests": meeting.guests.select_related("org"), "attachments": attachments,
        "tasks": meeting.tasks.select_related("member"),
        "failures": [QUALITY_CRITERIA.get(c, c) for c in meeting.quality_failures],
        "publish_deadline": services.publish_deadline(meeting),
    }
    if can(request.user, Capability.VIEW_MEMBERS, org):
        context["attendance"] = (meeting.attendance.select_related("member")
                                 .order_by("member__sort_key"))
    if own is not None:
        context["own_attendance"] = Attendance.objects.filter(meeting=meeting, member=own).first()
        if not meeting.is_closed and now < services.meeting_start(meeting):
            context["absence_form"] = AbsenceForm()
    return render(request, "meetings/detail.html", context)


@require_http_methods(["GET", "POST"])
def close(request, code: str):
    meeting = visible_meeting(request, code)
    require(request.user, MANAGE_MEETINGS, meeting.organization)
    if meeting.is_closed:
        messages.error(request, _("Buổi sinh hoạt này đã kết thúc; không thể kết thúc lần nữa."))
        return redirect("meetings:detail", code=meeting.code)
    try:  # a meeting that has not begun has no form to close it: the service's words
        services.require_started(meeting)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
        return redirect("meetings:detail", code=meeting.code)
    expected = queries.expected_members(meeting)
    guests = list(meeting.guests.all())
    advance = dict(meeting.attendance.filter(reported_at__isnull=False)
                   .values_list("member_id", "reason"))
    form = CloseForm(request.POST or None, expected=expected, guests=guests, advance=advance,
                     initial={"agenda_prepared": bool(meeting.agenda.strip())}, record=meeting)
    if submit(request, form,
              lambda data: services.close_meeting(meeting, _closing(form, guests),
                                                  actor=request.user, version=form.version()),
              _("Đã kết thúc buổi sinh hoạt.")) is not None:
        return redirect("meetings:detail", code=meeting.code)
    return render(request, "meetings/close.html", {"meeting": meeting, "form": form,
                                                   "org": meeting.organization})


def _closing(form: CloseForm, guests) -> services.Closing:
    """What the valid close form records: attendance, tasks, absent guests, the assessment."""
    data = form.cleaned_data
    return services.Closing(
        attendance=[services.AttendanceEntry(e.member, data[status], data[reason] or "",
                                             data[spoke])
                    for e, status, reason, spoke in form.member_rows if status],
        tasks=[services.TaskEntry(m, t, d) for m, t, d in form.task_entries()],
        absent_guest_ids=[g.pk for g in guests if not data[f"guest_{g.pk}"]],
        **{name: data[name] for name in (
            "duration_minutes", "minutes", "conclusion", "agenda_prepared",
            "committee_prepared", "draft_resolution", "minutes_complete")})


@require_http_methods(["GET", "POST"])
def add_guest(request, code: str):
    meeting = visible_meeting(request, code)
    require(request.user, MANAGE_MEETINGS, meeting.organization)
    form = GuestForm(request.POST or None)
    if submit(request, form,
              lambda data: services.add_guest(meeting, actor=request.user, **data),
              _("Đã ghi khách mời.")) is not None:
        return redirect("meetings:detail", code=meeting.code)
    return render(request, "meetings/form.html", {
        "form": form, "org": meeting.organization, "meeting": meeting,
        "title": _("Mời dự sinh hoạt")})


@require_http_methods(["GET", "POST"])
def add_attachment(request, code: str):
    meeting = visible_meeting(request, code)
    require(request.user, MANAGE_MEETINGS, meeting.organization)
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if submit(request, form,
              lambda data: services.add_attachment(meeting, data["file"], actor=request.user,
                                                   publish=data["publish"]),
              _("Đã đính kèm tài liệu.")) is not None:
        return redirect("meetings:detail", code=meeting.code)
    return render(request, "meetings/form.html", {
        "form": form, "org": meeting.organization, "meeting": meeting, "multipart": True,
        "title": _("Đính kèm tài liệu")})


@require_POST
def publish_attachment(request, code: str, pk: int):
    meeting = visible_meeting(request, code)
    attachment = get_object_or_404(meeting.attachments, pk=pk)
    try:
        services.publish_attachment(attachment, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã công bố tài liệu cho đảng viên."))
    return redirect("meetings:detail", code=meeting.code)


def download(request, code: str, pk: int):
    """A document, to a user who may see the meeting: members only once it is published.
    Served like every stored upload (chibo.core.files): PDF inline, the rest downloads."""
    meeting = visible_meeting(request, code)
    attachment = get_object_or_404(meeting.attachments, pk=pk)
    if not can(request.user, MANAGE_MEETINGS, meeting.organization) and not (
            attachment.published_at and attachment.published_at <= timezone.now()):
        raise Http404
    return serve_stored_file(attachment.file, attachment.content_type, attachment.original_name)


@require_POST
def report_absence(request, code: str):
    meeting = visible_meeting(request, code)
    member = _own_member(request, meeting)
    if member is None:
        raise PermissionDenied
    form = AbsenceForm(request.POST)
    if form.is_valid():
        try:
            services.report_absence(meeting, member, form.cleaned_data["reason"],
                                    actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Đã báo vắng; chi bộ sẽ ghi là vắng có lý do."))
    else:
        messages.error(request, _("Cần ghi lý do vắng mặt."))
    return redirect("meetings:detail", code=meeting.code)
