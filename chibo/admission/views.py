"""Admission pages: a new candidate (or a readmission from a former member's file), the
candidate's page (facts, dossier checklist, deadlines, findings, history, a form per next
step), each step's page, and the printable checklist. The lists are in
chibo.admission.lists. Every step calls its service (chibo.admission.services)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from chibo.accounts.policy import Capability, can, require
from chibo.admission import documents, forms, queries, rules, services
from chibo.admission.capabilities import MANAGE_ADMISSION
from chibo.admission.choices import Outcome
from chibo.admission.models import Candidate
from chibo.audit.queries import object_history
from chibo.core.exceptions import RuleViolation
from chibo.core.forms import submit
from chibo.members import services as member_services
from chibo.organizations.calendar import working_calendar
from chibo.organizations.views import visible_org


def visible_candidate(request, code: str) -> Candidate:
    """The candidate if the user may read the cell's files (`member.view`); 404 otherwise."""
    return get_object_or_404(
        Candidate.objects.visible_to(request.user, Capability.VIEW_MEMBERS).select_related(
            "cell", "sponsor1", "sponsor2", "decided_by", "member"), code=code)


# New files ------------------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
def new(request, code: str):
    cell = visible_org(request, code)
    require(request.user, MANAGE_ADMISSION, cell)
    form = forms.CandidateForm(request.POST or None)
    if (candidate := submit(
            request, form,
            lambda data: services.list_candidate(services.NewCandidate(
                code=data["code"], cell=cell, listed_on=data["listed_on"],
                **{name: data[name] for name in form.PERSON},
                profile={name: data[name] or "" for name in form.PROFILE}),
                actor=request.user),
            _("Đã đưa vào danh sách quần chúng ưu tú."))) is not None:
        return redirect("admission:detail", code=candidate.code)
    return render(request, "admission/form.html", {
        "form": form, "org": cell, "title": _("Thêm quần chúng ưu tú")})


@require_http_methods(["GET", "POST"])
def readmit(request, code: str):
    """A readmission starts from the former member's file (by its code; `?member=` fills it
    from the member's page)."""
    cell = visible_org(request, code)
    require(request.user, MANAGE_ADMISSION, cell)
    form = forms.ReadmissionForm(request.POST or None,
                                 initial={"member_code": request.GET.get("member", "")})
    if (candidate := submit(
            request, form,
            lambda data: services.list_candidate(services.NewCandidate(
                code=data["code"], cell=cell, listed_on=data["listed_on"],
                former=queries.former_by_code(request.user, data["member_code"], "member_code")),
                actor=request.user),
            _("Đã đưa vào danh sách quần chúng ưu tú (kết nạp lại)."))) is not None:
        return redirect("admission:detail", code=candidate.code)
    return render(request, "admission/form.html", {
        "form": form, "org": cell, "title": _("Kết nạp lại đảng viên")})


# The steps ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class StepSpec:
    """One step of the file as a page offers it: its form, when it is offered, whether it
    is done, and the service call it makes."""

    key: str
    title: object
    form: type
    offered: Callable[[Candidate], bool]
    done: Callable[[Candidate], bool]
    call: Callable  # (request, candidate, form) -> the service's result
    capability: str = MANAGE_ADMISSION  # beside admission.manage, on the cell
    closing: bool = False  # ends the file (withdraw, reject)


def _pending(candidate: Candidate) -> bool:
    return candidate.outcome == Outcome.PENDING


def _before_decision(candidate: Candidate) -> bool:
    return _pending(candidate) and candidate.decision_on is None


def _sponsors(request, candidate, form):
    return services.set_sponsors(candidate, form.member("sponsor1"), form.member("sponsor2"),
                                 form.cleaned_data["youth_union"], **_common(request, form))


def _common(request, form) -> dict:
    extra = {"actor": request.user, "version": form.version()}
    if form.exceptions:
        extra["exception"] = form.exception_decision()
    return extra


def _decide(request, candidate, form):
    data = form.cleaned_data
    former = queries.former_member(candidate, request.user)
    if former is not None and former.member_code != data["member_code"]:
        former = None
    return services.decide_admission(
        candidate, data["day"], decision_no=data["decision_no"], decided_by=form.committee(),
        member_code=data["member_code"], former=former, **_common(request, form))


