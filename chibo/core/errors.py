"""The API's one error shape, for every answer that is not a success (chibo/api.py documents
it on every operation; an operation may declare more, such as 412/428 for If-Match)."""

from ninja import Schema


class ErrorOut(Schema):
    """Every error answer of the API: the message in the caller's language and the input at
    fault, if any."""

    detail: str
    field: str | None = None
