"""Inspection pages: an inspection or supervision with its subjects, conclusions and follow-ups
(and the forms to add subjects, record a conclusion with its document, close it), the
programmes with their items, and a discipline decision with its effects on the subject's file
and its appeal. The lists are declared in chibo.inspection.lists.

The cases are confidential: a case is found among those whose organization the user sees (404
outside the scope), then `inspection.view` is required there (403 for the other officers of the
subtree); every write needs `inspection.manage` and goes through chibo.inspection.services.
Every page that shows a case logs the read (`services.record_case_read`, channel "page").
"""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chibo.accounts.policy import Capability, can, require
from chibo.audit.queries import object_history
from chibo.core.exceptions import RuleViolation
from chibo.core.fields import subtree_range
from chibo.core.forms import submit
from chibo.inspection import forms, queries, services
from chibo.inspection.capabilities import MANAGE_INSPECTION, VIEW_INSPECTION
from chibo.inspection.choices import ENDING_FORMS, AppealOutcome, Conclusion, Form
from chibo.inspection.models import (
    Discipline,
    Inspection,
    InspectionSubject,
    Programme,
    ProgrammeItem,
)
from chibo.inspection.rules import PARTY_POSTS
from chibo.members.models import Member, MemberEvent, Position
from chibo.organizations.models import Organization
from chibo.organizations.views import visible_org

# Reading a case --------------------------------------------------------------------------------


def visible_inspection(request, code: str) -> Inspection:
    """The inspection if the user sees its organization (404 otherwise) and may read the cases
    there (403 otherwise)."""
    inspection = get_object_or_404(
        Inspection.objects.visible_to(request.user, Capability.VIEW_ORGS).select_related(
            "org", "programme_item__programme"), code=code)
    require(request.user, VIEW_INSPECTION, inspection.org)
    return inspection


def subject_org(discipline: Discipline) -> Organization:
    """Where a decision lies: its organization, or the member's cell."""
    return discipline.org if discipline.org_id else discipline.member.cell


def visible_discipline(request, code: str) -> Discipline:
    discipline = get_object_or_404(
        Discipline.objects.visible_to(request.user, Capability.VIEW_ORGS).select_related(
            "org", "member__cell", "decided_by", "inspection"), code=code)
    require(request.user, VIEW_INSPECTION, subject_org(discipline))
    return discipline


def visible_programme(request, pk: int) -> Programme:
    programme = get_object_or_404(
        Programme.objects.visible_to(request.user, Capability.VIEW_ORGS).select_related("org"),
        pk=pk)
    require(request.user, VIEW_INSPECTION, programme.org)
    return programme


def _read(request, case) -> None:
    """Log the read of a case by a page that shows it (its own page, or a form that shows a
    subject's conclusion or the inspection): a GET only, the POSTs are audited changes."""
    if request.method == "GET":
        services.record_case_read(case, reader=request.user, channel="page")


def _subjects(inspection: Inspection) -> list[InspectionSubject]:
    """The subjects, each with `committee_member`: derived from the posts held on the start day
    (queries.committee_subjects), never typed."""
    subjects = list(queries.subjects_of(inspection))
    for subject in subjects:
        subject.inspection = inspection  # read already: the start day without a query each
    committee = queries.committee_subjects(subjects)
    for subject in subjects:
        subject.committee_member = subject.pk in committee
    return subjects


def _in_subtree(org: Organization, field: str) -> Q:
    low, high = subtree_range(org.path)
    return Q(**{f"{field}__gte": low, f"{field}__lt": high})


# Inspections -----------------------------------------------------------------------------------

