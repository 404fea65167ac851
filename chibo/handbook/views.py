"""The member handbook: small server-rendered pages for a phone on a slow connection.

Every page is for the signed-in member (Member.user) and shows only what is theirs: their file,
their cell's meetings, the documents addressed to their part of the tree, their tasks.
"""

import json
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods, require_POST

from chibo.accounts.policy import Capability, permitted, require
from chibo.core.cards import render_cards
from chibo.core.files import serve_stored_file
from chibo.core.forms import submit
from chibo.core.registry import HANDBOOK_CARDS, MEMBER_DATA
from chibo.documents import queries as document_queries
from chibo.documents.files import file_response
from chibo.documents.services import record_reading
from chibo.handbook import catalogue, queries, review_rules, services
from chibo.handbook.forms import SearchForm, SelfReviewForm
from chibo.handbook.models import ReviewStatus, SelfReview
from chibo.meetings import queries as meeting_queries
from chibo.meetings import services as meeting_services
from chibo.meetings.forms import AbsenceForm
from chibo.meetings.models import Attendance, MeetingTask
from chibo.members import queries as member_queries
from chibo.organizations.views import visible_org

LIBRARY_PAGE = 30
# Bump when the shell (CSS, icons, offline page) changes: old caches are dropped on activate.
SW_VERSION = "1"


def member_required(view):
    """Handbook pages need a login linked to a member file; others get a short explanation."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        member = queries.member_of(request.user)
        if member is None:
            return render(request, "handbook/no_member.html", status=403)
        request.member = member
        return view(request, *args, **kwargs)

    return wrapper


@member_required
def home(request):
    """The member's greeting and news, then the cards the processes and the handbook registered
    (chibo.core.registry.HANDBOOK_CARDS)."""
    member = request.member
    return render(request, "handbook/home.html", {
        "member": member,
        "unread": queries.unread_count(member, request.user),
        "cards": render_cards(permitted(request.user, HANDBOOK_CARDS.ordered()), request),
    })


@member_required
def my_data(request):
    """Everything chibo holds about the signed-in member, as one JSON file to keep (the right
    of access of the personal data protection law of 2025): each process's part
    (chibo.core.registry.MEMBER_DATA), under its label."""
    member = request.member
    body = {
        "member_code": member.member_code,
        "exported_at": timezone.now(),
        "parts": [{"key": part.key, "label": str(part.label), "rows": part.rows(member)}
                  for part in MEMBER_DATA.ordered()],
    }
    response = HttpResponse(json.dumps(body, cls=DjangoJSONEncoder, ensure_ascii=False,
                                       indent=1), content_type="application/json")
    response["Content-Disposition"] = (
        f'attachment; filename="du-lieu-cua-toi-{member.member_code}.json"')
    return response


@member_required
def profile(request):
    member = request.member
    today = timezone.localdate()
    return render(request, "handbook/profile.html", {
        "member": member,
        "party_age": member_queries.party_age_years(member, today),
        "badge": member_queries.next_badge(member, today),
        "posts": member.positions.filter(end_on__isnull=True).select_related("org", "village"),
    })


@member_required
def document_list(request):
    form = SearchForm(request.GET or None)
    term = form.cleaned_data["q"] if form.is_valid() else ""
    documents = document_queries.search(queries.library(request.member), term)
    return render(request, "handbook/documents.html", {
        "form": form, "term": term,
        "documents": documents.only("pk", "number", "title", "kind", "issued_on",
                                    "published_at")[:LIBRARY_PAGE]})


def _addressed_document(member, pk: int):
    return get_object_or_404(queries.library(member), pk=pk)


@member_required
def document_detail(request, pk: int):
    document = _addressed_document(request.member, pk)
    record_reading(document, request.member)
    return render(request, "handbook/document.html", {"document": document})


@member_required
def document_file(request, pk: int):
    document = _addressed_document(request.member, pk)
    record_reading(document, request.member)
    return file_response(document)


@member_required
def notifications(request):
    items = queries.notices(request.member, request.user)
    services.mark_notifications_seen(request.user)
    return render(request, "handbook/notifications.html", {"notices": items})


# Meetings ----------------------------------------------------------------------------------

@member_required
def meetings(request):
    member = request.member
    upcoming = list(meeting_queries.upcoming_meetings(member)[:6])
    mine = dict(Attendance.objects.filter(member=member, meeting__in=upcoming)
                .values_list("meeting_id", "reason"))
    return render(request, "handbook/meetings.html", {
        "upcoming": [(m, mine.get(m.pk)) for m in upcoming],
        "past": meeting_queries.past_conclusions(member, limit=6),
        "tasks": meeting_queries.tasks_of(member)[:20],
        "today": timezone.localdate()})


def _cell_meeting(member, pk: int):
    return get_object_or_404(queries.cell_meetings(member).select_related("organization"), pk=pk)


@member_required
@require_http_methods(["GET", "POST"])
def meeting_detail(request, pk: int):
    member = request.member
    meeting = _cell_meeting(member, pk)
    form = AbsenceForm(request.POST or None)
    if submit(request, form,
              lambda data: meeting_services.report_absence(meeting, member, data["reason"],
                                                           actor=request.user),
              _("Đã báo vắng; chi bộ đã nhận được lý do của đồng chí.")) is not None:
        return redirect("handbook:meeting", pk=meeting.pk)
    own = Attendance.objects.filter(meeting=meeting, member=member).first()
    link = meeting.online_link
    return render(request, "handbook/meeting.html", {
        "meeting": meeting, "form": form, "own": own,
        "online_link": link if link.startswith(("https://", "http://")) else "",
        "can_report": (not meeting.is_closed
                       and timezone.now() < meeting_services.meeting_start(meeting)),
        "attachments": meeting_queries.published_attachments(meeting),
        "tasks": MeetingTask.objects.filter(meeting=meeting, member=member)})


@member_required
def meeting_file(request, pk: int, file_pk: int):
    meeting = _cell_meeting(request.member, pk)
    attachment = get_object_or_404(meeting_queries.published_attachments(meeting), pk=file_pk)
    return serve_stored_file(attachment.file, attachment.content_type,
                             attachment.original_name)


@member_required
@require_POST
def task_done(request, pk: int):
    task = get_object_or_404(MeetingTask, pk=pk, member=request.member)
    meeting_services.complete_task(task, actor=request.user)
    messages.success(request, _("Đã ghi nhận hoàn thành nhiệm vụ."))
    return redirect(reverse("handbook:meetings") + "#tasks")


# Self-review -------------------------------------------------------------------------------

def _review_input(data) -> services.ReviewInput:
    return services.ReviewInput(
        achievements=data["achievements"], strengths=data["strengths"],
        shortcomings=data["shortcomings"], remedies=data["remedies"],
        manifestations=list(data["manifestations"]), signs=list(data["signs"]),
        manifestation_notes=data["manifestation_notes"], self_score=data.get("self_score"),
        proposed_rating=data["proposed_rating"])


def _marked(review: SelfReview) -> list:
    """The member's own marks as (manifestation, [signs]) of the catalogue in use."""
    ticked, signs = set(review.manifestations), set(review.signs)
    return [(item, [sign for sign in item.signs if sign.code in signs])
            for item in catalogue.catalogue().manifestations if item.code in ticked]


