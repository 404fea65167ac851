"""What courses shows about one member (registered in apps.py): the section of the member page
(the officers' view of the file) and the handbook's card (the member's own), both the member's
courses with their results and certificates."""

from chibo.courses import queries


def member_section(request, member) -> dict:
    """The member's courses on the member page; shown even when empty (the recognition file
    needs the new-member course: its absence is worth seeing)."""
    return {"enrollments": list(queries.courses_of_member(member))}


def handbook_card(request) -> dict | None:
    """The signed-in member's courses in the handbook; nothing when they have none."""
    enrollments = list(queries.courses_of_member(request.member))
    return {"enrollments": enrollments} if enrollments else None
