"""The sample domain's own behaviour: its bundle file checked against the tree, its service
scoped like every domain's (the contract suite covers the rest)."""

import pytest
from django.core.exceptions import PermissionDenied

from chibo.audit.models import AuditRecord
from chibo.core.exceptions import RuleViolation
from chibo.interchange.importer import import_bundle
from tests.conftest import D
from tests.sample_domain.models import SampleVisit
from tests.sample_domain.services import record_visit
from tests.test_bundle import import_refused, prefixes, write_bundle

HEADER = "org_code,day,visitors,note\n"


def test_a_bundle_brings_its_visits(db, tmp_path):
    result = import_bundle(write_bundle(tmp_path / "b", {
        "sample_visits.csv": HEADER + "P.D.X.C1,2024-05-02,6,Thăm thôn Đồng Mạ\n"}))
    assert result.errors == [] and result.counts["sample_visits.csv"] == 1
    visit = SampleVisit.objects.get()
    assert (visit.organization.code, visit.day, visit.visitors) == ("P.D.X.C1", D(2024, 5, 2), 6)


def test_a_visit_before_its_organization_existed_or_to_an_unknown_one_is_refused(db, tmp_path):
    errors = import_refused(write_bundle(tmp_path / "b", {"sample_visits.csv": HEADER + (
        "P.D.X.C1,1994-12-31,1,Chi bộ thành lập 01/01/1995\n"
        "P.D.X.C9,2024-05-02,1,Không có chi bộ này\n")}))
    assert prefixes(errors) == ["sample_visits.csv:2:day", "sample_visits.csv:3:org_code"]
    assert not SampleVisit.objects.exists()


def test_the_commune_clerk_records_a_visit_in_the_commune_only(world):
    an_phu, yen_lam = world.orgs["D1.X1"], world.orgs["D2.X1"]
    record_visit(an_phu, D(2026, 3, 5), visitors=12, note="Làm việc với Đảng ủy xã",
                 actor=world.users["commune"])
    assert AuditRecord.objects.filter(action="sample.visit").count() == 1
    for username, org in (("commune", yen_lam), ("viewer", an_phu), ("secretary", an_phu)):
        with pytest.raises(PermissionDenied):
            record_visit(org, D(2026, 3, 5), actor=world.users[username])
    with pytest.raises(RuleViolation, match="không tồn tại"):
        record_visit(an_phu, D(1989, 12, 31), actor=world.users["commune"])
    assert SampleVisit.objects.count() == 1
