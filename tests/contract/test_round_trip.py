"""Export → import into an empty database → export gives the same files, for every registered
domain with its records on the named world.

The whole bundle is compared, file by file, but for the moment of export that a `bundle.csv`
version marker records (BUNDLE-v2: `exported_at`); each of the domain's own files must carry
rows, so that the comparison is not of empty files.
"""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command

from chibo.interchange.exporter import export_bundle
from chibo.interchange.importer import import_bundle
from chibo.organizations.models import Organization
from tests.conftest import build_people, build_world
from tests.contract import registry

MOMENT = ("bundle.csv", "exported_at")  # the one value two exports may differ in


def files(path: Path) -> dict[str, bytes]:
    """The bundle's files by name, the moment of export blanked."""
    found = {item.name: item.read_bytes() for item in sorted(path.iterdir())}
    name, column = MOMENT
    if name in found:
        rows = list(csv.DictReader(io.StringIO(found[name].decode("utf-8-sig"))))
        for row in rows:
            row[column] = ""
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]) if rows else [])
        writer.writeheader()
        writer.writerows(rows)
        found[name] = out.getvalue().encode()
    return found


@pytest.mark.parametrize("domain", [pytest.param(d, id=d.key) for d in registry.domains()
                                    if d.sections])
def test_export_import_export_gives_identical_files(transactional_db, tmp_path, domain):
    world = build_world()
    domain.build(world, build_people(world))
    first, second = tmp_path / "first", tmp_path / "second"
    export_bundle(first)
    empty = [name for name in domain.files()
             if len((first / name).read_text(encoding="utf-8-sig").splitlines()) < 2]
    assert empty == [], f"{domain.key}'s fixtures put no row in these files"
    call_command("flush", interactive=False, verbosity=0)
    assert not Organization.objects.exists()
    assert import_bundle(first).errors == []
    export_bundle(second)
    before, after = files(first), files(second)
    assert sorted(before) == sorted(after)
    assert [name for name in before if before[name] != after[name]] == []
