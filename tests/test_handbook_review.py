"""The year's self-review in the handbook: achievements, the manifestations (and signs) the member
recognizes in themselves, what they will correct, the proposed level and score. Ticking a
manifestation is self-examination, not a rating: it forces no level (issue 19)."""

import json

import pytest
from django.utils import timezone

from chibo.audit.models import AuditRecord
from chibo.core.exceptions import RuleViolation
from chibo.handbook import catalogue, review_rules, services
from chibo.handbook.models import SelfReview
from tests.form_support import post_form
from tests.test_handbook import review

YEAR = timezone.localdate().year
UNSCORED_YEAR = 2024  # reviewed under 124-QĐ/TW: no points yet (RULES.md §2)


def submit(world, people, **values):
    return services.save_review(people["lan"], values.pop("year", YEAR), review(**values),
                                actor=world.users["member"], submit=True)


# The score bands of 366-QĐ/TW -----------------------------------------------------------------

@pytest.mark.parametrize(("score", "level"), [
    (100, "excellent"), (90, "excellent"), (89, "good"), (70, "good"), (69, "complete"),
    (50, "complete"), (49, "not_complete"), (0, "not_complete")])
def test_the_score_decides_the_level_at_each_band_edge(score, level):
    assert review_rules.score_bands_for(2025).rating_for(score) == level


def test_points_score_the_reviews_from_2025_on():
    assert review_rules.score_bands_for(2024) is None
    assert review_rules.score_bands_for(2025) is review_rules.SCORE_BANDS_366


# Submitting -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("values", "message", "field"), [
    ({"strengths": " "}, "ưu điểm", "strengths"),
    ({"shortcomings": ""}, "hạn chế", "shortcomings"),
    ({"proposed_rating": ""}, "mức tự xếp loại", "proposed_rating"),
    ({"self_score": None}, "tự chấm điểm", "self_score"),
    ({"self_score": 90, "proposed_rating": "good"}, "Hoàn thành xuất sắc", "proposed_rating"),
    ({"self_score": 69, "proposed_rating": "good"}, "“Hoàn thành nhiệm vụ”", "proposed_rating"),
    ({"self_score": 101}, "0 đến 100", "self_score"),
    ({"self_score": -1}, "0 đến 100", "self_score"),
    ({"proposed_rating": "perfect"}, "không hợp lệ", "proposed_rating"),
    ({"manifestations": ["Z9"]}, "không có trong danh mục: Z9", "manifestations"),
    ({"signs": ["A4.2"]}, "không có trong danh mục: A4.2", "signs"),
    # What the member will correct is asked of whoever recognized a manifestation.
    ({"manifestations": ["C4"]}, "sửa chữa, khắc phục", "remedies"),
    ({"manifestations": ["A3"], "remedies": "  "}, "sửa chữa, khắc phục", "remedies"),
    ({"year": UNSCORED_YEAR, "self_score": 82}, "chưa đánh giá bằng điểm", "self_score"),
])
def test_a_submission_refused_names_its_field_and_writes_nothing(world, people, values,
                                                                 message, field):
    with pytest.raises(RuleViolation, match=message) as refused:
        submit(world, people, **values)
    assert refused.value.field == field
    assert not SelfReview.objects.exists() and not AuditRecord.objects.filter(
        action__startswith="handbook.").exists()


def test_a_draft_is_checked_for_what_it_holds_not_for_what_is_missing(world, people):
    lan, user = people["lan"], world.users["member"]
    services.save_review(lan, YEAR, review(strengths="", self_score=None, proposed_rating="",
                                           manifestations=["B6"]), actor=user)
    assert SelfReview.objects.get().manifestations == ["B6"]
    with pytest.raises(RuleViolation, match="không có trong danh mục"):
        services.save_review(lan, YEAR, review(manifestations=["B10"]), actor=user)
    assert SelfReview.objects.get().manifestations == ["B6"]


@pytest.mark.parametrize("ticked", [["A1"], ["B5"], ["C4"], ["A1", "B7", "C9"]])
def test_ticking_a_manifestation_forces_no_level(world, people, ticked):
    """Self-examination is not a rating: 82 points propose "good" whatever is ticked; only
    the cell's conclusion forces a level (the ratings)."""
    submit(world, people, manifestations=ticked, remedies="Tự phê bình, sửa chữa trước chi bộ")
    saved = SelfReview.objects.get()
    assert (saved.proposed_rating, saved.self_score, saved.manifestations) == (
        "good", 82, ticked)


def test_a_year_reviewed_without_points_needs_no_score(world, people):
    submit(world, people, year=UNSCORED_YEAR, self_score=None, proposed_rating="excellent")
    assert SelfReview.objects.get(year=UNSCORED_YEAR).self_score is None


