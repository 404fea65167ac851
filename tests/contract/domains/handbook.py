"""The handbook's contract routes (chibo.handbook): a member's own pages, open to a login linked
to a member file (the `member` user, Nông Thị Lan); any other login is told it has none (403).
Her cell's secretary and the officers above read the cell's self-reviews (member.view)."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from chibo.accounts.policy import SYSTEM, Capability
from chibo.handbook import services
from chibo.meetings import services as meeting_services
from chibo.meetings.models import MeetingTask
from tests.contract.registry import (
    SEE_CELL,
    DomainFixtures,
    Route,
    classes,
    own,
    register,
)
from tests.test_documents import PDF
from tests.test_handbook import close_with_a_task_for_lan, review, schedule

LAN = own(("member",))
YEAR = timezone.localdate().year
VIEW_MEMBERS = ("admin", "province", "inspector", "commune", "secretary")


def build(world, people) -> dict:
    """Đồng Mạ met twenty days ago (its draft resolution published, Lan given a task); Lan has
    drafted her self-review of the year, Thắng has submitted his."""
    day = timezone.localdate() - timedelta(days=20)
    past = schedule(world, day=day, topic="Sinh hoạt tháng trước")
    attachment = meeting_services.add_attachment(
        past, SimpleUploadedFile("Du-thao-nghi-quyet.pdf", PDF), actor=SYSTEM,
        now=timezone.now() - timedelta(days=25))
    close_with_a_task_for_lan(past, people, "Chi bộ thống nhất làm đường bê tông.")
    services.save_review(people["lan"], YEAR, review(), actor=world.users["member"])
    # Thắng's is submitted: a cell's officers read submitted reviews only
    services.save_review(people["thang"], YEAR, review(strengths="Nhiệt tình với công việc"),
                         actor=SYSTEM, submit=True)
    task = MeetingTask.objects.get(meeting=past, member=people["lan"])
    return {"meeting": past.pk, "file": attachment.pk, "task": task.pk}


def ids(built) -> dict:
    return {**built.records["handbook"], "year": YEAR, **built.records["documents"]}


def task_done(built):
    return MeetingTask.objects.get(pk=ids(built)["task"]).done_on


register(DomainFixtures(
    key="handbook", build=build, pages=("handbook",),
    routes=(
        Route("handbook:home", "/handbook/", **LAN, shows="Nông Thị Lan"),
        Route("handbook:profile", "/handbook/me/", **LAN, shows="Nông Thị Lan"),
        Route("handbook:my_data", "/handbook/me/data.json", **LAN, shows="M001"),
        Route("handbook:meetings", "/handbook/meetings/", **LAN,
              shows="Sinh hoạt tháng trước"),
        Route("handbook:meeting", "/handbook/meetings/{meeting}/", kwargs=ids, **LAN,
              shows="Sinh hoạt tháng trước"),
        Route("handbook:meeting_file", "/handbook/meetings/{meeting}/files/{file}/",
              kwargs=ids, **LAN),
        Route("handbook:task_done", "/handbook/tasks/{task}/done/", kwargs=ids, method="POST",
              **LAN, success=302, state=task_done),
        Route("handbook:documents", "/handbook/documents/", **LAN),
        Route("handbook:document", "/handbook/documents/{document}/", kwargs=ids, **LAN,
              shows="Về tăng cường củng cố"),
        Route("handbook:document_file", "/handbook/documents/{document}/file/", kwargs=ids,
              **LAN),
        Route("handbook:notifications", "/handbook/notifications/", **LAN),
        Route("handbook:review", "/handbook/review/", **LAN, shows="Gương mẫu, tích cực"),
        Route("handbook:review_year", "/handbook/review/{year}/", kwargs=ids, **LAN,
              shows="Gương mẫu, tích cực"),
        Route("handbook:cell_reviews", "/handbook/cell/D1.X1.C1/reviews/{year}/", kwargs=ids,
              org="D1.X1.C1", capability=Capability.VIEW_MEMBERS,
              **classes(SEE_CELL, VIEW_MEMBERS), shows="Nông Thị Lan"),
        Route("handbook:cell_review", "/handbook/cell/D1.X1.C1/reviews/{year}/M002/",
              kwargs=ids, org="D1.X1.C1", capability=Capability.VIEW_MEMBERS,
              **classes(SEE_CELL, VIEW_MEMBERS), shows="Nhiệt tình với công việc"),
        # the installable web app's shell: the same for everyone, before signing in
        Route("handbook:manifest", "/handbook/manifest.webmanifest", public=200),
        Route("handbook:service_worker", "/handbook/sw.js", public=200),
        Route("handbook:offline", "/handbook/offline/", public=200),
    ),
))
