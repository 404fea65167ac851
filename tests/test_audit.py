"""The audit trail: every service change writes one record; tampering shows in `audit verify`
(the attacks on the keys and the anchors: test_audit_chain.py)."""

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from chibo.accounts.policy import SYSTEM
from chibo.audit.models import AppendOnly, AuditRecord, HashScheme
from chibo.audit.services import record_change, verify_chain
from chibo.organizations import services
from tests.form_support import post_form


def verify():
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit", "verify", stdout=out, stderr=err)
    except SystemExit as exit_:
        return exit_.code, err.getvalue()
    return 0, out.getvalue()


def test_a_change_writes_one_record_with_before_and_after(world):
    org = world.org("D1.X1")
    count = AuditRecord.objects.count()
    services.rename_organization(org, actor=world.users["province"], new_name="Đảng bộ xã Mới",
                                 effective_on=date(2024, 1, 1), decision_no="12-QĐ/HU")
    assert AuditRecord.objects.count() == count + 1
    record = AuditRecord.objects.order_by("-seq").first()
    assert record.action == "organization.rename"
    assert record.actor_id == world.users["province"].pk
    assert record.actor_name == "province"
    assert record.object_type == "organizations.organization"
    assert record.object_id == str(org.pk)
    assert record.before["name"] == "Đảng bộ xã An Phú"
    assert record.after["name"] == "Đảng bộ xã Mới"
    assert record.after["decision_no"] == "12-QĐ/HU"
    assert record.org_path == org.path
    assert len(record.request_id) >= 16


def test_records_of_one_request_share_its_id(world):
    client = world.client("province")
    response = post_form(client, "/org/D1.X1/change/rename/", {
        "effective_on": "01/01/2024", "new_name": "Tên mới"}, HTTP_X_REQUEST_ID="req-42")
    assert response.status_code == 302
    assert AuditRecord.objects.filter(request_id="req-42").count() == 1
    assert response["X-Request-ID"] == "req-42"


def test_unregistered_action_is_refused(world):
    with pytest.raises(ValueError), transaction.atomic():
        record_change("organization.teleport", actor=SYSTEM, obj=world.org("D1"))


def test_records_are_append_only(world):
    record = AuditRecord.objects.first()
    record.object_repr = "changed"
    with pytest.raises(AppendOnly):
        record.save()
    with pytest.raises(AppendOnly):
        record.delete()
    with pytest.raises(AppendOnly):
        AuditRecord.objects.filter(pk=record.pk).update(object_repr="x")
    with pytest.raises(AppendOnly):
        AuditRecord.objects.all().delete()


def test_intact_chain_verifies(world):
    code, output = verify()
    assert code == 0 and "nguyên vẹn" in output
    assert verify_chain() is None


def test_altering_a_record_fails_at_that_record(world):
    seq = AuditRecord.objects.count() // 2
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_record SET after = %s WHERE seq = %s",
                       ['{"name": "forged"}', seq])
    code, output = verify()
    assert code == 1
    assert f"#{seq}: bị sửa" in output


def test_altering_the_actor_fails(world):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_record SET actor_name = 'someone' WHERE seq = 3")
    assert verify_chain().seq == 3


def test_removing_a_record_fails_at_that_record(world):
    seq = AuditRecord.objects.count() // 2
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_record WHERE seq = %s", [seq])
    code, output = verify()
    assert code == 1
    assert f"#{seq}: bị xóa" in output


def test_removing_the_last_records_fails(world):
    last = AuditRecord.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_record WHERE seq >= %s", [last - 1])
    broken = verify_chain()
    assert broken is not None and broken.seq == last - 1


def test_rehashing_a_forged_record_without_the_key_fails_at_that_record(world):
    record = AuditRecord.objects.get(seq=2)
    record.object_repr, record.scheme = "forged", HashScheme.PLAIN
    forged_hash = record.compute_hash()  # all one can compute without the key: plain SHA-256
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_record SET object_repr = 'forged', hash = %s WHERE seq = 2",
                       [forged_hash])
    assert verify_chain().seq == 2


def test_object_history_on_the_organization_page(world):
    services.rename_organization(world.org("D1.X1"), actor=world.users["province"],
                                 new_name="Đảng bộ xã Mới", effective_on=date(2024, 1, 1))
    body = world.client("commune").get("/org/D1.X1/").content.decode()
    assert "Nhật ký thay đổi" in body and "Đổi tên tổ chức" in body
    assert "Nhật ký thay đổi" not in world.client("member").get("/org/D1.X1.C1/").content.decode()


def test_global_trail_filters(world):
    services.rename_organization(world.org("D1.X1"), actor=world.users["province"],
                                 new_name="Đảng bộ xã Mới", effective_on=date(2024, 1, 1))
    client = world.client("admin")
    body = client.get("/audit/?action=organization.rename").content.decode()
    assert "Đảng bộ xã Mới" in body and "Chi bộ Sở Tài chính" not in body
    body = client.get("/audit/?actor=province").content.decode()
    assert "Đảng bộ xã Mới" in body
    assert "Đảng bộ xã Mới" not in client.get("/audit/?actor=system").content.decode()


def test_admin_grant_sees_only_its_subtree_trail(world):
    from chibo.accounts.services import grant_role

    grant_role(world.users["nobody"], actor=SYSTEM, role="admin", organization=world.orgs["D2"])
    body = world.client("nobody").get("/audit/").content.decode()
    assert "Đảng bộ xã Yên Lâm" in body and "Đảng bộ xã An Phú" not in body


def test_the_trail_reads_in_words_not_in_stored_values(world):
    """Who, what, which record, old → new: the model's field names, a choice's label, dates as
    the pages show them, có/không for flags; never `is_superuser: False` or `organizer`."""
    services.rename_organization(world.org("D1.X1"), actor=world.users["province"],
                                 new_name="Đảng bộ xã Mới", effective_on=date(2024, 1, 1))
    body = world.client("admin").get("/audit/").content.decode()
    assert "Cán bộ tổ chức" in body and "organizer" not in body  # the grant's role
    assert "Tên:</span> <del>Đảng bộ xã An Phú</del> → Đảng bộ xã Mới" in body
    assert "01/01/2024" in body and "2024-01-01" not in body
    assert "Người dùng: " in body  # what the record is: the model's own name
    assert "is_superuser" not in body and "False" not in body and "True" not in body
