"""The recorded exceptions' contract fixtures: exceptions.csv (chibo.interchange registers the
section; chibo.findings keeps the records)."""

from chibo.accounts.policy import SYSTEM
from chibo.findings.services import Decision, record_exception
from tests.conftest import D
from tests.contract.registry import DomainFixtures, register


def build(world, people) -> list:
    """The district allowed Lan's early recognition and An's late readmission."""
    return [record_exception(finding, "members.csv", people[name].member_code,
                             decision=Decision(number, day, "D1", note),
                             org=world.orgs["D1.X1.C1"], actor=SYSTEM)
            for finding, name, number, day, note in (
                ("members.probation", "lan", "12-QĐ/HU", D(2025, 3, 2), "Công nhận sớm"),
                ("members.readmission", "an", "7-QĐ/HU", D(2024, 11, 20), ""))]


register(DomainFixtures(key="findings", build=build, sections=("exceptions",)))