@require_GET
def detail(request, code: str):
    inspection = visible_inspection(request, code)
    _read(request, inspection)
    user = request.user
    manage = can(user, MANAGE_INSPECTION, inspection.org)
    subjects = _subjects(inspection)
    context = {
        "inspection": inspection, "org": inspection.org, "subjects": subjects,
        "can_manage": manage, "today": timezone.localdate(),
        "concluded": sum(1 for s in subjects if s.conclusion),
        "disciplines": list(Discipline.objects.visible_to(user).filter(inspection=inspection)
                            .select_related("member", "org").order_by("decided_on", "pk")),
        "proposed": Conclusion.VIOLATION_DISCIPLINE_PROPOSED,
    }
    if manage:
        context["subject_form"] = forms.SubjectForm(record=inspection, prefix="subject")
        if inspection.end_on is None:
            context["close_form"] = forms.CloseForm(record=inspection, prefix="close")
    if can(user, Capability.VIEW_HISTORY, inspection.org):
        context["audit_records"] = object_history(inspection)
    return render(request, "inspection/detail.html", context)


def _programme_items(user, org: Organization):
    """The programme items an inspection opened by `org` may be carried out under: those of
    the programmes of `org` the user may read, latest programmes first."""
    return (ProgrammeItem.objects.visible_to(user).filter(programme__org=org)
            .select_related("programme").order_by("-programme_id", "planned_from", "pk"))


@require_http_methods(["GET", "POST"])
def open_inspection(request, code: str):
    org = visible_org(request, code)
    require(request.user, MANAGE_INSPECTION, org)
    form = forms.InspectionForm(request.POST or None, items=_programme_items(request.user, org),
                                initial={"programme_item": request.GET.get("item", "")})

    def action(data):
        return services.open_inspection(services.NewInspection(
            code=data["code"], kind=data["kind"], org=org, by_body=data["by_body"],
            start_on=data["start_on"], end_on=data["end_on"], title=data["title"],
            decision_no=data["decision_no"], note=data["note"],
            programme_item=form.item()), actor=request.user)

    if (inspection := submit(request, form, action,
                             _("Đã mở cuộc kiểm tra, giám sát."))) is not None:
        return redirect("inspection:detail", code=inspection.code)
    return render(request, "inspection/form.html", {
        "form": form, "org": org, "title": _("Mở cuộc kiểm tra, giám sát"),
        "back": reverse("inspection:list", args=[org.code])})


def _find_member(user, org: Organization, code: str) -> Member | None:
    """A member of `org`'s subtree whose case the user may read, by code."""
    return (Member.objects.visible_to(user, VIEW_INSPECTION)
            .filter(_in_subtree(org, "cell__path"), member_code=code).first())


def _find_org(user, org: Organization, code: str) -> Organization | None:
    """An organization of `org`'s subtree (itself included) the user may read cases of."""
    return (Organization.objects.visible_to(user, VIEW_INSPECTION)
            .filter(_in_subtree(org, "path"), code=code).first())


@require_POST
def add_subject(request, code: str):
    inspection = visible_inspection(request, code)
    require(request.user, MANAGE_INSPECTION, inspection.org)
    form = forms.SubjectForm(request.POST, record=inspection, prefix="subject")
    found = {}
    if form.is_valid():
        data = form.cleaned_data
        if data["member_code"]:
            found["member"] = _find_member(request.user, inspection.org, data["member_code"])
            if found["member"] is None:
                form.add_error("member_code", _("Không có đảng viên mã này trong phạm vi của "
                                                "tổ chức tiến hành."))
        else:
            found["org"] = _find_org(request.user, inspection.org, data["org_code"])
            if found["org"] is None:
                form.add_error("org_code", _("Không có tổ chức đảng mã này trong phạm vi của "
                                             "tổ chức tiến hành."))
    if submit(request, form,
              lambda data: services.add_subject(inspection, actor=request.user, **found),
              _("Đã thêm đối tượng.")) is not None:
        return redirect("inspection:detail", code=inspection.code)
    return render(request, "inspection/form.html", {
        "form": form, "org": inspection.org, "inspection": inspection,
        "title": _("Thêm đối tượng kiểm tra, giám sát"),
        "back": reverse("inspection:detail", args=[inspection.code])}, status=200)


def _subject(inspection: Inspection, pk: int) -> InspectionSubject:
    return get_object_or_404(inspection.subjects.select_related("org", "member"), pk=pk)


def _subject_name(subject) -> str:
    return subject.member.full_name if subject.member_id else subject.org.name


