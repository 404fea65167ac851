"""Registered audit action names. A record with a name nobody registered is refused.

Each app registers its actions in its AppConfig.ready(), so the list is complete for the trail's
filters before any request is served.
"""

ACTIONS: dict[str, str] = {}


def register_actions(actions: dict[str, str]) -> None:
    for name, label in actions.items():
        if "." not in name:
            raise ValueError(f"audit action {name!r} must be 'app.verb'")
        ACTIONS[name] = label


def label_of(name: str) -> str:
    return str(ACTIONS.get(name, name))