def _recognize(request, candidate, form):
    """Recognition, dated the day the 12 months of probation end (rules.official_day)."""
    return member_services.record_event(
        candidate.member, event="official",
        effective_on=rules.official_day(candidate.ceremony_on),
        decision_no=form.cleaned_data["decision_no"], **_common(request, form))


STEPS = {step.key: step for step in (
    StepSpec("certificate", gettext_lazy("Giấy chứng nhận lớp nhận thức về Đảng"),
             forms.CertificateForm, _before_decision,
             lambda c: c.awareness_course_on is not None,
             lambda request, c, form: services.record_certificate(
                 c, form.cleaned_data["day"], **_common(request, form))),
    StepSpec("sponsors", gettext_lazy("Người giới thiệu vào Đảng"), forms.SponsorsForm,
             _before_decision, lambda c: queries.sponsors_given(c) >= rules.SPONSORS_NEEDED,
             _sponsors),
    StepSpec("background", gettext_lazy("Thẩm tra lý lịch"), forms.BackgroundForm,
             _before_decision, lambda c: c.background_checked_on is not None,
             lambda request, c, form: services.record_background_check(
                 c, form.cleaned_data["day"], **_common(request, form))),
    StepSpec("cell_resolution", gettext_lazy("Nghị quyết chi bộ đề nghị kết nạp"),
             forms.CellResolutionForm,
             lambda c: _pending(c) and c.committee_resolution_on is None,
             lambda c: c.cell_resolution_on is not None,
             lambda request, c, form: services.record_cell_resolution(
                 c, form.cleaned_data["day"], form.cleaned_data["votes_for"],
                 form.cleaned_data["votes_total"],
                 age_exception_no=form.cleaned_data["age_exception_no"],
                 **_common(request, form))),
    StepSpec("committee_resolution", gettext_lazy("Nghị quyết đảng ủy cơ sở"),
             forms.CommitteeResolutionForm,
             lambda c: _before_decision(c) and c.cell_resolution_on is not None,
             lambda c: c.committee_resolution_on is not None,
             lambda request, c, form: services.record_committee_resolution(
                 c, form.cleaned_data["day"], **_common(request, form))),
    StepSpec("decision", gettext_lazy("Quyết định kết nạp"), forms.DecisionForm,
             lambda c: _before_decision(c) and c.committee_resolution_on is not None,
             lambda c: c.decision_on is not None, _decide,
             capability=Capability.MANAGE_MEMBERS),  # it makes the member's file
    StepSpec("ceremony", gettext_lazy("Lễ kết nạp"), forms.CeremonyForm,
             lambda c: c.outcome == Outcome.ADMITTED and c.ceremony_on is None,
             lambda c: c.ceremony_on is not None,
             lambda request, c, form: services.record_ceremony(
                 c, form.cleaned_data["day"], extension_no=form.cleaned_data["extension_no"],
                 **_common(request, form))),
    StepSpec("recognition", gettext_lazy("Công nhận đảng viên chính thức"),
             forms.RecognitionForm,
             lambda c: queries.recognition_due(c, timezone.localdate()),
             lambda c: False, _recognize, capability=Capability.MANAGE_MEMBERS),
    StepSpec("withdraw", gettext_lazy("Quần chúng rút tên"), forms.OutcomeForm, _pending,
             lambda c: False, lambda request, c, form: services.withdraw(
                 c, form.cleaned_data["day"], **_common(request, form)), closing=True),
    StepSpec("reject", gettext_lazy("Không kết nạp"), forms.OutcomeForm, _pending,
             lambda c: False, lambda request, c, form: services.reject(
                 c, form.cleaned_data["day"], **_common(request, form)), closing=True),
)}


def _may(user, step: StepSpec, candidate: Candidate) -> bool:
    return can(user, MANAGE_ADMISSION, candidate.cell) and can(user, step.capability,
                                                               candidate.cell)