@require_POST
def remove_subject(request, code: str, pk: int):
    inspection = visible_inspection(request, code)
    require(request.user, MANAGE_INSPECTION, inspection.org)
    subject = _subject(inspection, pk)
    try:
        services.remove_subject(subject, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã bỏ đối tượng %(name)s.") % {
            "name": _subject_name(subject)})
    return redirect("inspection:detail", code=inspection.code)


@require_http_methods(["GET", "POST"])
def conclusion(request, code: str, pk: int):
    inspection = visible_inspection(request, code)
    require(request.user, MANAGE_INSPECTION, inspection.org)
    subject = _subject(inspection, pk)
    _read(request, inspection)
    initial = {name: getattr(subject, name) for name in (
        "conclusion", "concluded_on", "conclusion_no", "conclusion_doc_on", "follow_up",
        "follow_up_due")}
    form = forms.ConclusionForm(request.POST or None, initial=initial, record=subject)

    def action(data):
        document = services.ConclusionDocument(
            number=data["conclusion_no"], issued_on=data["conclusion_doc_on"]) \
            if data["conclusion_no"] else None
        return services.record_conclusion(
            subject, actor=request.user, conclusion=data["conclusion"],
            concluded_on=data["concluded_on"], follow_up=data["follow_up"],
            follow_up_due=data["follow_up_due"], document=document, version=form.version())

    if submit(request, form, action, _("Đã ghi kết luận.")) is not None:
        return redirect("inspection:detail", code=inspection.code)
    return render(request, "inspection/form.html", {
        "form": form, "org": inspection.org, "inspection": inspection,
        "title": _("Kết luận: %(name)s") % {"name": _subject_name(subject)},
        "back": reverse("inspection:detail", args=[inspection.code])})


@require_http_methods(["GET", "POST"])
def follow_up_done(request, code: str, pk: int):
    inspection = visible_inspection(request, code)
    require(request.user, MANAGE_INSPECTION, inspection.org)
    subject = _subject(inspection, pk)
    _read(request, inspection)
    form = forms.FollowUpDoneForm(request.POST or None, record=subject)
    if submit(request, form,
              lambda data: services.record_follow_up_done(
                  subject, actor=request.user, done_on=data["done_on"], version=form.version()),
              _("Đã ghi hoàn thành khắc phục.")) is not None:
        return redirect("inspection:detail", code=inspection.code)
    return render(request, "inspection/form.html", {
        "form": form, "org": inspection.org, "inspection": inspection,
        "title": _("Hoàn thành khắc phục: %(name)s") % {"name": _subject_name(subject)},
        "back": reverse("inspection:detail", args=[inspection.code])})


@require_http_methods(["GET", "POST"])
def close(request, code: str):
    inspection = visible_inspection(request, code)
    require(request.user, MANAGE_INSPECTION, inspection.org)
    _read(request, inspection)
    form = forms.CloseForm(request.POST or None, record=inspection, prefix="close")
    if submit(request, form,
              lambda data: services.close_inspection(inspection, actor=request.user,
                                                     end_on=data["end_on"],
                                                     version=form.version()),
              _("Đã kết thúc cuộc kiểm tra, giám sát.")) is not None:
        return redirect("inspection:detail", code=inspection.code)
    return render(request, "inspection/form.html", {
        "form": form, "org": inspection.org, "inspection": inspection,
        "title": _("Kết thúc cuộc kiểm tra, giám sát"),
        "back": reverse("inspection:detail", args=[inspection.code])})


# Programmes ------------------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
def new_programme(request, code: str):
    org = visible_org(request, code)
    require(request.user, MANAGE_INSPECTION, org)
    form = forms.ProgrammeForm(request.POST or None)
    if (programme := submit(
            request, form,
            lambda data: services.create_programme(
                actor=request.user, org=org, by_body=data["by_body"], title=data["title"],
                year=data["year"], term_from=data["term_from"], term_to=data["term_to"],
                note=data["note"]),
            _("Đã lập chương trình."))) is not None:
        return redirect("inspection:programme", pk=programme.pk)
    return render(request, "inspection/form.html", {
        "form": form, "org": org, "title": _("Lập chương trình kiểm tra, giám sát"),
        "back": reverse("inspection:programmes", args=[org.code])})


