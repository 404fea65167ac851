"""`members.new_member_course` (RULES.md §1, HD 12-HD/BTCTW of 18/01/2022): during probation
the new member attends the new-member course, whose certificate is part of the dossier for
official recognition.

Defined here, as the issue names it and neither BUNDLE-v2.md nor METRICS-v2.md words it: a
member admitted from a candidate's file (chibo.admission: the probation the rule speaks of
starts with that decision) who was recognized as official without a `completed` enrollment in
a `new_member` course that ended between the decision (`decision_on`) and the recognition, both
included. It arises on the day of the recognition and points at the member (members.csv,
record = member code), in the member's cell of today. Members admitted before chibo kept
candidates (no candidate row) are not judged: their probation's courses were never recorded.

The rule is written once (`missed`): the subtree's search (`find`) and the judge of one member's
file (`judge`, in chibo.members.findings.JUDGES) use it, so that the members app's services
refuse a recognition that breaks it unless an exception is recorded.
"""

from datetime import date

from django.db.models import Exists, F, OuterRef
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.accounts.policy import Capability
from chibo.admission.models import Candidate
from chibo.core.fields import subtree_range
from chibo.courses.choices import CourseKind, Result
from chibo.courses.models import Enrollment
from chibo.findings.rules import FindingRule, RecordFinding, register_rule
from chibo.members.findings import JUDGES, Breach, Facts, recognition_days
from chibo.members.models import MemberFlow

KEY = "members.new_member_course"
FILE = "members.csv"
WORDS = gettext_lazy("Trong thời gian dự bị, đảng viên phải học lớp bồi dưỡng lý luận chính trị "
                     "dành cho đảng viên mới; giấy chứng nhận là thành phần hồ sơ xét công nhận "
                     "đảng viên chính thức.")
SOURCE = "12-HD/BTCTW (18/01/2022)"
LABEL = gettext_lazy("Công nhận chính thức khi chưa học lớp đảng viên mới")


def _recognized(org, today: date) -> list[dict]:
    """The subtree's members admitted from a candidate's file, with their first recognition
    on or after the decision (by today)."""
    low, high = subtree_range(org.path)
    recognitions = MemberFlow.objects.filter(member=OuterRef("member"), kind="official",
                                             day__gte=OuterRef("decision_on"), day__lte=today)
    rows = Candidate.objects.filter(member__cell__path__gte=low, member__cell__path__lt=high,
                                    member__isnull=False, decision_on__isnull=False).filter(
        Exists(recognitions)).values("member_id", "decision_on",
                                     member_code=F("member__member_code"),
                                     member_name=F("member__full_name"),
                                     cell_code=F("member__cell__code"),
                                     cell_name=F("member__cell__name"))
    found = list(rows)
    days = {}
    for member, day in MemberFlow.objects.filter(
            member_id__in=[row["member_id"] for row in found], kind="official").order_by(
            "member_id", "day").values_list("member_id", "day"):
        days.setdefault(member, []).append(day)
    for row in found:
        row["recognized_on"] = min(d for d in days[row["member_id"]] if d >= row["decision_on"])
    return found


def missed(decision_on: date, recognized_on: date, completed_ends) -> bool:
    """The rule, once for the subtree's search and the services: recognized on
    `recognized_on` without a completed new-member course that ended between the decision and
    the recognition (both included); `completed_ends` are the end days of the member's
    completed new-member courses."""
    return not any(decision_on <= end <= recognized_on for end in completed_ends)


def _detail(recognized_on: date, decision_on: date) -> str:
    return _("Công nhận chính thức ngày %(day)s, không hoàn thành lớp bồi dưỡng đảng viên mới "
             "trong thời gian dự bị (từ %(decision)s).") % {
        "day": date_format(recognized_on, "d/m/Y"), "decision": date_format(decision_on, "d/m/Y")}


def _completed_ends(member_ids) -> dict[int, list[date]]:
    """The end days of each member's completed new-member courses."""
    completed: dict[int, list[date]] = {}
    for member, end_on in Enrollment.objects.filter(
            member_id__in=member_ids, result=Result.COMPLETED,
            course__kind=CourseKind.NEW_MEMBER).values_list("member_id", "course__end_on"):
        completed.setdefault(member, []).append(end_on)
    return completed


def find(org, today: date) -> list[RecordFinding]:
    rows = _recognized(org, today)
    completed = _completed_ends([row["member_id"] for row in rows])
    findings = [RecordFinding(
        key=KEY, file=FILE, record=row["member_code"], org_code=row["cell_code"],
        org_name=row["cell_name"], subject=f"{row['member_code']} {row['member_name']}",
        detail=_detail(row["recognized_on"], row["decision_on"]), rule=str(WORDS),
        source=SOURCE, day=row["recognized_on"])
        for row in rows if missed(row["decision_on"], row["recognized_on"],
                                  completed.get(row["member_id"], ()))]
    return sorted(findings, key=lambda f: f.record)


def judge(member, facts: Facts) -> list[Breach]:
    """The rule on one member's facts (stored or about to be: chibo.members.findings.JUDGES),
    for the services that record a recognition: its breach, or none."""
    if member.pk is None:
        return []
    decision_on = (Candidate.objects.filter(member_id=member.pk, decision_on__isnull=False)
                   .values_list("decision_on", flat=True).first())
    if decision_on is None:
        return []  # not admitted from a candidate's file: not judged
    recognized = [day for day in recognition_days(facts) if day >= decision_on]
    if not recognized:
        return []
    ends = _completed_ends([member.pk]).get(member.pk, ())
    if not missed(decision_on, recognized[0], ends):
        return []
    return [Breach(KEY, recognized[0], _detail(recognized[0], decision_on))]


def register() -> None:
    """The finding rule, and its judge of one member's file, which the members app's services
    ask when they record a recognition (refused without an exception)."""
    register_rule(FindingRule(key=KEY, label=LABEL, rule=WORDS, source=SOURCE, file=FILE,
                              capability=Capability.MANAGE_MEMBERS, find=find, order=40))
    JUDGES.add(KEY, judge)
