"""The member's own card of the handbook (registered in apps.py): the conclusions of the
inspections and supervisions the member was a subject of, once concluded, and the discipline
decisions on them with their appeal (chibo.inspection.queries.member_cases). A member reads only
their own file here, whoever conducted the inspection; nothing when there is none."""

from chibo.inspection import queries


def handbook_card(request) -> dict | None:
    cases = queries.member_cases(request.member, request.user)
    if not cases:
        return None
    return {"subjects": cases.conclusions, "decisions": cases.disciplines}