@require_http_methods(["GET", "POST"])
def programme(request, pk: int):
    """A programme with its items, and the inspections carried out under each; who manages
    adds an item here."""
    programme = visible_programme(request, pk)
    manage = can(request.user, MANAGE_INSPECTION, programme.org)
    form = None
    if manage:
        form = forms.ProgrammeItemForm(request.POST or None)
        subject = {}
        if request.method == "POST" and form.is_valid() and form.cleaned_data["subject_org"]:
            subject["subject_org"] = _find_org(request.user, programme.org,
                                               form.cleaned_data["subject_org"])
            if subject["subject_org"] is None:
                form.add_error("subject_org", _("Không có tổ chức đảng mã này trong phạm vi "
                                                "của chương trình."))
        if submit(request, form,
                  lambda data: services.add_programme_item(
                      programme, actor=request.user, kind=data["kind"], content=data["content"],
                      subject_text=data["subject_text"], planned_from=data["planned_from"],
                      planned_to=data["planned_to"], **subject),
                  _("Đã thêm nội dung vào chương trình.")) is not None:
            return redirect("inspection:programme", pk=programme.pk)
    elif request.method == "POST":
        require(request.user, MANAGE_INSPECTION, programme.org)
    return render(request, "inspection/programme.html", {
        "programme": programme, "org": programme.org,
        "items": queries.programme_items(programme, request.user), "form": form,
        "can_manage": manage})


# Discipline ------------------------------------------------------------------------------------

def _effects(discipline: Discipline, user) -> dict:
    """What the decision did to the subject's file: the member's status and the events of the
    file from the effective day (an expulsion's `expel`), the party posts held on the eve of the
    effective day or later (a dismissal ends them on that eve), or the organization's end.
    Read as the case is: under the member's cell, with `inspection.view`."""
    if discipline.member_id:
        member = discipline.member
        eve = discipline.effective_day - timedelta(days=1)
        events = list(MemberEvent.objects.visible_to(user, VIEW_INSPECTION).filter(
            member=member, effective_on__gte=discipline.effective_day).order_by("seq"))
        posts = list(Position.objects.visible_to(user, VIEW_INSPECTION)
                     .filter(member=member, role__in=PARTY_POSTS)
                     .filter(Q(end_on__isnull=True) | Q(end_on__gte=eve))
                     .select_related("org").order_by("start_on", "pk"))
        return {"member": member, "events": events, "posts": posts}
    out = {"subject_org": discipline.org}
    if discipline.standing_form == Form.DISSOLUTION and discipline.org.ended_on is None:
        out["blockers"] = services.dissolution_blockers(discipline.org,
                                                        discipline.effective_day)
    return out


def _discipline_forms(discipline: Discipline, data=None, which: str = "") -> dict:
    """The appeal's forms the decision offers now: recording the appeal, then its decision."""
    out = {}
    if discipline.appealed_on is None:
        out["appeal_form"] = forms.AppealForm(data if which == "appeal" else None,
                                              record=discipline)
    elif not discipline.appeal_outcome:
        out["appeal_decision_form"] = forms.AppealDecisionForm(
            data if which == "decision" else None, record=discipline)
    return out


def _discipline_page(request, discipline: Discipline, extra: dict | None = None,
                     status: int = 200):
    user = request.user
    where = subject_org(discipline)
    manage = can(user, MANAGE_INSPECTION, where)
    # every render shows the case, a refused appeal form's too: each is a logged read
    services.record_case_read(discipline, reader=user, channel="page")
    context = {"discipline": discipline, "org": where, "can_manage": manage,
               "proposed_by": queries.proposing_inspection(discipline, user),
               "standing": discipline.standing_form,
               "standing_label": Form(discipline.standing_form).label
               if discipline.standing_form else "", **_effects(discipline, user),
               "annulled": discipline.appeal_outcome == AppealOutcome.ANNULLED}
    if manage:
        context |= _discipline_forms(discipline)
    context |= extra or {}
    if can(user, Capability.VIEW_HISTORY, where):
        context["audit_records"] = object_history(discipline)
    return render(request, "inspection/discipline.html", context, status=status)


