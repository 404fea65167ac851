"""One validation for every way in (issue 14): the API refuses what the forms and the import
refuse, with the same rules (chibo.core.validation), and answers every error as JSON
{"detail", "field"} with a documented status, never an HTML 500."""

import logging
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from chibo.api import ERROR_STATUSES, api
from chibo.core import validation
from chibo.interchange.importer import import_bundle
from chibo.members.forms import ProfileForm
from chibo.members.models import Member, MemberFlow
from chibo.organizations.models import Organization
from tests.form_support import post_form
from tests.test_bundle import row_counts, write_bundle
from tests.test_meeting_api import call
from tests.test_meetings import schedule

RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: the text reads otherwise than it is stored
NUL = "\x00"


def assert_error(response, status: int, field: str | None = "-"):
    """A JSON error of the house shape with `status` (and `field`, unless "-")."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"detail", "field"} and body["detail"], body
    if field != "-":
        assert body["field"] == field, body
    return body


def patch(client, url: str, body: dict | None = None, *, json: dict | None = None):
    """PATCH `url` with the record's current version (If-Match: its ETag), as a client that
    read it first does: the field rules are then the only thing left to refuse it."""
    version = call(client, "get", url)["ETag"]
    return call(client, "patch", url, json=body if json is None else json, HTTP_IF_MATCH=version)


def new_member(**overrides) -> dict:
    return {"member_code": "N001", "full_name": "Lý Văn Mới", "gender": "male",
            "birth_date": "1990-04-02", "admitted_on": "2020-05-01", "cell": "D1.X1.C1",
            **overrides}


# The cases found on the demo -----------------------------------------------------------------

def test_stats_records_without_a_metric_is_a_400(world, people):
    response = call(world.client("province"), "get", "stats/records?metric=&org=D1")
    assert_error(response, 400, "metric")


def test_stats_records_unknown_metric_is_a_400(world, people):
    response = call(world.client("province"), "get", "stats/records?metric=nope&org=D1")
    assert_error(response, 400)


def test_stats_records_negative_offset_is_a_400(world, people):
    response = call(world.client("province"), "get",
                    "stats/records?metric=members.total&org=D1&offset=-1")
    assert_error(response, 400, "offset")


@pytest.mark.parametrize("user", ["province", "member"])
@pytest.mark.parametrize("url", ["meetings", "documents"])
def test_an_offset_beyond_any_integer_is_a_400(world, people, user, url):
    response = call(world.client(user), "get", f"{url}?offset=99999999999999999999")
    assert_error(response, 400, "offset")


def test_a_limit_out_of_range_is_a_400(world, people):
    assert_error(call(world.client("province"), "get", "meetings?limit=0"), 400, "limit")
    assert_error(call(world.client("province"), "get", "members?limit=501"), 400, "limit")


def test_a_document_id_beyond_any_integer_is_a_404(world, people):
    response = call(world.client("province"), "get", "documents/99999999999999999999")
    assert_error(response, 404)


def test_a_birth_date_after_the_admission_is_refused_by_the_rules(world, people):
    """The age stored with the flow facts would be negative: the database's check must never
    be the one to refuse (it answered a 500)."""
    client = world.client("province")
    exception = {"decision_no": "12-QĐ/TU", "decided_on": "2020-02-01", "decided_by": "TQ"}
    for body in ({"birth_date": "2020-01-01"},
                 {"birth_date": "2020-01-01", "exception": exception}):
        response = patch(client, "members/M002", body)
        assert_error(response, 422, "birth_date")
    assert Member.objects.get(member_code="M002").birth_date == date(1980, 5, 17)
    assert not MemberFlow.objects.filter(age__gt=200).exists()


def test_a_birth_date_after_the_admission_is_refused_on_the_edit_form(world, people):
    client = world.client("province")
    member = people["thang"]
    data = {name: getattr(member, name) or "" for name in ProfileForm.base_fields
            if not name.startswith("exception")}
    data.update(birth_date="01/01/2020", exception_no="12-QĐ/TU", exception_on="01/02/2020",
                exception_by="TQ")
    response = post_form(client, f"/members/{member.member_code}/edit/", data)
    assert response.status_code == 200
    assert "Ngày sinh phải trước ngày kết nạp" in response.content.decode()
    member.refresh_from_db()
    assert member.birth_date == date(1980, 5, 17)


def test_admission_with_an_empty_cell_is_a_422(world, people):
    response = call(world.client("province"), "post", "members", json=new_member(cell=""))
    assert_error(response, 422, "cell")
    assert not Member.objects.filter(member_code="N001").exists()


@pytest.mark.parametrize(("field", "value"), [
    ("full_name", "A" * 10_000),
    ("phone", "0" * 5_000),
    ("phone", "not-a-phone"),
    ("email", "not-an-email"),
    ("birth_date", "1800-01-01"),
    ("full_name", "Nguyễn Văn\x07 An"),
    ("full_name", f"Nguyễn {RLO}nA nắV"),
    ("residence", f"Thôn{NUL}Đồng Mạ"),
    ("notes", "Dòng một\u200bdòng hai"),
])
def test_the_profile_refuses_what_the_rules_refuse(world, people, field, value):
    before = Member.objects.values().get(member_code="M002")
    # With the decision that allows an admission outside the age, so that only the field
    # rules can refuse a birth date.
    exception = {"decision_no": "12-QĐ/TU", "decided_on": "2020-02-01", "decided_by": "TQ"}
    response = patch(world.client("province"), "members/M002",
                     json={field: value, "exception": exception})
    assert_error(response, 422, field)
    assert Member.objects.values().get(member_code="M002") == before


def test_notes_keep_their_line_breaks(world, people):
    response = patch(world.client("province"), "members/M002",
                     json={"notes": "Dòng một\nDòng hai\tcột", "phone": "0912 345 678",
                           "email": "thang@example.vn"})
    assert response.status_code == 200, response.content
    assert Member.objects.get(member_code="M002").notes == "Dòng một\nDòng hai\tcột"


@pytest.mark.parametrize(("field", "value"), [
    ("code", f"TQ.{RLO}X"), ("code", "TQ" * 40),
    ("name", "Đảng bộ\x1bxã"), ("name", "x" * 256), ("established_on", "4914-01-01"),
    ("established_on", "1800-01-01"),
])
def test_an_organization_is_created_only_from_plausible_values(world, people, field, value):
    """A new province (a root: no parent whose date or kind could refuse it first)."""
    body = {"code": "NEW", "name": "Đảng bộ mới", "kind": "provincial",
            "established_on": "2020-01-01", field: value}
    response = call(world.client("admin"), "post", "organizations", json=body)
    assert_error(response, 422, field)
    assert not Organization.objects.filter(name__startswith="Đảng bộ mới").exists()


def test_a_nul_in_a_path_or_a_query_is_refused_not_a_server_error(world, people):
    client = world.client("province")
    assert_error(call(client, "get", "members/M%00X"), 404)
    assert_error(call(client, "get", "members?q=a%00b"), 400, "q")
    assert_error(call(client, "get", "organizations?parent=T%00Q"), 400, "parent")


def test_meeting_texts_follow_the_same_rules(world, people):
    client = world.client("secretary")
    body = {"org_code": "D1.X1.C1", "kind": "regular", "date": "2026-03-10",
            "topic": f"Tháng 3{RLO}", "place": "Nhà văn hóa"}
    assert_error(call(client, "post", "meetings", json=body), 422, "topic")
    body.update(topic="Tháng 3", date="2600-01-01")
    assert_error(call(client, "post", "meetings", json=body), 422, "date")
    meeting = schedule(world, day=date(2026, 3, 10))
    closing = {"attendance": [], "duration_minutes": 100_000}
    assert_error(call(client, "post", f"meetings/{meeting.code}/close", json=closing), 422,
                 "duration_minutes")


# The shape of every error --------------------------------------------------------------------

def test_ninja_validation_errors_have_the_house_shape(world, people):
    client = world.client("province")
    body = assert_error(call(client, "post", "members", json={"full_name": "A"}), 422)
    assert body["field"] in ("member_code", "gender", "birth_date", "admitted_on", "cell")
    assert "Thiếu" in body["detail"]
    response = client.post("/api/v1/members", data="{not json", content_type="application/json")
    assert_error(response, 400)
    assert_error(call(client, "get", "members/NOPE"), 404, None)
    assert_error(call(world.client(None), "get", "members"), 401, None)


def test_an_unexpected_error_is_json_500_and_logged(world, people, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("chibo.members.queries.page_after", broken)
    client = Client(raise_request_exception=False)
    client.force_login(world.users["province"])
    with caplog.at_level(logging.ERROR, logger="chibo.api"):
        response = call(client, "get", "members")
    assert_error(response, 500, None)
    assert "boom" not in response.content.decode()
    assert any(record.exc_info and "boom" in str(record.exc_info[1])
               for record in caplog.records)


def test_every_operation_documents_its_errors(world):
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    assert schema["components"]["schemas"]["ErrorOut"]["required"] == ["detail"]
    operations = [op for methods in schema["paths"].values() for op in methods.values()]
    assert len(operations) >= 26
    for operation in operations:
        for status in ERROR_STATUSES:
            content = operation["responses"][status]["content"]["application/json"]
            assert content["schema"] == {"$ref": "#/components/schemas/ErrorOut"}


def test_the_schema_states_the_column_lengths(world):
    schemas = api.get_openapi_schema(path_prefix="/api/v1/")["components"]["schemas"]
    name = schemas["MemberIn"]["properties"]["full_name"]
    assert name["maxLength"] == Member._meta.get_field("full_name").max_length == 150
    assert schemas["OrganizationIn"]["properties"]["code"]["maxLength"] == 64


# The same rules through a form and through the import ------------------------------------------

@pytest.mark.parametrize(("field", "value", "message"), [
    ("phone", "12345", "Số điện thoại không hợp lệ"),
    ("email", "not-an-email", "thư điện tử không hợp lệ"),
    ("full_name", "Nông Thị\x07Lan", "ký tự điều khiển"),
    ("residence", f"Thôn {RLO}Mạ", "ký tự điều khiển"),
    ("full_name", "L" * 151, "150"),
    ("birth_date", "01/01/1800", "quá xa trong quá khứ"),
])
def test_the_profile_form_refuses_the_same_values(world, people, field, value, message):
    client = world.client("province")
    member = people["thang"]
    before = Member.objects.values().get(pk=member.pk)
    data = {name: getattr(member, name) or "" for name in ProfileForm.base_fields
            if not name.startswith("exception")}
    data["birth_date"] = "17/05/1980"
    data[field] = value
    response = post_form(client, f"/members/{member.member_code}/edit/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Member.objects.values().get(pk=member.pk) == before


MEMBERS_HEADER = "member_code,full_name,gender,birth_date,admitted_on,org_code,phone,email\n"
# The base bundle's members (its events and posts name them), then the row under test.
BASE_MEMBERS = MEMBERS_HEADER + """M1,Nguyễn Văn An,male,1980-01-01,2010-01-01,P.D.X.C1,,
M2,Trần Thị Bình,female,1985-05-05,2012-01-01,P.D.X.C2,,
"""


@pytest.mark.parametrize(("column", "value", "message"), [
    ("phone", "12345", "Số điện thoại không hợp lệ"),
    ("email", "not-an-email", "thư điện tử không hợp lệ"),
    ("full_name", "Nguyễn\x07Văn An", "ký tự điều khiển"),
    ("full_name", f"Nguyễn {RLO}Văn An", "ký tự điều khiển"),
    ("full_name", "A" * 151, "dài quá 150"),
    ("birth_date", "1800-01-01", "quá xa trong quá khứ"),
    ("birth_date", "2015-01-01", "Ngày sinh phải trước ngày kết nạp"),
])
def test_the_import_refuses_the_same_values(db, tmp_path: Path, column, value, message):
    row = {"member_code": "M3", "full_name": "Lê Văn Cường", "gender": "male",
           "birth_date": "1980-01-01", "admitted_on": "2010-01-01", "org_code": "P.D.X.C1",
           "phone": "0912345678", "email": "cuong@example.vn", column: value}
    line = ",".join(f'"{row[key]}"' for key in MEMBERS_HEADER.strip().split(","))
    path = write_bundle(tmp_path / "b", replace={"members.csv": BASE_MEMBERS + line + "\n"})
    before = row_counts()
    result = import_bundle(path)
    assert not result.ok
    assert row_counts() == before
    assert any(line.startswith(f"members.csv:4:{column}: ") and message in line
               for line in result.errors), result.errors


def test_the_import_accepts_what_the_api_accepts(db, tmp_path: Path):
    text = (BASE_MEMBERS + '"M3","Lê Văn Cường","male","1980-01-01","2010-01-01","P.D.X.C1",'
            '"0207 3822 456","cuong@example.vn"\n')
    result = import_bundle(write_bundle(tmp_path / "b", replace={"members.csv": text}))
    assert result.ok, result.errors
    assert Member.objects.get(member_code="M3").phone == "0207 3822 456"


# The rules themselves ------------------------------------------------------------------------

@pytest.mark.parametrize("phone", ["0912345678", "0912 345 678", "091.234.5678", "+84912345678",
                                   "02073822456", "0207 3822 456", "0356-123-456"])
def test_vietnamese_phone_numbers_are_accepted(phone):
    validation.validate_phone(phone)


@pytest.mark.parametrize("phone", ["12345", "0123456789", "091234567", "09123456789",
                                   "+1 202 555 0100", "0912345678 ext 2", "0912  345678",
                                   "0912345678\u202e"])
def test_other_phone_numbers_are_refused(phone):
    with pytest.raises(ValidationError):
        validation.validate_phone(phone)


def test_dates_are_plausible(settings):
    validation.validate_plausible_date(date(1900, 1, 1))
    for day in (date(1899, 12, 31), date(4914, 1, 1)):
        with pytest.raises(ValidationError):
            validation.validate_plausible_date(day)


def test_long_texts_keep_line_breaks_but_not_other_controls():
    validation.validate_text("a\nb\r\n\tc")
    for text in ("a\x00b", "a\x1bb", f"a{RLO}b", "a\u2066b", "a\u2028b"):
        with pytest.raises(ValidationError):
            validation.validate_text(text)
    with pytest.raises(ValidationError):
        validation.validate_line("a\nb")



@pytest.mark.parametrize("url", ["/org/D1%00/", "/org/D1/members/?q=an%00",
                                 "/members/M0%0001/", "/calendar/?start=01/01/2026%00&days=3"])
def test_a_nul_in_a_page_s_address_is_a_bad_request_never_a_server_error(world, url):
    """PostgreSQL refuses a NUL in any text: a code or a search term holding one was a 500."""
    assert world.client("province").get(url).status_code == 400