@member_required
@require_http_methods(["GET", "POST"])
def self_review(request, year: int | None = None):
    member = request.member
    year = year or timezone.localdate().year
    review = SelfReview.objects.filter(member=member, year=year).first()
    past = SelfReview.objects.filter(member=member).exclude(year=year).order_by("-year")
    if review is not None and review.is_submitted:
        return render(request, "handbook/review_done.html", {
            "review": review, "past": past, "marked": _marked(review)})
    initial = {} if review is None else {
        name: getattr(review, name) for name in SelfReviewForm.base_fields}
    form = SelfReviewForm(request.POST or None, initial=initial, year=year, record=review)
    final = "submit" in request.POST  # the "submit" button, not "save the draft"
    if submit(request, form,
              lambda data: services.save_review(member, year, _review_input(data),
                                                actor=request.user, submit=final,
                                                version=form.version()),
              _("Đã nộp bản tự kiểm điểm.") if final else _("Đã lưu bản nháp.")) is not None:
        return redirect("handbook:review_year", year=year)
    return render(request, "handbook/review_form.html", {
        "form": form, "year": year, "review": review, "past": past,
        "source": catalogue.catalogue().source,
        "bands": review_rules.score_bands_for(year)})


def cell_review(request, code: str, year: int, member_code: str):
    """A submitted self-review, as the cell's officers read it: without the manifestations
    and signs the member marked (the cell sees only their counts, on the list's page)."""
    cell = visible_org(request, code)
    require(request.user, Capability.VIEW_MEMBERS, cell)
    review = get_object_or_404(SelfReview.objects.select_related("member"), member__cell=cell,
                               year=year, member__member_code=member_code,
                               status=ReviewStatus.SUBMITTED)
    return render(request, "handbook/review_done.html", {"review": review, "for_cell": cell})


# Installable web app -----------------------------------------------------------------------

@login_not_required
@cache_control(max_age=86400, public=True)
def manifest(request):
    body = render_to_string("handbook/manifest.webmanifest", request=request)
    return HttpResponse(body, content_type="application/manifest+json")


@login_not_required
@cache_control(no_cache=True)
def service_worker(request):
    """The service worker, served from /handbook/ so that its scope is the handbook.

    Rendered so that it names the hashed static files; no-cache so a new version is picked up.
    """
    body = render_to_string("handbook/sw.js", {"version": SW_VERSION})
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/handbook/"
    return response


@login_not_required
def offline(request):
    return render(request, "handbook/offline.html")
