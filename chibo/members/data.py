"""The member's own file in their copy of their data (chibo.core.registry.MEMBER_DATA): the
profile, the events, the posts, and who else read the file."""

from django.utils.translation import gettext_lazy as _

from chibo.core.registry import MemberData

# Every field of the file but the keys the application keeps for itself (search and sort keys,
# the photo's stored name, the login).
PROFILE_OMITS = {"id", "search_key", "sort_key", "photo", "user", "joined_org", "cell"}


def profile(member) -> list[dict]:
    values = {field.name: getattr(member, field.attname) for field in member._meta.concrete_fields
              if field.name not in PROFILE_OMITS}
    return [{**values, "joined_org": member.joined_org.code, "cell": member.cell.code}]


def events(member) -> list[dict]:
    return list(member.events.order_by("seq").values(
        "seq", "event", "effective_on", "org__code", "decision_no", "note"))


def posts(member) -> list[dict]:
    return list(member.positions.order_by("start_on", "pk").values(
        "role", "org__code", "village__code", "start_on", "end_on"))


def file_reads(member) -> list[dict]:
    return list(member.file_reads.order_by("at", "pk").values("at", "reader_name", "channel"))


PARTS = (
    MemberData("members.profile", _("Hồ sơ đảng viên"), profile, order=10),
    MemberData("members.events", _("Quá trình (các sự kiện)"), events, order=11),
    MemberData("members.posts", _("Chức vụ"), posts, order=12),
    MemberData("members.file_reads", _("Những lần người khác xem hồ sơ"), file_reads, order=90),
)
