"""Changes the member makes in the handbook: the self-review, the notifications mark."""

from dataclasses import asdict, dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.accounts.policy import SYSTEM
from chibo.audit.services import record_change
from chibo.core.concurrency import Expected, check_version
from chibo.core.exceptions import PermissionDenied, RuleViolation
from chibo.handbook import catalogue, review_rules
from chibo.handbook.models import NotificationMark, ReviewStatus, SelfReview
from chibo.members.models import Member
from chibo.ratings.choices import Level


@dataclass
class ReviewInput:
    achievements: str = ""
    strengths: str = ""
    shortcomings: str = ""
    remedies: str = ""
    manifestations: list[str] = field(default_factory=list)
    signs: list[str] = field(default_factory=list)
    manifestation_notes: str = ""
    self_score: int | None = None
    proposed_rating: str = ""


def _snapshot(review: SelfReview) -> dict:
    """What the audit trail keeps of a save. Not the marks: officers who read the trail
    (audit.history) must not learn who recognized which manifestation in themselves."""
    return {"year": review.year, "status": review.status, "self_score": review.self_score,
            "proposed_rating": review.proposed_rating}


def _check_year(member: Member, year: int) -> None:
    today = timezone.localdate()
    if year > today.year:
        raise RuleViolation(_("Chưa đến năm %(year)s.") % {"year": year}, field="year")
    if year < member.admitted_on.year:
        raise RuleViolation(_("Năm %(year)s đồng chí chưa vào Đảng.") % {"year": year},
                            field="year")


def _check_marks(data: ReviewInput, known: catalogue.Catalogue) -> None:
    """Every mark is a code of the catalogue in use."""
    for name, codes, valid in (("manifestations", data.manifestations, known.codes()),
                               ("signs", data.signs, known.sign_codes())):
        unknown = set(codes) - set(valid)
        if unknown:
            raise RuleViolation(_("Biểu hiện không có trong danh mục: %(codes)s.")
                                % {"codes": ", ".join(sorted(unknown))}, field=name)


def _check_content(data: ReviewInput, year: int, *, submitting: bool) -> None:
    _check_marks(data, catalogue.catalogue())
    bands = review_rules.score_bands_for(year)
    if data.self_score is not None and not 0 <= data.self_score <= 100:
        raise RuleViolation(_("Điểm tự chấm từ 0 đến 100."), field="self_score")
    if data.self_score is not None and bands is None:
        raise RuleViolation(_("Năm %(year)s chưa đánh giá bằng điểm: không tự chấm điểm.")
                            % {"year": year}, field="self_score")
    if data.proposed_rating and data.proposed_rating not in Level.values:
        raise RuleViolation(_("Mức xếp loại không hợp lệ."), field="proposed_rating")
    if not submitting:
        return
    for name, label in (("strengths", _("ưu điểm")), ("shortcomings", _("hạn chế, khuyết điểm")),
                        ("proposed_rating", _("mức tự xếp loại"))):
        if not str(getattr(data, name) or "").strip():
            raise RuleViolation(_("Cần ghi %(what)s trước khi nộp.") % {"what": label},
                                field=name)
    if bands is not None:
        _check_score(data, bands)
    if (data.manifestations or data.signs) and not data.remedies.strip():
        raise RuleViolation(_("Đã tự nhận biểu hiện thì cần ghi việc sẽ sửa chữa, khắc phục."),
                            field="remedies")


def _check_score(data: ReviewInput, bands: review_rules.ScoreBands) -> None:
    """Under a scoring rule set the score decides the level (RULES.md §2). What the member
    ticked does not: their marks are self-examination, not a rating."""
    if data.self_score is None:
        raise RuleViolation(_("Cần tự chấm điểm (thang 100) trước khi nộp."), field="self_score")
    expected = bands.rating_for(data.self_score)
    if data.proposed_rating != expected:
        raise RuleViolation(
            _("Với %(score)s điểm, mức xếp loại là “%(rating)s” (%(source)s).")
            % {"score": data.self_score, "rating": Level(expected).label,
               "source": bands.source}, field="proposed_rating")


def _marks(data: ReviewInput) -> tuple[list[str], list[str]]:
    """The manifestations (with those of the signs marked) and the signs, in the catalogue's
    order, each once."""
    order = catalogue.catalogue().order()
    signs = sorted(set(data.signs), key=order.__getitem__)
    ticked = set(data.manifestations) | {catalogue.manifestation_of(code) for code in signs}
    return sorted(ticked, key=order.__getitem__), signs


def _require_own(member: Member, actor) -> None:
    if actor is SYSTEM:
        return
    if member.user_id is None or member.user_id != getattr(actor, "pk", None):
        raise PermissionDenied("only the member writes their own self-review")


@transaction.atomic
def save_review(member: Member, year: int, data: ReviewInput, *, actor,
                submit: bool = False, version: Expected = None) -> SelfReview:
    """Save the member's self-review of `year` as a draft, or submit it (then it is final).
    With the `version` of the stored draft the member saw (on another device, say), refused
    when the draft changed since (chibo.core.concurrency)."""
    _require_own(member, actor)
    _check_year(member, year)
    _check_content(data, year, submitting=submit)
    review, created = SelfReview.objects.select_for_update().get_or_create(
        member=member, year=year)
    if review.is_submitted:
        raise RuleViolation(_("Bản tự kiểm điểm năm %(year)s đã nộp, không sửa được nữa.")
                            % {"year": year})
    if not created:
        check_version(review, version)
    before = None if created else _snapshot(review)
    for name, value in asdict(data).items():
        setattr(review, name, value if value is not None or name == "self_score" else "")
    review.manifestations, review.signs = _marks(data)
    if submit:
        review.status = ReviewStatus.SUBMITTED
        review.submitted_at = timezone.now()
    review.save()
    record_change("handbook.review_submit" if submit else "handbook.review_save",
                  actor=actor, obj=review, before=before, after=_snapshot(review))
    return review


def mark_notifications_seen(user, when=None) -> None:
    """Everything up to now is no longer "new" (not audited: a reading mark, not a record)."""
    NotificationMark.objects.update_or_create(user=user,
                                              defaults={"seen_at": when or timezone.now()})
