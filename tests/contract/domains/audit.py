"""The audit trail's contract routes: the whole trail and who read whose file are the system
administrator's (audit.trail, held by no role of an organization), so they are not scoped to
one: anyone else signed in is refused (403)."""

from tests.contract.registry import DomainFixtures, Route, own, register


def build(world, people) -> None:
    return None


register(DomainFixtures(
    key="audit", build=build, pages=("audit",),
    routes=(
        Route("audit:trail", "/audit/", **own(("admin",))),
        Route("members:file_reads", "/file-reads/", **own(("admin",))),
    ),
))
