"""The list pattern's contract routes: its pages (`urls: lists`) are a background export's,
which belongs to the person who asked for it (and the administrator); for anyone else it does
not exist (404). The lists themselves are their apps' routes (meetings:list, members:list, …)."""

from chibo.lists import exports
from chibo.lists.models import ExportRun, ExportStatus
from tests.contract.registry import DomainFixtures, Route, own, register

THEIRS = ("admin", "commune")


def build(world, people) -> dict:
    """The commune's clerk exported the members list of An Phú; the file is ready."""
    name = exports.new_file_name()
    (exports.folder() / name).write_bytes(b"PK\x05\x06" + bytes(18))
    run = ExportRun.objects.create(list_key="members.list", arguments={"code": "D1.X1"},
                                   title="Đảng viên", actor=world.users["commune"],
                                   status=ExportStatus.DONE, file=name,
                                   filename="dang-vien.xlsx")
    return {"run": run.pk}


def run_of(built) -> dict:
    return {"run": built.records["lists"]["run"]}


OTHERS = ("province", "inspector", "other_commune", "viewer", "secretary", "member", "nobody")
ROUTES = tuple(Route(name, url, kwargs=run_of, **own(THEIRS, outside=OTHERS))
               for name, url in (("lists:export", "/exports/{run}/"),
                      ("lists:export_progress", "/exports/{run}/progress"),
                      ("lists:export_file", "/exports/{run}/file")))

register(DomainFixtures(key="lists", build=build, pages=("lists",), routes=ROUTES))
