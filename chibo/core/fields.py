"""Model fields shared by every app."""

from django.db import models


class BinaryCharField(models.CharField):
    """A CharField compared byte by byte on every database.

    Materialized paths and sort keys are range-compared (`path >= P AND path < P || '~'`) and
    ordered as bytes. SQLite's default BINARY collation already does that; PostgreSQL's default
    collation follows the locale (it ignores punctuation, so `1/23/` and `12/3/` interleave), so
    the column gets the "C" collation there, which also lets a plain btree index serve the range.
    """

    def db_parameters(self, connection):
        params = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            params["collation"] = "C"
        return params


def subtree_range(path: str) -> tuple[str, str]:
    """Bounds (inclusive, exclusive) of every path that starts with `path`.

    Paths are digits and "/" only, so "~" (above both) closes the range. A range, unlike
    `startswith`, uses the index on SQLite, where Django's LIKE is case-insensitive.
    """
    return path, path + "~"


def moved_path(old_prefix: str, new_prefix: str, field: str = "path"):
    """The path in `field` with `old_prefix` replaced by `new_prefix`, as an SQL expression (a
    subtree re-placed in one UPDATE)."""
    from django.db.models import Value
    from django.db.models.functions import Concat, Substr

    return Concat(Value(new_prefix), Substr(field, len(old_prefix) + 1),
                  output_field=BinaryCharField())


def path_ids(path: str) -> list[int]:
    """The organization ids along a path, from the top down: "1/7/23/" -> [1, 7, 23]."""
    return [int(part) for part in path.split("/") if part]


def ancestor_paths(path: str) -> list[str]:
    """The paths of an organization and of all its ancestors: "1/7/23/" -> "1/", "1/7/", …"""
    parts = [part for part in path.split("/") if part]
    return ["".join(f"{p}/" for p in parts[: i + 1]) for i in range(len(parts))]