@require_GET
def discipline(request, code: str):
    return _discipline_page(request, visible_discipline(request, code))


@require_POST
def appeal(request, code: str):
    discipline = visible_discipline(request, code)
    require(request.user, MANAGE_INSPECTION, subject_org(discipline))
    if discipline.appealed_on is not None:
        raise Http404  # recorded already: nothing to post to
    form = forms.AppealForm(request.POST, record=discipline)
    if submit(request, form,
              lambda data: services.record_appeal(discipline, actor=request.user,
                                                  appealed_on=data["appealed_on"],
                                                  received_on=data.get("received_on"),
                                                  version=form.version()),
              _("Đã ghi khiếu nại.")) is not None:
        return redirect("inspection:discipline", code=discipline.code)
    return _discipline_page(request, discipline, {"appeal_form": form})


@require_POST
def appeal_decision(request, code: str):
    discipline = visible_discipline(request, code)
    require(request.user, MANAGE_INSPECTION, subject_org(discipline))
    if discipline.appealed_on is None or discipline.appeal_outcome:
        raise Http404
    form = forms.AppealDecisionForm(request.POST, record=discipline)
    if submit(request, form,
              lambda data: services.decide_appeal(
                  discipline, actor=request.user, outcome=data["outcome"],
                  decided_on=data["decided_on"], form=data["form"] or None,
                  version=form.version()),
              _("Đã ghi kết quả giải quyết khiếu nại.")) is not None:
        return redirect("inspection:discipline", code=discipline.code)
    return _discipline_page(request, discipline, {"appeal_decision_form": form})


def _inspection_of(user, code: str) -> Inspection | None:
    return Inspection.objects.visible_to(user).filter(code=code).first()


@require_http_methods(["GET", "POST"])
def decide(request, code: str):
    """A discipline decision by the page's organization (the deciding level) on a member or an
    organization of its subtree; from an inspection's subject, the form comes filled."""
    org = visible_org(request, code)
    require(request.user, MANAGE_INSPECTION, org)
    initial = {name: request.GET.get(name, "") for name in ("member_code", "org_code",
                                                            "inspection")}
    form = forms.DisciplineForm(request.POST or None, initial=initial)
    found: dict = {}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["member_code"]:
            found["member"] = _find_member(request.user, org, data["member_code"])
            if found["member"] is None:
                form.add_error("member_code", _("Không có đảng viên mã này trong phạm vi của "
                                                "cấp quyết định."))
        else:
            found["org"] = _find_org(request.user, org, data["org_code"])
            if found["org"] is None:
                form.add_error("org_code", _("Không có tổ chức đảng mã này trong phạm vi của "
                                             "cấp quyết định."))
        if data["inspection"]:
            found["inspection"] = _inspection_of(request.user, data["inspection"])
            if found["inspection"] is None:
                form.add_error("inspection", _("Không có cuộc kiểm tra mã này."))

    def action(data):
        try:
            return services.decide_discipline(services.NewDiscipline(
                code=data["code"], form=data["form"], violation_on=data["violation_on"],
                decided_on=data["decided_on"], decided_by=org, by_body=data["by_body"],
                decision_no=data["decision_no"], effective_on=data["effective_on"],
                note=data["note"], **found), actor=request.user,
                exception=form.exception_decision())
        except RuleViolation as error:
            form.refused_for_rule = error.code == "finding"
            raise

    if (decision := submit(request, form, action,
                           _("Đã ghi quyết định kỷ luật."))) is not None:
        return redirect("inspection:discipline", code=decision.code)
    return render(request, "inspection/decide.html", {
        "form": form, "org": org, "title": _("Ghi quyết định kỷ luật"),
        "ending": [str(Form(f).label) for f in ENDING_FORMS]})
