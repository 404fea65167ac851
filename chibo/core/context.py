"""Per-request facts that services record without every caller passing them along."""

import uuid
from contextvars import ContextVar

_request_id: ContextVar[str | None] = ContextVar("chibo_request_id", default=None)


def current_request_id() -> str:
    """The id of the web request being served, or a fresh one for CLI and background work."""
    value = _request_id.get()
    if value is None:
        value = uuid.uuid4().hex
        _request_id.set(value)
    return value


def set_request_id(value: str | None):
    return _request_id.set(value)


def reset_request_id(token) -> None:
    _request_id.reset(token)