def _form(step: StepSpec, candidate: Candidate, data=None, user=None):
    """The step's form, prefixed with its key (several on one page), against the candidate's
    file (the recognition: the member's)."""
    kwargs = {"prefix": step.key, "record": candidate}
    if step.form is forms.SponsorsForm:
        kwargs["sponsors"] = queries.possible_sponsors(candidate)
        kwargs["initial"] = {"sponsor1": candidate.sponsor1_id, "sponsor2": candidate.sponsor2_id,
                             "youth_union": candidate.youth_union_sponsor}
    elif step.form is forms.DecisionForm:
        kwargs["committees"] = queries.deciding_committees(candidate.cell)
        former = queries.former_member(candidate, user) if user is not None else None
        if former is not None:
            kwargs["initial"] = {"member_code": former.member_code}
    elif step.form is forms.RecognitionForm:
        kwargs["record"] = candidate.member
    return step.form(data, **kwargs)


def _submit(request, step: StepSpec, candidate: Candidate, form):
    """Run the step through its service; a refusal for a rule shows the exception fields."""
    def action(data):
        try:
            return step.call(request, candidate, form)
        except RuleViolation as error:
            form.refused_for_rule = error.code == "finding"
            raise
    return submit(request, form, action, _("Đã ghi: %(step)s.") % {"step": step.title})


@require_http_methods(["GET", "POST"])
def step(request, code: str, step: str):
    candidate = visible_candidate(request, code)
    spec = STEPS.get(step)
    if spec is None:
        raise Http404
    require(request.user, MANAGE_ADMISSION, candidate.cell)
    require(request.user, spec.capability, candidate.cell)
    if not spec.offered(candidate):
        return render(request, "admission/not_offered.html", {
            "candidate": candidate, "org": candidate.cell, "title": spec.title}, status=409)
    form = _form(spec, candidate, request.POST or None, request.user)
    if _submit(request, spec, candidate, form) is not None:
        return redirect("admission:detail", code=candidate.code)
    return render(request, "admission/step.html", {
        "form": form, "step": spec, "candidate": candidate, "org": candidate.cell,
        "title": spec.title})


# The candidate's page -------------------------------------------------------------------------

def _file_context(request, candidate: Candidate) -> dict:
    today = timezone.localdate()
    items = queries.checklist(candidate, today)
    return {"candidate": candidate, "org": candidate.cell, "today": today, "items": items,
            "step_now": queries.step_of(candidate, today),
            "deadlines": queries.deadlines(candidate, today, working_calendar()),
            "recognition_on": rules.official_day(candidate.ceremony_on)
            if candidate.ceremony_on else None}


@require_GET
def detail(request, code: str):
    candidate = visible_candidate(request, code)
    context = _file_context(request, candidate)
    user = request.user
    offered = [spec for spec in STEPS.values()
               if spec.offered(candidate) and not spec.done(candidate)]
    context |= {
        "findings": queries.findings_of(candidate, context["today"]),
        "forms": [(spec, _form(spec, candidate, user=user)) for spec in offered
                  if not spec.closing and _may(user, spec, candidate)],
        "closing": [spec for spec in offered if spec.closing and _may(user, spec, candidate)],
        "waiting_for_members": [spec for spec in offered if not spec.closing
                                and can(user, MANAGE_ADMISSION, candidate.cell)
                                and not _may(user, spec, candidate)],
        "corrections": [spec for spec in STEPS.values() if spec.offered(candidate)
                        and spec.done(candidate) and _may(user, spec, candidate)],
    }
    if can(user, MANAGE_ADMISSION, candidate.cell):
        context["documents"] = _documents(candidate)
    if can(user, Capability.VIEW_HISTORY, candidate.cell):
        context["audit_records"] = object_history(candidate)
    return render(request, "admission/detail.html", context)


def _documents(candidate: Candidate) -> list[tuple[str, str]]:
    """(label, download address) of the forms the file has reached, and the forms' page."""
    ready = [(_("Mẫu %(number)s — %(title)s") % {"number": form.number, "title": form.title},
              reverse("admission_documents:form", args=[candidate.code, form.key]))
             for form in documents.FORMS.values() if getattr(candidate, form.step) is not None]
    return [*ready, (_("Tất cả biểu mẫu kết nạp"),
                     reverse("admission_documents:forms", args=[candidate.code]))]


@require_GET
def print_checklist(request, code: str):
    """The dossier checklist on one A4 page, to print and keep with the paper file."""
    candidate = visible_candidate(request, code)
    return render(request, "admission/print.html", _file_context(request, candidate))