def test_achievements_and_marks_are_kept_in_the_catalogue_s_order(world, people):
    submit(world, people, achievements="Giấy khen của Đảng ủy xã",
           manifestations=["C2", "A5", "A5"], remedies="Mạnh dạn phê bình")
    saved = SelfReview.objects.get()
    assert saved.achievements == "Giấy khen của Đảng ủy xã"
    assert saved.manifestations == ["A5", "C2"] and saved.signs == []


def test_the_audit_trail_keeps_the_save_but_not_the_marks(world, people):
    """Officers who read an object's history (audit.history) must not learn who recognized
    which manifestation."""
    submit(world, people, manifestations=["B6"], remedies="Tiết kiệm")
    record = AuditRecord.objects.get(action="handbook.review_submit")
    text = json.dumps([record.before, record.after], ensure_ascii=False)
    assert "B6" not in text and "manifestations" not in text
    assert record.after["proposed_rating"] == "good"


# Signs of a province's catalogue ----------------------------------------------------------------

def province_catalogue(tmp_path, signs: dict[str, list[str]]):
    """chibo's catalogue with the province's signs added under some manifestations."""
    raw = json.loads(catalogue.DEFAULT_FILE.read_text(encoding="utf-8"))
    for group in raw["groups"]:
        for item in group["items"]:
            item["signs"] = [{"code": f"{item['code']}.{n}", "text": text}
                             for n, text in enumerate(signs.get(item["code"], []), start=1)]
    path = tmp_path / "tuyen-quang-119.json"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def with_signs(settings, tmp_path):
    settings.MANIFESTATIONS_FILE = str(province_catalogue(tmp_path, {
        "A4": ["Đi họp chi bộ không đầy đủ", "Không đóng đảng phí đúng hạn"],
        "B6": ["Tổ chức đám cưới linh đình"]}))
    yield
    catalogue._cached.cache_clear()


def test_a_sign_marked_marks_its_manifestation_too(world, people, with_signs):
    submit(world, people, signs=["B6.1", "A4.2"], manifestations=["C1"],
           remedies="Sinh hoạt đầy đủ")
    saved = SelfReview.objects.get()
    assert saved.signs == ["A4.2", "B6.1"]
    assert saved.manifestations == ["A4", "B6", "C1"]


def test_the_form_puts_each_sign_under_its_manifestation(world, people, with_signs):
    page = world.client("member").get("/handbook/review/").content.decode()
    a4, a42, a5 = (page.index(f'value="{code}"') for code in ("A4", "A4.2", "A5"))
    assert a4 < a42 < a5 and "Không đóng đảng phí đúng hạn" in page


def test_the_form_submits_signs_and_the_member_reads_them_back(world, people, with_signs):
    client = world.client("member")
    form = {"achievements": "Hoàn thành tốt việc vận động hiến đất", "strengths": "Tích cực",
            "shortcomings": "Chưa đều", "self_score": "75", "proposed_rating": "good",
            "signs": ["A4.1"], "remedies": "Đi họp đầy đủ"}
    assert post_form(client, "/handbook/review/", {**form, "submit": "1"}).status_code == 302
    done = client.get(f"/handbook/review/{YEAR}/").content.decode()
    assert "A4.1. Đi họp chi bộ không đầy đủ" in done and "vận động hiến đất" in done


# The page -------------------------------------------------------------------------------------

def test_the_form_refuses_with_the_rule_s_words_and_keeps_what_was_typed(world, people):
    client = world.client("member")
    form = {"achievements": "Giấy khen", "strengths": "Tích cực", "shortcomings": "Chưa đều",
            "self_score": "75", "proposed_rating": "excellent", "manifestations": ["A3"],
            "remedies": "Đọc nghị quyết hằng tuần"}
    refused = post_form(client, "/handbook/review/", {**form, "submit": "1"}).content.decode()
    assert "mức xếp loại là “Hoàn thành tốt nhiệm vụ”" in refused and "Giấy khen" in refused
    assert not SelfReview.objects.exists()
    assert post_form(client, "/handbook/review/", {
        **form, "proposed_rating": "good", "submit": "1"}).status_code == 302
    assert SelfReview.objects.get().manifestations == ["A3"]


def test_a_year_without_points_asks_no_score(world, people):
    page = world.client("member").get(f"/handbook/review/{UNSCORED_YEAR}/").content.decode()
    assert 'name="self_score"' not in page and 'name="achievements"' in page
    assert 'name="self_score"' in world.client("member").get("/handbook/review/").content.decode()


def test_the_member_s_own_data_holds_the_new_parts(world, people):
    submit(world, people, achievements="Giấy khen", manifestations=["B6"], remedies="Tiết kiệm")
    data = json.loads(world.client("member").get("/handbook/me/data.json").content)
    [part] = [p for p in data["parts"] if p["key"] == "handbook.self_reviews"]
    assert part["rows"][0]["achievements"] == "Giấy khen"
    assert part["rows"][0]["manifestations"] == ["B6"] and part["rows"][0]["signs"] == []

